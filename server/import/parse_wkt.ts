import type { Geometry } from "../layers/geometry.ts";

const TYPES: Record<string, Geometry["type"]> = {
  POINT: "Point", LINESTRING: "LineString", POLYGON: "Polygon", MULTILINESTRING: "MultiLineString", MULTIPOLYGON: "MultiPolygon",
};
/** How deep each type nests its positions: a Point is one position, a Polygon a list of lists of them. */
const DEPTH: Record<Geometry["type"], number> = { Point: 0, LineString: 1, Polygon: 2, MultiLineString: 2, MultiPolygon: 3 };

/**
 * Well-known text (2D, optionally `SRID=…;` EWKT, Z/M ordinates dropped) as a GeoJSON geometry, so a
 * WKT column is validated and converted exactly like GeoJSON input. Throws with a short reason.
 */
export function parseWkt(text: string): Geometry {
  const m = /^\s*(?:SRID=\d+;)?\s*([A-Za-z]+)\s*(?:ZM|Z|M)?\s*(\(.*\))\s*$/s.exec(text);
  const type = m && TYPES[m[1]!.toUpperCase()];
  if (!m || !type) throw new Error("not WKT of a POINT, LINESTRING, POLYGON, MULTILINESTRING or MULTIPOLYGON");
  // "(1 2, 3 4)" → "[[1,2],[3,4]]": each position becomes an array, each parenthesis a list
  const json = m[2]!
    .replace(/(-?[\d.]+(?:e[-+]?\d+)?)(?:\s+(-?[\d.]+(?:e[-+]?\d+)?))(?:\s+-?[\d.]+(?:e[-+]?\d+)?){0,2}/gi, "[$1,$2]")
    .replace(/\(/g, "[")
    .replace(/\)/g, "]");
  let coordinates: unknown;
  try {
    coordinates = JSON.parse(json);
  } catch {
    throw new Error(`malformed ${m[1]!.toUpperCase()} coordinates`);
  }
  // POINT (1 2) parses to [[1,2]]: one list level too many for a position
  const unwrap = (c: unknown, depth: number): unknown => (depth === 0 && Array.isArray(c) && c.length === 1 && Array.isArray(c[0]) ? c[0] : c);
  return { type, coordinates: unwrap(coordinates, DEPTH[type]) } as Geometry;
}
