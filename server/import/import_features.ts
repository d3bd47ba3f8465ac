import type { Db } from "../db.ts";
import type { Jurisdiction } from "../auth/permissions.ts";
import type { Layer } from "../layers/layer.ts";
import type { Geometry } from "../layers/geometry.ts";
import { Problem } from "../http/problem.ts";
import { mappedTargets, type Mapping } from "./column_mapping.ts";
import type { Encoding } from "./decode_text.ts";
import { readCsv } from "./read_csv.ts";
import { readGeoJson } from "./read_geojson.ts";
import { readGeoPackage } from "./read_geopackage.ts";
import { readShapefile } from "./read_shapefile.ts";
import { readXlsx } from "./read_xlsx.ts";
import { roadRow, type Dialect } from "./road_attributes.ts";
import { rowFeature, wktCell, type FileFacts, type RowError, type SourceRow } from "./row_feature.ts";
import { crsName, type Crs } from "./to_wgs84.ts";
import { wktGeometries } from "./wkt_geometries.ts";
import { writeFeatures } from "./write_features.ts";
import { inputResolver } from "../features/township_names.ts";

export const FORMATS = ["geojson", "csv", "xlsx", "shapefile", "geopackage"] as const;
export type Format = (typeof FORMATS)[number];

export interface ImportOptions {
  format: Format;
  /** The coordinates' system; when absent, the file's own (.prj, GeoPackage), else WGS 84. */
  crs?: Crs;
  dryRun: boolean;
  encoding?: Encoding;
  /** Which shapefile of a .zip, or feature table of a GeoPackage, when it holds several. */
  fileLayer?: string;
  /** Where the importer may write (a clerk's townships); everywhere when absent. */
  within?: Jurisdiction;
  /** Columns taken otherwise than their headers suggest (column_mapping.ts). */
  mapping?: Mapping;
  /** Rows of the file left out, by their number in the report (a clerk deselecting a bad row). */
  skipRows?: ReadonlySet<number>;
}

/** How a file is read, for an import or a preview (previewing tells rather than refuses: several layers, no CRS). */
export type ReadOptions = Pick<ImportOptions, "format" | "crs" | "encoding" | "fileLayer"> & { preview?: boolean };

/** What an import did (or, when rejected or a dry run, would do). */
export interface ImportReport {
  dry_run: boolean;
  /** The coordinate system the file was read in: the one given, the file's own (a .prj's name, EPSG:…), or wgs84. */
  crs: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of the file that are not features of the layer and were not read (a road file's footpaths): counted, and the warnings say which. */
  left_out: number;
  /** Every rejected row: its line in the file (header = line 1; GeoJSON: feature number from 1), the attribute, why. */
  errors: RowError[];
  /** Rows of the file left out as asked (`skip_rows`). */
  skipped: number;
  /** What the features read cover, in WGS 84 [minLon, minLat, maxLon, maxLat]; null when none has a geometry. */
  bbox: [number, number, number, number] | null;
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
export function reader(bytes: AsyncIterable<Buffer>, options: ReadOptions, facts: FileFacts): AsyncIterable<SourceRow[]> {
  const own = { fileLayer: options.fileLayer, crsGiven: options.crs !== undefined, preview: options.preview };
  switch (options.format) {
    case "csv":
      return readCsv(bytes, options.encoding, facts);
    case "xlsx":
      return readXlsx(bytes);
    case "geojson":
      return readGeoJson(bytes, own.crsGiven, facts);
    case "shapefile":
      return readShapefile(bytes, { ...own, encoding: options.encoding }, facts);
    case "geopackage":
      return readGeoPackage(bytes, own, facts);
  }
}

/** Layers whose files come in dialects of their own, mapped to the layer's attributes (a row left out or refused there). */
export const DIALECTS: Record<string, typeof roadRow> = { roads: roadRow };

/**
 * Import a file into a layer, streaming: read rows (CSV, XLSX, GeoJSON, Shapefile, GeoPackage), map
 * columns to attributes (through the layer's dialects: road_attributes.ts), validate each with the
 * layer's create schema, convert to WGS84 from the system given or the file's own, write all or nothing.
 */
export async function importFeatures(db: Db, layer: Layer, bytes: AsyncIterable<Buffer>, options: ImportOptions): Promise<ImportReport> {
  const resolve = await inputResolver(db, layer); // a village's township by name, from the townships as they are
  const unknown = new Set<string>();
  const seen = new Set<string>();
  let flattened = 0;
  const facts: FileFacts = {};
  const dialect = DIALECTS[layer.name];
  const dialects = new Set<Dialect>();
  const leftOut = new Map<string, number>();
  const crsOf = () => options.crs ?? facts.crs ?? "wgs84";
  const targetOf = mappedTargets(layer, options.mapping);
  const bbox = new Bounds();
  let skipped = 0;
  async function* sourceRows() {
    try {
      yield* reader(bytes, options, facts);
    } catch (e) {
      if (e instanceof Problem) throw e;
      throw new UnreadableFile(options.format, (e as Error).message);
    }
  }
  async function* features() {
    for await (const read of sourceRows()) {
      const sources: SourceRow[] = [];
      const refused: RowError[][] = [];
      for (const source of read) {
        if (options.skipRows?.has(source.row)) {
          skipped++;
          continue;
        }
        const mapped = dialect ? dialect(source.row, source.cells) : { cells: source.cells };
        if (Array.isArray(mapped)) refused.push(mapped);
        else if ("leftOut" in mapped) leftOut.set(mapped.leftOut, (leftOut.get(mapped.leftOut) ?? 0) + 1);
        else {
          if ("dialect" in mapped && mapped.dialect) dialects.add(mapped.dialect);
          sources.push({ ...source, cells: mapped.cells });
        }
      }
      const wkts = await wktGeometries(
        db,
        sources.map((source) => wktCell(layer, source, targetOf)),
      );
      flattened += wkts.filter((w) => w !== undefined && "flattened" in w && w.flattened).length;
      yield [
        ...refused,
        ...sources.map((source, i) => {
          for (const header in source.cells) {
            if (seen.has(header)) continue;
            seen.add(header);
            if (!targetOf(header)) unknown.add(header);
          }
          const f = rowFeature(layer, source, crsOf(), wkts[i], targetOf);
          if (Array.isArray(f)) return f;
          bbox.add(f.geometry);
          if (!resolve) return f;
          const r = resolve(f.properties);
          return "properties" in r ? { ...f, properties: r.properties } : [{ row: f.row, ...r }];
        }),
      ];
    }
  }
  const r = await writeFeatures(db, layer, features(), { dryRun: options.dryRun, within: options.within ?? "all" });
  const warnings: string[] = [];
  for (const d of dialects) warnings.push(`read as ${d} road data: classes, one-way and names mapped as docs/interchange.md says`);
  const leftOutCount = [...leftOut.values()].reduce((a, b) => a + b, 0);
  if (leftOutCount > 0)
    warnings.push(
      `${leftOutCount} rows left out, not roads a vehicle can take: ${[...leftOut]
        .sort((a, b) => b[1] - a[1])
        .map(([why, n]) => `${why} ${n}`)
        .join(", ")}`,
    );
  const unseen = Object.keys(options.mapping ?? {}).filter((column) => !seen.has(column));
  if (unseen.length > 0 && r.rows > 0) warnings.push(`the mapping names columns the file does not have: ${unseen.join(", ")}`);
  if (unknown.size > 0) warnings.push(`columns ignored (not attributes of ${layer.name}): ${[...unknown].join(", ")}`);
  if (flattened > 0) warnings.push(`${flattened} WKT cells have Z or M ordinates: only longitude and latitude are kept`);
  if (r.withoutCode > 0) warnings.push(`${r.withoutCode} rows have no code: they are added as new features, and importing them again adds them again`);
  if (r.moreErrors > 0) warnings.push(`${r.moreErrors} more errors not listed`);
  return {
    dry_run: options.dryRun,
    crs: crsName(crsOf()),
    rows: r.rows,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    left_out: leftOutCount,
    skipped,
    bbox: bbox.box(),
    errors: r.errors,
    warnings,
  };
}

/** The bounding box of the features read (WGS 84), for the map to show them. */
class Bounds {
  private west = Infinity;
  private south = Infinity;
  private east = -Infinity;
  private north = -Infinity;
  add(geometry: Geometry | null) {
    if (geometry) this.positions(geometry.coordinates);
  }
  private positions(c: unknown) {
    if (!Array.isArray(c)) return;
    if (typeof c[0] !== "number") {
      for (const p of c) this.positions(p);
      return;
    }
    const [x, y] = c as [number, number];
    if (x < this.west) this.west = x;
    if (x > this.east) this.east = x;
    if (y < this.south) this.south = y;
    if (y > this.north) this.north = y;
  }
  box(): ImportReport["bbox"] {
    return this.west === Infinity ? null : [this.west, this.south, this.east, this.north];
  }
}
