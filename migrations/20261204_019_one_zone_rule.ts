import type { Knex } from "knex";

// "Inside a zone" has one meaning in every answer (exposure, nearest's shelters in a hazard's zone,
// evacuation's area, village_risk): within radius_m geodesic metres of the zone's geometry on the WGS84
// spheroid, 1 mm allowance at the edge; a polygon's own area is at distance 0, so inside.
//
// `in_zone` is a scalar SQL function that is neither STRICT nor VOLATILE and has a single expression, so
// the planner inlines it into the caller's query: the ST_DWithin it becomes is an index search on the
// caller's <layer>_geog_gist (the index is on geom::geography, the caller passes geom::geography), as if
// the caller had written it out. Its body is SQL-standard (RETURN): parsed here, so a restore needs no
// search_path to find PostGIS.
//
// village_risk is re-created (same columns) with its hazard test written as in_zone.

/** The planners' radius of village_risk.covered: a usable shelter within 5 km. */
const COVERED_WITHIN_M = 5000;

/**
 * Geodesic metres from village v to the nearest row of `view` (alias x), exactly: geography KNN (<->, on
 * the sphere) finds a candidate, then the spheroid nearest is within its distance. Both are one-row
 * aggregates so the planner drops them from queries that do not read the column. (Migration 012's, as it was.)
 */
function nearestMetres(view: string, alias: string): string {
  return `
  LEFT JOIN LATERAL (
    SELECT min(m) AS m FROM (
      SELECT ST_Distance(x.geom::geography, v.geom::geography) AS m
      FROM ${view} x ORDER BY x.geom::geography <-> v.geom::geography LIMIT 1) knn
  ) ${alias}_knn ON true
  LEFT JOIN LATERAL (
    SELECT min(ST_Distance(x.geom::geography, v.geom::geography)) AS m
    FROM ${view} x WHERE ST_DWithin(x.geom::geography, v.geom::geography, ${alias}_knn.m + 0.01)
  ) ${alias} ON true`;
}

/** The metres within reach (else null) and the reason for a null. */
const withinReach = (alias: string, name: string) => `
  CASE WHEN ${alias}.m <= nearest_reach_m() THEN ${alias}.m END AS nearest_${name}_m,
  CASE WHEN ${alias}.m IS NULL THEN 'none' WHEN ${alias}.m > nearest_reach_m() THEN 'beyond_reach' END AS nearest_${name}_note`;

/** village_risk with the given test of "hazard h's zone holds village v". */
const villageRisk = (inHazardZone: string) => `
    CREATE OR REPLACE VIEW village_risk AS
    SELECT v.id, v.name, v.code, v.admin_code, v.township_code, v.population, v.vulnerable,
           hz.hazard_count, hz.hazard_names, hz.max_risk_level,
           ${withinReach("shelter", "shelter")},
           ${withinReach("depot", "depot")},
           ${withinReach("team", "team")},
           EXISTS (SELECT 1 FROM covering_resources('shelters', v.geom, ${COVERED_WITHIN_M})) AS covered,
           v.geom
    FROM villages v
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS hazard_count,
             coalesce(array_agg(h.name ORDER BY h.risk_level, h.id) FILTER (WHERE h.id IS NOT NULL), '{}') AS hazard_names,
             min(h.risk_level) AS max_risk_level
      FROM hazards h
      -- the first test is the index search (widest zone of all), the second the hazard's own zone
      WHERE ${inHazardZone}
    ) hz ON true
    ${nearestMetres("usable_shelters", "shelter")}
    ${nearestMetres("usable_depots", "depot")}
    ${nearestMetres("usable_teams", "team")}`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION in_zone(zone geography, radius_m double precision, g geography)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ST_DWithin(g, zone, radius_m + 0.001)`);
  await knex.raw(
    villageRisk(`in_zone(h.geom::geography, (SELECT max(influence_radius_m) FROM hazards), v.geom::geography)
        AND in_zone(h.geom::geography, h.influence_radius_m, v.geom::geography)`),
  );
}

export async function down(knex: Knex): Promise<void> {
  // migration 012's view, as it was
  await knex.raw(
    villageRisk(`ST_DWithin(h.geom::geography, v.geom::geography, (SELECT max(influence_radius_m) FROM hazards) + 0.001)
        AND ST_DWithin(h.geom::geography, v.geom::geography, h.influence_radius_m + 0.001)`),
  );
  await knex.raw("DROP FUNCTION in_zone(geography, double precision, geography)");
}
