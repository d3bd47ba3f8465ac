import { Router, type Response } from "express";
import type { Reads } from "../replicas/read_replicas.ts";
import type { Access } from "../auth/access.ts";
import { parse } from "../http/parse.ts";
import { SupplyPlanBody, supplyPlan } from "../questions/supply_plan.ts";
import { CoverageQuery, coverageGaps } from "../questions/coverage_gaps.ts";
import { EvacuationPlanBody, evacuationPlan } from "../questions/evacuation_plan.ts";
import { orderPdf } from "../paper/order_pdf.ts";
import type { Incidents } from "../questions/incident_subject.ts";
import { SheetQuery, coverageGapsSheet, evacuationPlanSheet, supplyPlanSheet } from "./plan_sheets.ts";
import { SHEET_CONTENT_TYPES, writeSheet, type Sheet, type SheetFormat } from "./sheet.ts";
import { datedFileName } from "./formats.ts";
import { jsonBody } from "../http/json_body.ts";

/** A plan as a sheet to download, or printed as an order (调度单, pdf), named `<plan>-<YYYYMMDD>.<format>`. */
async function sendSheet(res: Response, plan: string, format: SheetFormat, sheet: Sheet, lang: SheetQuery["lang"]) {
  res
    .type(SHEET_CONTENT_TYPES[format])
    .set("Content-Disposition", `attachment; filename="${datedFileName(plan, format)}"`)
    .send(format === "pdf" ? Buffer.from(await orderPdf(sheet, { lang })) : await writeSheet(sheet, format));
}

/**
 * The plans asked with `?format=csv|xlsx|pdf[&lang=zh]`: the same question, answered as a file. Mounted
 * before the questions' routes; without `format` the question answers in JSON there.
 */
export function planSheetRoutes(reads: Reads, access: Access, incidents: Incidents): Router {
  const router = Router();
  const read = access.requires("read");
  const asked = (query: Record<string, unknown>) => parse(SheetQuery, { format: query.format, lang: query.lang });

  router.post("/supply-plan", read, jsonBody, async (req, res, next) => {
    const sheet = asked(req.query);
    if (!sheet.format) return next();
    const plan = await supplyPlan(reads(req), parse(SupplyPlanBody, req.body), incidents);
    await sendSheet(res, "supply-plan", sheet.format, await supplyPlanSheet(reads(req), plan, sheet.lang), sheet.lang);
  });

  router.get("/coverage-gaps", read, async (req, res, next) => {
    const sheet = asked(req.query);
    if (!sheet.format) return next();
    const { format: _, lang: __, ...query } = req.query;
    const gaps = await coverageGaps(reads(req), parse(CoverageQuery, query));
    await sendSheet(res, "coverage-gaps", sheet.format, await coverageGapsSheet(reads(req), gaps, sheet.lang), sheet.lang);
  });

  router.post("/evacuation-plan", read, jsonBody, async (req, res, next) => {
    const sheet = asked(req.query);
    if (!sheet.format) return next();
    const plan = await evacuationPlan(reads(req), parse(EvacuationPlanBody, req.body), incidents);
    await sendSheet(res, "evacuation-plan", sheet.format, evacuationPlanSheet(plan, sheet.lang), sheet.lang);
  });

  return router;
}
