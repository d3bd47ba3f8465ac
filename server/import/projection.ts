import proj4 from "proj4";
import { Problem } from "../http/problem.ts";
import { EPSG_DEFINITIONS } from "./epsg_definitions.ts";

/** A coordinate system coordinates are converted from to WGS 84 longitude/latitude (proj4). */
export interface Projection {
  /** As messages and the audit trail name it: `EPSG:3826`, or what a .prj calls itself. */
  name: string;
  toWgs84(xy: number[]): number[];
}

const WGS84 = EPSG_DEFINITIONS.get(4326)!.proj4;

/** Datums within a metre of WGS 84 (realisations of ITRF): taken as equal, as GDAL does without a grid. */
const NEAR_WGS84 =
  /wgs.?(19)?84|china.?2000|cgcs.?2000|china_geodetic_coordinate_system_2000|taiwan_datum_1997|twd.?(19)?97|itrf|etrs|european_terrestrial_reference_system_1989/i;

const unknownCrs = (detail: string) => new Problem(422, "unknown-crs", "Unknown coordinate system", detail, [{ path: ["crs"], message: detail }]);

/**
 * Longitude/latitude in degrees from Greenwich on a datum taken as WGS 84 (no shift, or a zero one) are
 * kept as they are: a round trip through radians would move them by a last bit.
 */
function isWgs84Degrees(definition: string): boolean {
  const p = new proj4.Proj(definition) as unknown as { projName?: string; units?: string; from_greenwich?: number; datum_params?: unknown[] };
  return (
    p.projName === "longlat" && (p.units === undefined || p.units === "degree") && !p.from_greenwich && (p.datum_params ?? []).every((v) => Number(v) === 0)
  );
}

function projection(name: string, definition: string): Projection {
  if (isWgs84Degrees(definition)) return { name, toWgs84: (xy) => [xy[0]!, xy[1]!] };
  const converter = proj4(definition, WGS84);
  return { name, toWgs84: (xy) => converter.forward([xy[0]!, xy[1]!]) };
}

/** The built-in definition of an EPSG code (epsg_definitions.ts), or undefined. */
export function epsgProjection(code: number): Projection | undefined {
  const d = EPSG_DEFINITIONS.get(code);
  return d && projection(`EPSG:${code}`, d.proj4);
}

/** `EPSG:<code>` as a query parameter gives it: a 422 naming it when it is not built in. */
export function epsgNamed(value: string): Projection {
  const code = Number(value.slice(value.indexOf(":") + 1));
  const p = epsgProjection(code);
  if (!p) throw unknownCrs(`EPSG:${code} is not a coordinate system this server knows; it knows ${KNOWN}`);
  return p;
}

const KNOWN = "EPSG:4326, 4490, 3824, 3825, 3826, 3857, 4491–4554 (CGCS2000 Gauss-Krüger), 32601–32660 and 32701–32760 (UTM)";

/**
 * A coordinate system as WKT (a shapefile's .prj, a GeoPackage's definition): its EPSG code when it
 * states one that is built in, else what proj4 reads of it. A datum with no stated shift to WGS 84 and
 * not within a metre of it (Beijing 1954, Xian 1980: ~100 m off) is refused, never taken as WGS 84.
 * `source` names where the WKT came from, for the 422.
 */
export function wktProjection(wkt: string, source: string): Projection {
  const authority = /(?:AUTHORITY|ID)\["EPSG",\s*"?(\d+)"?\]\s*\]\s*$/i.exec(wkt.trim()); // the last one: the whole system's
  const known = authority && epsgProjection(Number(authority[1]));
  if (known) return known;
  let parsed: { name?: string; srsCode?: string; datumCode?: string; datum_params?: unknown; GEOGCS?: { DATUM?: { name?: string } } };
  try {
    parsed = new proj4.Proj(wkt) as unknown as typeof parsed;
  } catch (e) {
    throw unknownCrs(`${source} cannot be read as a coordinate system (${(e as Error).message}): give crs=EPSG:<code>`);
  }
  const name = parsed.srsCode ?? parsed.name ?? "unnamed";
  const datum = parsed.GEOGCS?.DATUM?.name ?? parsed.datumCode ?? "";
  if (!parsed.datum_params && !NEAR_WGS84.test(datum) && !NEAR_WGS84.test(parsed.datumCode ?? ""))
    throw unknownCrs(
      `${source}: ${name} is on the datum ${datum || "(none named)"}, whose shift to WGS 84 is not known here: reproject the file to WGS 84 or CGCS2000 first`,
    );
  return projection(name, wkt);
}

/**
 * The geometry with every position converted, whatever its shape: a GeoJSON geometry as a file gives
 * it, not yet validated, so anything that is not a position (or not finite: a shapefile's NaN) is passed
 * on unchanged for the layer's schema to explain. Z is dropped (a road network's heights are not used).
 */
export function projected(geometry: unknown, p: Projection): unknown {
  const positions = (c: unknown): unknown => {
    if (!Array.isArray(c)) return c;
    if (c.length >= 2 && typeof c[0] === "number" && typeof c[1] === "number") return Number.isFinite(c[0]) && Number.isFinite(c[1]) ? p.toWgs84(c) : c;
    return c.map(positions);
  };
  if (typeof geometry !== "object" || geometry === null) return geometry;
  const g = geometry as { coordinates?: unknown; geometries?: unknown };
  if ("coordinates" in g) return { ...g, coordinates: positions(g.coordinates) };
  if (Array.isArray(g.geometries)) return { ...g, geometries: g.geometries.map((x) => projected(x, p)) };
  return geometry;
}
