import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import type { Access } from "../auth/access.ts";
import { recordAudit } from "../audit/record.ts";
import { parse } from "../http/parse.ts";
import { Problem } from "../http/problem.ts";
import { writableLayerOf } from "../features/routes.ts";
import { ENCODINGS } from "./decode_text.ts";
import { CRS, CRS_PATTERN, crsParam } from "./to_wgs84.ts";
import { FORMATS, importFeatures } from "./import_features.ts";

/** Largest file an import accepts. */
export const MAX_IMPORT_BYTES = 1024 ** 3;

const query = z.strictObject({
  format: z.enum(FORMATS),
  /** Absent: the file's own (.prj, GeoPackage), else WGS 84. */
  crs: z
    .string()
    .regex(CRS_PATTERN, { error: `must be ${CRS.join(", ")} or EPSG:<code>` })
    .optional(),
  dry_run: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("false")
    .transform((s) => s === "true"),
  encoding: z.enum(ENCODINGS).optional(),
  file_layer: z.string().min(1).max(255).optional(),
});

const tooLarge = () => new Problem(413, "too-large", "Payload too large", `imports are limited to ${MAX_IMPORT_BYTES / 1024 ** 3} GB`);

/**
 * The request body as it arrives, refused once it passes the limit. Once all of it has arrived the
 * client waits for the answer and is not stalled, however long the server's own work takes (index
 * builds, the audit trail: minutes for a million rows): the socket's stall timeout waits for the answer.
 */
async function* body(req: Request, res: Response): AsyncGenerator<Buffer> {
  if (Number(req.headers["content-length"]) > MAX_IMPORT_BYTES) throw tooLarge();
  let n = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > MAX_IMPORT_BYTES) throw tooLarge();
    yield chunk;
  }
  const stall = req.socket.timeout ?? 0;
  req.socket.setTimeout(0);
  res.once("close", () => req.socket.setTimeout(stall));
}

/**
 * POST /layers/:layer/import?format=csv|xlsx|geojson|shapefile|geopackage&crs=&dry_run=&encoding=&file_layer= with the file as the raw
 * body, streamed (mounted before the JSON body parser). 200 with the report when written (or a dry
 * run passes); 422 problem+json carrying the same report when any row is rejected: nothing is written.
 */
export function importRoutes(db: Db, access: Access): Router {
  const router = Router();
  // whoever may edit something (admins: townships) gets this far; editScope decides per layer
  router.post("/layers/:layer/import", access.requires("edit", "admin"), async (req, res) => {
    const layer = writableLayerOf(req);
    const within = access.editScope(res, layer.name);
    const q = parse(query, req.query);
    const crs = q.crs === undefined ? undefined : crsParam(q.crs);
    const report = await importFeatures(db, layer, body(req, res), {
      format: q.format,
      crs,
      dryRun: q.dry_run,
      encoding: q.encoding,
      fileLayer: q.file_layer,
      within,
    });
    const { errors, ...summary } = report;
    if (!q.dry_run) await recordAudit(db, { action: "import", entity: layer.name, detail: { ...summary, rejected: errors.length } });
    if (report.errors.length > 0) {
      const detail = `${report.errors.length} row(s) rejected, nothing was written; first: row ${report.errors[0]!.row}, ${report.errors[0]!.field}: ${report.errors[0]!.message}`;
      throw new Problem(422, "import-rejected", "Import rejected", detail, undefined, {}, { ...report });
    }
    res.json(report);
  });
  return router;
}
