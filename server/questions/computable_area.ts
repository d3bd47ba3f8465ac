import { edgesOf, type Geometry } from "../layers/geometry.ts";

/** The largest area a question is asked over, km²: a few provinces; a county is a few thousand. */
export const MAX_AREA_KM2 = 1_000_000;

/** Mean Earth radius, metres (IUGG). */
const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Why a polygon's edges are not taken as meant, or undefined. PostGIS joins two vertices by the shorter
 * geodesic, so an edge spanning 180° of longitude or more would be read the other way round from how it
 * is drawn on a map (RFC 7946 §3.1.9 asks for such a polygon to be split at the antimeridian). Edges
 * between antipodal points are refused by geometrySchema itself.
 */
export function edgeProblem(g: Geometry): string | undefined {
  for (const [a, b] of edgesOf(g)) {
    if (Math.abs(b[0]! - a[0]!) >= 180) return `an edge spans 180° of longitude or more ([${a}] to [${b}]): split the area at the antimeridian`;
  }
  return undefined;
}

/** The area of a spherical cap of geodesic radius `radiusM`, m² (the whole sphere beyond half way round). */
export function circleAreaM2(radiusM: number): number {
  return 2 * Math.PI * EARTH_RADIUS_M ** 2 * (1 - Math.cos(Math.min(radiusM / EARTH_RADIUS_M, Math.PI)));
}

/** Why an area of `m2` square metres is refused, or undefined when it is within MAX_AREA_KM2. */
export function sizeProblem(m2: number): string | undefined {
  if (m2 / 1e6 <= MAX_AREA_KM2) return undefined;
  return `the area is ${Math.round(m2 / 1e6).toLocaleString("en")} km²; at most ${MAX_AREA_KM2.toLocaleString("en")} km² is planned at once`;
}
