import type { z } from "zod";
import { inputFields, type Layer } from "../layers/layer.ts";
import type { Geometry } from "../layers/geometry.ts";
import { schemasOf } from "../features/schemas.ts";
import { cellValue } from "./cell_value.ts";
import { columnTargets, type Target } from "./column_target.ts";
import { plainlyValid, type ValidFeature } from "./plainly_valid.ts";
import { projected } from "./projection.ts";
import { toWgs84, type Crs } from "./to_wgs84.ts";
import type { WktGeometry } from "./wkt_geometries.ts";

/** One row of a file as read: its number in the file, its cells by header, and (GeoJSON, Shapefile, GeoPackage) its geometry. */
export interface SourceRow {
  row: number;
  cells: Record<string, unknown>;
  geometry?: unknown;
}

/** What a reader learns of the file besides its rows: its own coordinate system (a .prj, a GeoPackage's), its encoding, its layers. */
export interface FileFacts {
  crs?: Crs;
  /** The text encoding read (CSV, a shapefile's DBF), and whether it was detected rather than given or stated by a .cpg. */
  encoding?: { name: string; detected: boolean };
  /** The shapefiles of a .zip, or the feature tables of a GeoPackage, and the one read. */
  fileLayers?: { names: string[]; read: string };
  /** A preview's reading of a file whose own coordinate system cannot be used (none, unknown): why, instead of a refusal. */
  crsProblem?: string;
}

export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** `geometry` null: none, for a layer whose geometry is optional (a township known only by code and name). */
export interface RowFeature {
  row: number;
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

/** zod paths as the report's field: an attribute name, or `geometry` for anything about the shape. */
function errorsOf(row: number, issues: z.core.$ZodIssue[], properties: Record<string, unknown>): RowError[] {
  return issues.flatMap((i) => {
    const [top, name] = i.path;
    if (top === "properties" && typeof name === "string") {
      return [{ row, field: name, message: properties[name] === undefined ? "is required" : i.message }];
    }
    return [{ row, field: String(top ?? "row"), message: i.message }];
  });
}

const blank = (v: unknown) => v === undefined || v === null || String(v).trim() === "";
const num = (v: unknown) => (typeof v === "number" ? v : blank(v) ? undefined : Number(String(v).trim()));

/** What reading a row of the layer needs, worked out once per layer. */
interface LayerReader {
  fields: ReturnType<typeof inputFields>;
  target: (header: string) => Target | undefined;
  plainlyValid: ReturnType<typeof plainlyValid>;
}
const readers = new Map<Layer, LayerReader>();
function readerOf(layer: Layer): LayerReader {
  let r = readers.get(layer);
  if (!r) readers.set(layer, (r = { fields: inputFields(layer), target: columnTargets(layer), plainlyValid: plainlyValid(layer) }));
  return r;
}

/** The row's WKT cell for PostGIS to read (`wktGeometries`), unless blank or holding a NUL (refused by rowFeature). */
export function wktCell(layer: Layer, source: SourceRow, targetOf = readerOf(layer).target): string | undefined {
  if (source.geometry !== undefined) return undefined;
  let wkt: unknown;
  for (const header in source.cells) {
    const target = targetOf(header);
    if (target && "wkt" in target) wkt = source.cells[header];
  }
  return blank(wkt) || String(wkt).includes("\u0000") ? undefined : String(wkt);
}

/**
 * A row as a feature of the layer: cells mapped to attributes by their headers, the geometry from
 * lon/lat, a WKT cell (as read by PostGIS: `wktCell`, `wktGeometries`) or GeoJSON, then checked by the
 * layer's own create schema (the API's messages; a plainly valid row is passed without it, with the
 * same result) and converted to WGS84 (from a projection before the check, its metres not being degrees).
 * `targetOf`: where each column goes, when a clerk's mapping says (column_mapping.ts); else by its header.
 */
export function rowFeature(layer: Layer, source: SourceRow, crs: Crs, wktRead?: WktGeometry, targetOf = readerOf(layer).target): RowFeature | RowError[] {
  const { fields, plainlyValid: plain } = readerOf(layer);
  const properties: Record<string, unknown> = {};
  let lon: unknown, lat: unknown, wkt: unknown;
  for (const header in source.cells) {
    const target = targetOf(header);
    if (!target) continue;
    const raw = source.cells[header];
    if (typeof raw === "string" && raw.includes("\u0000")) {
      return [{ row: source.row, field: "field" in target ? target.field : "geometry", message: "must not contain the NUL character" }];
    }
    if ("field" in target) {
      const v = cellValue(fields[target.field]!, raw);
      if (v !== undefined) properties[target.field] = v;
    } else if ("coordinate" in target) {
      if (target.coordinate === "lon") lon = raw;
      else lat = raw;
    } else if ("wkt" in target) wkt = raw;
  }

  let geometry = source.geometry;
  if (geometry === undefined) {
    if (!blank(wkt)) {
      if (!wktRead) throw new Error(`row ${source.row}: its WKT cell was not read`);
      if ("error" in wktRead) return [{ row: source.row, field: "geometry", message: `invalid WKT: ${wktRead.error}` }];
      geometry = wktRead.geometry;
    } else if (!blank(lon) || !blank(lat)) {
      const coordinates = [num(lon), num(lat)];
      if (coordinates.some((c) => c === undefined || Number.isNaN(c))) {
        return [
          {
            row: source.row,
            field: "geometry",
            message: `bad coordinate: lon ${JSON.stringify(lon ?? "")}, lat ${JSON.stringify(lat ?? "")} must both be numbers`,
          },
        ];
      }
      geometry = { type: "Point", coordinates };
    } else if (!layer.geometryOptional) {
      return [{ row: source.row, field: "geometry", message: "no location: give lon/lat (经度/纬度) columns or a WKT column" }];
    }
  }

  if (typeof crs === "object") geometry = projected(geometry, crs);
  let valid = plain(geometry, properties);
  if (!valid) {
    const parsed = schemasOf(layer).create.safeParse({ geometry, properties });
    if (!parsed.success) return errorsOf(source.row, parsed.error.issues, properties);
    valid = parsed.data as ValidFeature;
  }
  return { row: source.row, geometry: valid.geometry ? toWgs84(valid.geometry, crs) : null, properties: valid.properties };
}
