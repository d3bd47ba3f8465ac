import { Problem } from "../http/problem.ts";
import { epsgNamed } from "./projection.ts";
import type { Crs } from "./to_wgs84.ts";

const refused = (detail: string) => new Problem(422, "unknown-crs", "Unknown coordinate system", detail, [{ path: ["crs"], message: detail }]);

/** OGC's name for longitude/latitude on WGS 84, as GDAL writes it. */
const CRS84 = /^urn:ogc:def:crs:OGC:(1\.3)?:CRS84$|^https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84$/i;
/** An EPSG code as a URN, an OGC URL or `EPSG:n`. */
const EPSG = /^(?:urn:ogc:def:crs:EPSG:[\d.]*:|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/|EPSG:)(\d+)$/i;

/**
 * The coordinate system a GeoJSON file of the 2008 specification names in its top-level `crs` member
 * (`{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3826"}}`, as GDAL writes for anything
 * but WGS 84). RFC 7946 dropped the member, but files from GIS tools still carry it; axis order stays
 * x, y as GeoJSON has always had it.
 */
export function geoJsonCrs(member: unknown): Crs {
  const m = member as { type?: unknown; properties?: { name?: unknown } } | null;
  const name = m?.type === "name" && typeof m.properties?.name === "string" ? m.properties.name.trim() : undefined;
  if (name === undefined) throw refused(`the file's "crs" member is not a named coordinate system ({"type": "name", …}): give crs=EPSG:<code>`);
  if (CRS84.test(name)) return "wgs84";
  const epsg = EPSG.exec(name);
  if (!epsg) throw refused(`the file's "crs" names ${JSON.stringify(name)}, which is not read here: give crs=EPSG:<code>`);
  return Number(epsg[1]) === 4326 ? "wgs84" : epsgNamed(`EPSG:${epsg[1]}`);
}
