import { inputFields, type Layer } from "../layers/layer.ts";
import type { Label } from "../layers/fields.ts";
import { Problem } from "../http/problem.ts";
import { mappedTargets, targetWord, type Mapping, type TargetWord } from "./column_mapping.ts";
import { DIALECTS, reader, UnreadableFile, type ReadOptions } from "./import_features.ts";
import type { FileFacts, SourceRow } from "./row_feature.ts";
import { crsName } from "./to_wgs84.ts";

/** Rows a preview reads; values shown per column. */
const PREVIEW_ROWS = 10;
const SAMPLES = 5;

/** What a preview answers: how the file would be read, for a clerk to check and change before importing. */
export interface Preview {
  format: ReadOptions["format"];
  /** The text encoding read (CSV, a shapefile's DBF) and whether it was detected; null for formats that state theirs (XLSX, GeoJSON, GeoPackage). */
  encoding: { name: string; detected: boolean } | null;
  /**
   * The coordinate system: given (`crs=`), the file's own (.prj, the GeoPackage's SRS; `problem` says why
   * it cannot be used), GeoJSON's WGS 84, or guessed from the lon/lat columns' numbers (`coordinates`:
   * degrees are WGS 84, CGCS2000, GCJ-02 or BD-09 alike — the clerk says which; Gauss-Krüger metres
   * with the zone in the easting name their EPSG code); name null when nothing tells.
   */
  crs: { name: string | null; from: "given" | "file" | "format" | "coordinates"; problem?: string };
  /** The shapefiles of the .zip, or tables of the GeoPackage, and the one read (`file_layer=` picks another). */
  file_layers: { names: string[]; read: string } | null;
  /** A road file read in its own terms (road_attributes.ts): its name, and its columns it reads. */
  dialect: string | null;
  /** Where the rows' shapes come from: the file's geometry, lon/lat or WKT columns, or nowhere yet. */
  geometry: "file" | "columns" | "none";
  /** Each column in the file's order: what it is taken as (as `mapping=` says, else by its header: an attribute, lon, lat, wkt, or null: not read), and its first values. */
  columns: { name: string; suggested: TargetWord; by_dialect: boolean; samples: unknown[] }[];
  /** What a column may be taken as: the layer's attributes (required first), then lon, lat and wkt. */
  targets: { name: string; label: Label; required: boolean }[];
}

const COORDINATE_TARGETS = [
  { name: "lon", label: { zh: "经度 / X", en: "Longitude / X" }, required: false },
  { name: "lat", label: { zh: "纬度 / Y", en: "Latitude / Y" }, required: false },
  { name: "wkt", label: { zh: "几何 (WKT)", en: "Geometry (WKT)" }, required: false },
];

const blank = (v: unknown) => v === undefined || v === null || String(v).trim() === "";

/**
 * The coordinate system the numbers of lon/lat columns suggest: degrees (WGS 84 and its look-alikes),
 * or CGCS2000 Gauss-Krüger with the zone number before the easting (6-degree zones 13–23: EPSG:4491–4501;
 * 3-degree zones 25–45: EPSG:4513–4533), the way Chinese survey sheets write them.
 */
export function crsOfCoordinates(xs: number[], ys: number[]): string | null {
  if (xs.length === 0 || xs.length !== ys.length) return null;
  if (xs.every((x) => Math.abs(x) <= 180) && ys.every((y) => Math.abs(y) <= 90)) return "wgs84";
  const zones = new Set(xs.map((x) => Math.floor(x / 1e6)));
  const northings = ys.every((y) => y > 0 && y < 6.5e6); // from the equator to the north of China, in metres
  if (zones.size !== 1 || !northings) return null;
  const zone = [...zones][0]!;
  if (zone >= 13 && zone <= 23) return `EPSG:${4491 + zone - 13}`;
  if (zone >= 25 && zone <= 45) return `EPSG:${4513 + zone - 25}`;
  return null;
}

/**
 * A file's first rows read as an import would read them, nothing written: its columns with what each is
 * taken as and their first values, its encoding and coordinate system as found, its layers.
 */
export async function previewFile(layer: Layer, bytes: AsyncIterable<Buffer>, options: ReadOptions & { mapping?: Mapping }): Promise<Preview> {
  const facts: FileFacts = {};
  const rows: SourceRow[] = [];
  try {
    for await (const batch of reader(bytes, { ...options, preview: true }, facts)) {
      rows.push(...batch.slice(0, PREVIEW_ROWS - rows.length));
      if (rows.length >= PREVIEW_ROWS) break;
    }
  } catch (e) {
    if (e instanceof Problem) throw e;
    throw new UnreadableFile(options.format, (e as Error).message);
  }

  const headers: string[] = [];
  for (const r of rows) for (const h in r.cells) if (!headers.includes(h)) headers.push(h);
  // a road file in a dialect: the first row the dialect reads says which, and which of its columns it takes
  const dialectOf = DIALECTS[layer.name];
  let dialect: string | null = null;
  const byDialect = new Set<string>();
  for (const r of dialectOf ? rows : []) {
    const mapped = dialectOf!(r.row, r.cells);
    if ("cells" in mapped && mapped.dialect) {
      dialect = mapped.dialect;
      for (const h of headers) if (!(h in mapped.cells)) byDialect.add(h);
      break;
    }
  }

  const targetOf = mappedTargets(layer, options.mapping);
  const columns = headers.map((name) => ({
    name,
    suggested: byDialect.has(name) ? null : targetWord(targetOf(name)),
    by_dialect: byDialect.has(name),
    samples: rows
      .map((r) => r.cells[name])
      .filter((v) => !blank(v))
      .slice(0, SAMPLES),
  }));
  const fromFile = rows.some((r) => r.geometry !== undefined) || options.format === "shapefile" || options.format === "geopackage";
  const taken = new Set(columns.map((c) => c.suggested));
  const geometry = fromFile ? "file" : taken.has("wkt") || (taken.has("lon") && taken.has("lat")) ? "columns" : "none";

  return {
    format: options.format,
    encoding: facts.encoding ?? null,
    crs: crsFound(options, facts, columns),
    file_layers: facts.fileLayers ?? null,
    dialect,
    geometry,
    columns,
    targets: [
      ...Object.entries(inputFields(layer))
        .map(([name, f]) => ({ name, label: f.label, required: Boolean(f.required) }))
        .sort((a, b) => Number(b.required) - Number(a.required)),
      ...(fromFile ? [] : COORDINATE_TARGETS),
    ],
  };
}

function crsFound(options: ReadOptions, facts: FileFacts, columns: Preview["columns"]): Preview["crs"] {
  if (options.crs !== undefined) return { name: crsName(options.crs), from: "given" };
  if (facts.crs !== undefined) return { name: crsName(facts.crs), from: "file" };
  if (facts.crsProblem !== undefined) return { name: null, from: "file", problem: facts.crsProblem };
  if (options.format === "geojson") return { name: "wgs84", from: "format" };
  const numbers = (target: string) =>
    columns
      .filter((c) => c.suggested === target)
      .flatMap((c) => c.samples.map(Number))
      .filter(Number.isFinite);
  return { name: crsOfCoordinates(numbers("lon"), numbers("lat")), from: "coordinates" };
}
