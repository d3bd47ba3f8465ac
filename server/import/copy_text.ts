import type { Geometry } from "../layers/geometry.ts";

/** A value as a field of PostgreSQL's COPY text format: \N for null, backslash escapes, arrays as {…}. */
export function copyField(v: unknown): string {
  if (v === undefined || v === null) return "\\N";
  if (Array.isArray(v)) return escape(`{${v.map((s) => `"${String(s).replace(/["\\]/g, "\\$&")}"`).join(",")}}`);
  if (typeof v === "boolean") return v ? "t" : "f";
  return typeof v === "number" ? String(v) : escape(String(v));
}

function escape(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : s;
}

/** With the u flag a paired surrogate is one code point: only lone ones match. */
const LONE_SURROGATE = /\p{Cs}/gu;

/** A value as PostgreSQL will hold it, to compare values as it will: text sent to it is UTF-8, where a lone surrogate becomes U+FFFD. */
export function asStored(v: unknown): unknown {
  return typeof v === "string" ? v.replace(LONE_SURROGATE, "\uFFFD") : v;
}

/** A feature as a line of COPY text (without its line ending): the columns' values (a default for one not given), then the geometry. */
export function copyLine(
  properties: Record<string, unknown>,
  columns: readonly string[],
  geometry: Geometry | null,
  multi: boolean,
  defaults: Record<string, unknown> = {},
): string {
  let line = "";
  for (const c of columns) line += copyField(properties[c] ?? defaults[c]) + "\t";
  return line + (geometry ? ewkb(geometry, multi) : "\\N");
}

type Position = number[];
const WKB_TYPES = { Point: 1, LineString: 2, Polygon: 3, MultiLineString: 5, MultiPolygon: 6 } as const;
const SRID_FLAG = 0x20000000;

let scratch = Buffer.alloc(1024);
let at = 0;
function room(bytes: number) {
  if (at + bytes > scratch.length) scratch = Buffer.concat([scratch.subarray(0, at), Buffer.alloc(Math.max(scratch.length, bytes))]);
}
function header(type: number, srid: boolean) {
  room(9);
  at = scratch.writeUInt8(1, at); // little endian
  at = scratch.writeUInt32LE(srid ? type | SRID_FLAG : type, at);
  if (srid) at = scratch.writeUInt32LE(4326, at);
}
function count(n: number) {
  room(4);
  at = scratch.writeUInt32LE(n, at);
}
function positions(ps: Position[]) {
  count(ps.length);
  room(16 * ps.length);
  // + 0: -0 is stored as 0, as from text
  for (const p of ps) at = scratch.writeDoubleLE(p[1]! + 0, scratch.writeDoubleLE(p[0]! + 0, at));
}
function rings(rs: Position[][]) {
  count(rs.length);
  for (const r of rs) positions(r);
}
function each<T>(type: number, parts: T[], write: (part: T) => void) {
  count(parts.length);
  for (const part of parts) {
    header(type, false);
    write(part);
  }
}

/**
 * A GeoJSON geometry as hex EWKB in EPSG:4326, 2D (elevation dropped), a Polygon made multi when the
 * column is: the geometry PostgreSQL reads fastest from COPY text, with the very doubles JavaScript holds.
 */
export function ewkb(g: Geometry, multi: boolean): string {
  const c = g.coordinates as never;
  at = 0;
  if (g.type === "Polygon" && multi) {
    header(WKB_TYPES.MultiPolygon, true);
    each(WKB_TYPES.Polygon, [c], rings);
    return scratch.toString("hex", 0, at);
  }
  if (g.type === "LineString" && multi) {
    header(WKB_TYPES.MultiLineString, true);
    each(WKB_TYPES.LineString, [c], positions);
    return scratch.toString("hex", 0, at);
  }
  header(WKB_TYPES[g.type], true);
  switch (g.type) {
    case "Point":
      room(16);
      at = scratch.writeDoubleLE((c as Position)[1]! + 0, scratch.writeDoubleLE((c as Position)[0]! + 0, at));
      break;
    case "LineString":
      positions(c);
      break;
    case "Polygon":
      rings(c);
      break;
    case "MultiLineString":
      each(WKB_TYPES.LineString, c, positions);
      break;
    case "MultiPolygon":
      each(WKB_TYPES.Polygon, c, rings);
      break;
  }
  return scratch.toString("hex", 0, at);
}
