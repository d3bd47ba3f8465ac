import { Router } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import type { Access } from "../auth/access.ts";
import type { Reads } from "../replicas/read_replicas.ts";
import { recordAudit } from "../audit/record.ts";
import { layerNamed } from "../layers/index.ts";
import { schemasOf } from "../features/schemas.ts";
import { parse } from "../http/parse.ts";
import { exportableFields } from "./columns.ts";
import { exportFileName, FORMAT_NAMES, FORMATS } from "./formats.ts";

const ExportParams = z.object({
  format: z.enum(FORMAT_NAMES, { error: `must be one of ${FORMAT_NAMES.join(", ")}` }),
  limit: z.never({ error: "exports are never paged; narrow them with bbox or attribute filters" }).optional(),
  offset: z.never({ error: "exports are never paged; narrow them with bbox or attribute filters" }).optional(),
  /** zh: a CSV for people — Chinese headers and codes by their labels; absent or en: names and codes, as machines read them. */
  lang: z.enum(["zh", "en"], { error: "must be zh or en" }).optional(),
});

/** GET /layers/:layer/export?format=…[&bbox=…][&<attribute>=…][&lang=zh]: the layer as a file, streamed (read from a replica when one may serve; the audit entry written to `db`). */
export function exportRoutes(db: Db, reads: Reads, access: Access): Router {
  const router = Router();

  router.get("/layers/:layer/export", access.requires("export"), async (req, res) => {
    const layer = layerNamed(String(req.params.layer));
    const { format, limit, offset, lang, ...query } = req.query;
    const params = parse(ExportParams, { format, limit, offset, lang });
    const { bbox, q, filters } = parse(schemasOf(layer).list, query);
    const hidden = access.hiddenFields(res, layer, Object.keys(filters));
    const fields = exportableFields(layer).filter((f) => !hidden.has(f));
    await recordAudit(db, { action: "export", entity: layer.name, detail: { format: params.format, bbox, q, filters, fields, lang: params.lang } });
    const writer = FORMATS[params.format];
    res.type(writer.contentType).set("Content-Disposition", `attachment; filename="${exportFileName(layer.name, params.format)}"`);
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    try {
      const language = params.lang === "zh" ? ("zh" as const) : undefined;
      await writer.write(reads(req), { layer, where: { bbox, q, filters }, fields, signal: gone.signal, language }, res);
    } catch (e) {
      if (gone.signal.aborted) return; // the client went away; the export has stopped and there is no one to tell
      if (!res.headersSent) throw e;
      console.error(`[hazmap] export ${req.originalUrl} failed midway`, e);
      res.destroy(); // the download has begun: all that is left is to cut it short
    }
  });

  return router;
}
