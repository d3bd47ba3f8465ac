import type { Geometry } from "../layers/geometry.ts";

/** The largest area a question is asked over, km²: a few provinces; a county is a few thousand. */
export const MAX_AREA_KM2 = 1_000_000;

/** Mean Earth radius, metres (IUGG). */
const EARTH_RADIUS_M = 6_371_008.8;

/** An edge within this many degrees of arc of a half circle joins nearly antipodal points: its great circle is undetermined. */
const ANTIPODAL_TOLERANCE_DEG = 1;

const radians = (deg: number) => (deg * Math.PI) / 180;

/** Degrees of arc between two positions on the sphere (haversine). */
function arcDegrees([lon1, lat1]: number[], [lon2, lat2]: number[]): number {
  const h = Math.sin(radians(lat2! - lat1!) / 2) ** 2 + Math.cos(radians(lat1!)) * Math.cos(radians(lat2!)) * Math.sin(radians(lon2! - lon1!) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h))) * 180) / Math.PI;
}

/**
 * Why a polygon's edges cannot be taken as geodesics, or undefined when they can. PostGIS joins two
 * vertices by the shorter geodesic: an edge spanning 180° of longitude or more is meant the other way
 * round (RFC 7946 §3.1.9 asks for such a polygon to be split at the antimeridian), and an edge between
 * antipodal points has no shorter geodesic at all (PostGIS fails: "Antipodal edge detected").
 */
export function edgeProblem(g: Geometry): string | undefined {
  const polygons = (g.type === "Polygon" ? [g.coordinates] : g.coordinates) as number[][][][];
  for (const ring of polygons.flat()) {
    for (let i = 1; i < ring.length; i++) {
      const [a, b] = [ring[i - 1]!, ring[i]!];
      if (Math.abs(b[0]! - a[0]!) >= 180) return `an edge spans 180° of longitude or more ([${a}] to [${b}]): split the area at the antimeridian`;
      if (arcDegrees(a, b) > 180 - ANTIPODAL_TOLERANCE_DEG) return `an edge joins antipodal points ([${a}] to [${b}])`;
    }
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
