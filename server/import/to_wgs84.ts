import gcoordExports from "gcoord";
import type { Geometry } from "../layers/geometry.ts";

/** Coordinate systems files arrive in. CGCS2000 (EPSG:4490) differs from WGS84 by centimetres: taken as is. */
export const CRS = ["wgs84", "cgcs2000", "gcj02", "bd09"] as const;
export type Crs = (typeof CRS)[number];

// gcoord's typings call its CommonJS exports `default`; imported from ESM they are the default itself
const gcoord = gcoordExports as unknown as typeof gcoordExports.default;
const FROM = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** A geometry in WGS84: GCJ-02 (AMap, Tencent) and BD-09 (Baidu) offsets removed by gcoord. */
export function toWgs84(geometry: Geometry, crs: Crs): Geometry {
  if (crs === "wgs84" || crs === "cgcs2000") return geometry;
  return gcoord.transform(geometry as never, FROM[crs], gcoord.WGS84) as Geometry;
}
