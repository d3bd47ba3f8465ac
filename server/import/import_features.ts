import type { Db } from "../db.ts";
import type { Jurisdiction } from "../auth/permissions.ts";
import type { Layer } from "../layers/layer.ts";
import { Problem } from "../http/problem.ts";
import { columnTargets } from "./column_target.ts";
import type { Encoding } from "./decode_text.ts";
import { readCsv } from "./read_csv.ts";
import { readGeoJson } from "./read_geojson.ts";
import { readXlsx } from "./read_xlsx.ts";
import { rowFeature, wktCell, type RowError, type SourceRow } from "./row_feature.ts";
import type { Crs } from "./to_wgs84.ts";
import { wktGeometries } from "./wkt_geometries.ts";
import { writeFeatures } from "./write_features.ts";
import { inputResolver } from "../features/township_names.ts";

export const FORMATS = ["geojson", "csv", "xlsx"] as const;
export type Format = (typeof FORMATS)[number];

export interface ImportOptions {
  format: Format;
  crs: Crs;
  dryRun: boolean;
  encoding?: Encoding;
  /** Where the importer may write (a clerk's townships); everywhere when absent. */
  within?: Jurisdiction;
}

/** What an import did (or, when rejected or a dry run, would do). */
export interface ImportReport {
  dry_run: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Every rejected row: its line in the file (header = line 1; GeoJSON: feature number from 1), the attribute, why. */
  errors: RowError[];
  /** Not errors: columns ignored, rows that carry no code. */
  warnings: string[];
}

/** An unreadable file (broken CSV quoting, not JSON, not a workbook) is the client's error. */
export class UnreadableFile extends Problem {
  constructor(format: Format, reason: string) {
    super(400, "unreadable-file", "Unreadable file", `cannot read the body as ${format}: ${reason}`);
  }
}

/** Rows in batches: one await per batch, not per row, when a million rows stream through. */
function reader(format: Format, bytes: AsyncIterable<Buffer>, encoding?: Encoding): AsyncIterable<SourceRow[]> {
  switch (format) {
    case "csv":
      return readCsv(bytes, encoding);
    case "xlsx":
      return readXlsx(bytes);
    case "geojson":
      return readGeoJson(bytes);
  }
}

/**
 * Import a file into a layer, streaming: read rows (CSV, XLSX, GeoJSON), map columns to attributes,
 * validate each with the layer's create schema, convert to WGS84, write all or nothing.
 */
export async function importFeatures(db: Db, layer: Layer, bytes: AsyncIterable<Buffer>, options: ImportOptions): Promise<ImportReport> {
  const resolve = await inputResolver(db, layer); // a village's township by name, from the townships as they are
  const unknown = new Set<string>();
  const seen = new Set<string>();
  let flattened = 0;
  async function* sourceRows() {
    try {
      yield* reader(options.format, bytes, options.encoding);
    } catch (e) {
      if (e instanceof Problem) throw e;
      throw new UnreadableFile(options.format, (e as Error).message);
    }
  }
  async function* features() {
    for await (const sources of sourceRows()) {
      const wkts = await wktGeometries(
        db,
        sources.map((source) => wktCell(layer, source)),
      );
      flattened += wkts.filter((w) => w !== undefined && "flattened" in w && w.flattened).length;
      yield sources.map((source, i) => {
        for (const header in source.cells) {
          if (seen.has(header)) continue;
          seen.add(header);
          if (!columnTargets(layer)(header)) unknown.add(header);
        }
        const f = rowFeature(layer, source, options.crs, wkts[i]);
        if (!resolve || Array.isArray(f)) return f;
        const r = resolve(f.properties);
        return "properties" in r ? { ...f, properties: r.properties } : [{ row: f.row, ...r }];
      });
    }
  }
  const r = await writeFeatures(db, layer, features(), { dryRun: options.dryRun, within: options.within ?? "all" });
  const warnings: string[] = [];
  if (unknown.size > 0) warnings.push(`columns ignored (not attributes of ${layer.name}): ${[...unknown].join(", ")}`);
  if (flattened > 0) warnings.push(`${flattened} WKT cells have Z or M ordinates: only longitude and latitude are kept`);
  if (r.withoutCode > 0) warnings.push(`${r.withoutCode} rows have no code: they are added as new features, and importing them again adds them again`);
  if (r.moreErrors > 0) warnings.push(`${r.moreErrors} more errors not listed`);
  return { dry_run: options.dryRun, rows: r.rows, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, errors: r.errors, warnings };
}
