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
import { parseMapping } from "./column_mapping.ts";
import { previewFile } from "./preview_file.ts";

/** Largest file an import accepts. */
export const MAX_IMPORT_BYTES = 1024 ** 3;

/** How the file is read and its columns taken: the same for a preview and an import. */
const reading = {
  format: z.enum(FORMATS),
  /** Absent: the file's own (.prj, GeoPackage), else WGS 84. */
  crs: z
    .string()
    .regex(CRS_PATTERN, { error: `must be ${CRS.join(", ")} or EPSG:<code>` })
    .optional(),
  encoding: z.enum(ENCODINGS).optional(),
  file_layer: z.string().min(1).max(255).optional(),
  /** JSON: column → field, lon, lat, wkt or null (column_mapping.ts). */
  mapping: z
    .string()
    .max(64 * 1024)
    .optional(),
};

const previewQuery = z.strictObject(reading);

/** Rows a clerk may leave out of one import. */
const MAX_SKIPPED = 10_000;

const query = z.strictObject({
  ...reading,
  dry_run: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("false")
    .transform((s) => s === "true"),
  /** Rows of the file to leave out, by their number in the report: `3,17`. */
  skip_rows: z
    .string()
    .regex(/^\d{1,10}(,\d{1,10})*$/, { error: "must be row numbers separated by commas, e.g. 3,17" })
    .refine((s) => s.split(",").length <= MAX_SKIPPED, { error: `must name at most ${MAX_SKIPPED} rows` })
    .transform((s) => new Set(s.split(",").map(Number)))
    .optional(),
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
    const mapping = q.mapping === undefined ? undefined : parseMapping(layer, q.mapping);
    const report = await importFeatures(db, layer, body(req, res), {
      format: q.format,
      crs,
      dryRun: q.dry_run,
      encoding: q.encoding,
      fileLayer: q.file_layer,
      within,
      mapping,
      skipRows: q.skip_rows,
    });
    const { errors, ...summary } = report;
    if (!q.dry_run) await recordAudit(db, { action: "import", entity: layer.name, detail: { ...summary, rejected: errors.length } });
    if (report.errors.length > 0) {
      const detail = `${report.errors.length} row(s) rejected, nothing was written; first: row ${report.errors[0]!.row}, ${report.errors[0]!.field}: ${report.errors[0]!.message}`;
      throw new Problem(422, "import-rejected", "Import rejected", detail, undefined, {}, { ...report });
    }
    res.json(report);
  });

  /**
   * POST /layers/:layer/import/preview?format=&crs=&encoding=&file_layer=&mapping= with the file (or, for CSV, its
   * head) as the raw body: its columns and what each would be taken as, its encoding, coordinate system
   * and layers as found (preview_file.ts). Nothing is written; who may import may preview.
   */
  router.post("/layers/:layer/import/preview", access.requires("edit", "admin"), async (req, res) => {
    const layer = writableLayerOf(req);
    access.editScope(res, layer.name);
    const q = parse(previewQuery, req.query);
    const bytes = body(req, res);
    const preview = await previewFile(layer, bytes, {
      format: q.format,
      crs: q.crs === undefined ? undefined : crsParam(q.crs),
      encoding: q.encoding,
      fileLayer: q.file_layer,
      mapping: q.mapping === undefined ? undefined : parseMapping(layer, q.mapping),
    });
    // the first rows are enough: the rest of the body is read and dropped, so the client hears the answer
    for await (const _ of bytes);
    res.json(preview);
  });
  return router;
}
