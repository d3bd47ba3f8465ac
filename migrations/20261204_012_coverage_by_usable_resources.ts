import type { Knex } from "knex";

// "A village is covered" has one meaning in every answer (coverage gaps, site suggestions, village risk):
// a usable resource (migration 011: a shelter open with free places, a team on standby, a depot holding
// stock) lies within the radius, geodesic on the WGS84 spheroid, 1 mm allowance at the edge.
//
// `covering_resources` is a set-returning SQL function that is neither STRICT nor VOLATILE, so the
// planner inlines it into the caller's query: the layer tests fold to constants and the ST_DWithin is an
// index search on <layer>_geog_gist per village, exactly as if the caller had written it out. Its body is
// SQL-standard (BEGIN ATOMIC): parsed here, so it depends on the usable_* views and a restore needs no
// search_path to find them.
//
// village_risk is re-created on the usable views, and a distance to "the nearest" beyond a sane reach
// (the setting hazmap.nearest_reach_m, 200 km unless set) is null with the reason beside it: 'none' when
// no usable resource exists at all, 'beyond_reach' when the nearest is farther than the reach.

/** The planners' radius of village_risk.covered: a usable shelter within 5 km. */
const COVERED_WITHIN_M = 5000;
const DEFAULT_REACH_M = 200_000;

/**
 * Geodesic metres from village v to the nearest row of `view` (alias x), exactly: geography KNN (<->, on
 * the sphere) finds a candidate, then the spheroid nearest is within its distance. Both are one-row
 * aggregates so the planner drops them from queries that do not read the column.
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

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION covering_resources(layer text, village geometry, radius_m double precision)
    RETURNS TABLE (id bigint) LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
      SELECT x.id FROM usable_shelters x
       WHERE layer = 'shelters' AND ST_DWithin(x.geom::geography, village::geography, radius_m + 0.001)
      UNION ALL
      SELECT x.id FROM usable_teams x
       WHERE layer = 'teams' AND ST_DWithin(x.geom::geography, village::geography, radius_m + 0.001)
      UNION ALL
      SELECT x.id FROM usable_depots x
       WHERE layer = 'depots' AND ST_DWithin(x.geom::geography, village::geography, radius_m + 0.001);
    END`);
  // A setting, not a constant: the server sets it per connection from NEAREST_REACH_M; psql, QGIS or an
  // export script reading the view get the database's value (ALTER DATABASE … SET) or 200 km.
  await knex.raw(`
    CREATE FUNCTION nearest_reach_m() RETURNS double precision LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(nullif(current_setting('hazmap.nearest_reach_m', true), '')::double precision, ${DEFAULT_REACH_M})`);

  await knex.raw("DROP VIEW village_risk");
  await knex.raw(`
    CREATE VIEW village_risk AS
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
      WHERE ST_DWithin(h.geom::geography, v.geom::geography, (SELECT max(influence_radius_m) FROM hazards) + 0.001)
        AND ST_DWithin(h.geom::geography, v.geom::geography, h.influence_radius_m + 0.001)
    ) hz ON true
    ${nearestMetres("usable_shelters", "shelter")}
    ${nearestMetres("usable_depots", "depot")}
    ${nearestMetres("usable_teams", "team")}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP VIEW village_risk");
  // migration 004's view, as it was
  await knex.raw(`
    CREATE VIEW village_risk AS
    SELECT v.id, v.name, v.code, v.admin_code, v.township_code, v.population, v.vulnerable,
           hz.hazard_count, hz.hazard_names, hz.max_risk_level,
           shelter.m AS nearest_open_shelter_m, depot.m AS nearest_depot_m, team.m AS nearest_team_m,
           coalesce(shelter.m <= ${COVERED_WITHIN_M} + 0.001, false) AS covered,
           v.geom
    FROM villages v
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS hazard_count,
             coalesce(array_agg(h.name ORDER BY h.risk_level, h.id) FILTER (WHERE h.id IS NOT NULL), '{}') AS hazard_names,
             min(h.risk_level) AS max_risk_level
      FROM hazards h
      WHERE ST_DWithin(h.geom::geography, v.geom::geography, (SELECT max(influence_radius_m) FROM hazards) + 0.001)
        AND ST_DWithin(h.geom::geography, v.geom::geography, h.influence_radius_m + 0.001)
    ) hz ON true
    ${nearestMetres("(SELECT * FROM shelters WHERE status = 'open')", "shelter")}
    ${nearestMetres("depots", "depot")}
    ${nearestMetres("teams", "team")}`);
  await knex.raw("DROP FUNCTION nearest_reach_m()");
  await knex.raw("DROP FUNCTION covering_resources(text, geometry, double precision)");
}
