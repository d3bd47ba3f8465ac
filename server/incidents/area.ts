import { z } from "zod";
import { geometrySchema } from "../layers/geometry.ts";
import { lonLat } from "../questions/params.ts";

/**
 * Where an incident is, as a commander can say it: a drawn area (GeoJSON Polygon or MultiPolygon), a
 * circle round a point, or the zone of a hazard already on the map.
 */
export const IncidentArea = z.union([
  geometrySchema(["Polygon", "MultiPolygon"]),
  z.strictObject({ ...lonLat, radius_m: z.number().positive().max(200_000).describe("metres on the spheroid") }),
  z.strictObject({ hazard_id: z.number().int().positive().describe("the incident's area is this hazard's zone") }),
]);
export type IncidentArea = z.output<typeof IncidentArea>;

/**
 * The area as a MultiPolygon in SQL, with its values as named bindings (`:area_geojson`, `:area_lon`,
 * `:area_lat`, `:area_radius_m`, `:area_hazard_id`; unused ones null): one expression serves all three.
 */
export const AREA_SQL = `ST_Multi(CASE
  WHEN :area_geojson::text IS NOT NULL THEN ST_SetSRID(ST_GeomFromGeoJSON(:area_geojson::text), 4326)
  WHEN :area_radius_m::float8 IS NOT NULL
    THEN ST_Buffer(ST_SetSRID(ST_MakePoint(:area_lon::float8, :area_lat::float8), 4326)::geography, :area_radius_m::float8, 'quad_segs=16')::geometry
  ELSE (SELECT z.geom FROM hazard_zones z WHERE z.id = :area_hazard_id::bigint)
END)`;

export function areaBindings(area: IncidentArea) {
  return {
    area_geojson: "type" in area ? JSON.stringify(area) : null,
    area_lon: "radius_m" in area ? area.lon : null,
    area_lat: "radius_m" in area ? area.lat : null,
    area_radius_m: "radius_m" in area ? area.radius_m : null,
    area_hazard_id: "hazard_id" in area ? area.hazard_id : null,
  };
}
