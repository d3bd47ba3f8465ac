import type { Knex } from "knex";

// The derived ("risk") layers are plain views, so they are never stale: every read computes them from
// the layers as they are now. Zones follow the exposure question: everything within influence_radius_m
// geodesic metres of the hazard (1 mm allowance at the edge).

/** A village is covered when an open shelter is within this many metres (the planners' 5 km radius). */
export const COVERED_WITHIN_M = 5000;

/**
 * Geodesic metres from village v to the nearest feature of `table` meeting `where` (alias x), exactly:
 * geography KNN (<->, on the sphere) finds a candidate, then the spheroid nearest is within its distance.
 * Both are one-row aggregates so the planner drops them from queries that do not read the column.
 */
function nearestMetres(table: string, alias: string, where: (x: string) => string): string {
  return `
  LEFT JOIN LATERAL (
    SELECT min(m) AS m FROM (
      SELECT ST_Distance(x.geom::geography, v.geom::geography) AS m
      FROM ${table} x WHERE ${where("x")}
      ORDER BY x.geom::geography <-> v.geom::geography LIMIT 1) knn
  ) ${alias}_knn ON true
  LEFT JOIN LATERAL (
    SELECT min(ST_Distance(x.geom::geography, v.geom::geography)) AS m
    FROM ${table} x WHERE ${where("x")} AND ST_DWithin(x.geom::geography, v.geom::geography, ${alias}_knn.m + 0.01)
  ) ${alias} ON true`;
}

export async function up(knex: Knex): Promise<void> {
  // The zone as a function (NULL for a point or line without a radius), so the same expression can be
  // indexed: tiles and bbox reads of hazard_zones find zones by index, not by buffering every hazard. A SQL-standard body
  // (RETURN …, not AS $$ … $$) is parsed once, here, and dumped schema-qualified: pg_restore, which
  // rebuilds the index with an empty search_path, could not find PostGIS for a body kept as text.
  await knex.raw(`
    CREATE FUNCTION hazard_zone(geom geometry, influence_radius_m double precision) RETURNS geometry
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ST_Multi(CASE WHEN influence_radius_m > 0 THEN ST_Buffer(geom::geography, influence_radius_m)::geometry
                         WHEN GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') THEN geom
                    END)::geometry(MultiPolygon, 4326)`);
  await knex.raw("CREATE INDEX hazards_zone_gist ON hazards USING gist (hazard_zone(geom, influence_radius_m))");
  await knex.raw(`
    CREATE VIEW hazard_zones AS
    SELECT h.id, h.name, h.code, h.kind, h.risk_level, h.influence_radius_m, h.responsible_unit,
           hazard_zone(h.geom, h.influence_radius_m) AS geom
    FROM hazards h
    WHERE h.influence_radius_m > 0 OR GeometryType(h.geom) IN ('POLYGON', 'MULTIPOLYGON')`);

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
      -- the first test is the index search (widest zone of all), the second the hazard's own zone
      WHERE ST_DWithin(h.geom::geography, v.geom::geography, (SELECT max(influence_radius_m) FROM hazards) + 0.001)
        AND ST_DWithin(h.geom::geography, v.geom::geography, h.influence_radius_m + 0.001)
    ) hz ON true
    ${nearestMetres("shelters", "shelter", (x) => `${x}.status = 'open'`)}
    ${nearestMetres("depots", "depot", () => "true")}
    ${nearestMetres("teams", "team", () => "true")}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP VIEW IF EXISTS village_risk");
  await knex.raw("DROP VIEW IF EXISTS hazard_zones");
  await knex.raw("DROP FUNCTION IF EXISTS hazard_zone(geometry, double precision)");
}
