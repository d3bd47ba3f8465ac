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

type Position = number[];
const pos = (p: Position) => `${p[0]} ${p[1]}`;
const line = (ps: Position[]) => `(${ps.map(pos).join(",")})`;
const poly = (rings: Position[][]) => `(${rings.map(line).join(",")})`;

/** A GeoJSON geometry as EWKT in EPSG:4326, 2D (elevation dropped), a Polygon made multi when the column is. */
export function ewkt(g: Geometry, multi: boolean): string {
  const c = g.coordinates as never;
  switch (g.type) {
    case "Point": return `SRID=4326;POINT(${pos(c)})`;
    case "LineString": return `SRID=4326;LINESTRING${line(c)}`;
    case "Polygon": return multi ? `SRID=4326;MULTIPOLYGON(${poly(c)})` : `SRID=4326;POLYGON${poly(c)}`;
    case "MultiLineString": return `SRID=4326;MULTILINESTRING(${(c as Position[][]).map(line).join(",")})`;
    case "MultiPolygon": return `SRID=4326;MULTIPOLYGON(${(c as Position[][][]).map(poly).join(",")})`;
  }
}
