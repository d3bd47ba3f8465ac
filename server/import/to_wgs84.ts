import gcoordExports from "gcoord";
import type { Geometry } from "../layers/geometry.ts";
import { epsgNamed, type Projection } from "./projection.ts";

/** Coordinate systems named by a word. CGCS2000 (EPSG:4490) differs from WGS84 by centimetres: taken as is. */
export const CRS = ["wgs84", "cgcs2000", "gcj02", "bd09"] as const;
export type NamedCrs = (typeof CRS)[number];
/** A named system, or one proj4 converts from (an EPSG code, a .prj, a GeoPackage's definition). */
export type Crs = NamedCrs | Projection;

/** What `crs=` may say: a name, or `EPSG:<code>` of a built-in definition. */
export const CRS_PATTERN = new RegExp(`^(${CRS.join("|")}|EPSG:\\d+)$`, "i");

/** The `crs` parameter as a system (matching CRS_PATTERN); a 422 naming an EPSG code not built in. */
export function crsParam(value: string): Crs {
  const named = value.toLowerCase() as NamedCrs;
  return CRS.includes(named) ? named : epsgNamed(value);
}

export const crsName = (crs: Crs): string => (typeof crs === "string" ? crs : crs.name);

// gcoord's typings call its CommonJS exports `default`; imported from ESM they are the default itself
const gcoord = gcoordExports as unknown as typeof gcoordExports.default;
const FROM = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/**
 * A valid geometry in WGS84: GCJ-02 (AMap, Tencent) and BD-09 (Baidu) offsets removed by gcoord. A
 * projected one was converted before it was validated (`projected`), as its metres are not degrees.
 */
export function toWgs84(geometry: Geometry, crs: Crs): Geometry {
  if (crs !== "gcj02" && crs !== "bd09") return geometry;
  return gcoord.transform(geometry as never, FROM[crs], gcoord.WGS84) as Geometry;
}
