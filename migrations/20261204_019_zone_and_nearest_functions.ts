import type { Knex } from "knex";

// Two definitions that were written out wherever they were used, each now one SQL function that the
// planner inlines into the caller's query (LANGUAGE sql, neither STRICT nor VOLATILE, one SELECT), so the
// index searches they become are the caller's own: visible in EXPLAIN, and planned once in a prepared
// statement's generic plan. Their bodies are SQL-standard (RETURN, BEGIN ATOMIC): parsed here, so a
// restore needs no search_path to find PostGIS or the usable_* views.
//
// "Inside a zone" (exposure, nearest's shelters in a hazard's zone and its marks, evacuation's area,
// village_risk): within radius_m geodesic metres of the zone's geometry on the WGS84 spheroid, 1 mm
// allowance at the edge; a polygon's own area is at distance 0, so inside. `in_zone` becomes the
// ST_DWithin, an index search on the caller's <layer>_geog_gist (on geom::geography, which the caller passes).
//
// "The nearest, exactly" (nearest, village_risk's nearest usable shelter, depot and team): <-> on
// geography orders by sphere distance, which can rank near-ties wrongly. So: take the k nearest
// candidates by the index (KNN); the largest of their exact spheroid distances bounds the true k-th
// distance (any k features bound it); then answer everything within that bound (+ 1 cm: ST_DWithin and
// ST_Distance may round the same pair differently), or within max_m, with its exact distance. Both steps
// touch ~k rows. `nearest_exact_<source>` does this for one source (a layer's table or its usable view),
// filtered by its arguments (NULL: no filter); the caller ranks the rows and takes its k. One function per
// source, all from the one definition below: a single function choosing its source by an argument made
// every village_risk query plan ten times longer (12 ms instead of 1.2), folding away the other sources.
//
// village_risk is re-created (same columns) on both.

/** nearest's filters (NULL: no filter), over `x`: the answers of GET /nearest by layer. */
const SHELTER_FILTER = `(want_status IS NULL OR x.status = want_status)
    AND (want_min_free_capacity IS NULL OR (x.status = 'open' AND x.capacity - x.occupancy >= want_min_free_capacity))`;
// a scalar subquery per candidate (primary-key lookup): the KNN scan visits only a few depots, so this
// beats EXISTS, which PostgreSQL would hash over every depot holding the item
const DEPOT_FILTER = `(want_item IS NULL
    OR (SELECT s.quantity FROM depot_stock s WHERE s.depot_id = x.id AND s.item_code = want_item) >= want_min_quantity)`;
const TEAM_FILTER = `(want_specialty IS NULL OR x.specialties @> ARRAY[want_specialty]) AND (want_status IS NULL OR x.status = want_status)`;

/** Each source of nearest_exact_<source> (a layer's table, or its usable view), with its filter. */
const SOURCES: Record<string, string> = {
  shelters: SHELTER_FILTER,
  usable_shelters: SHELTER_FILTER,
  depots: DEPOT_FILTER,
  usable_depots: DEPOT_FILTER,
  teams: TEAM_FILTER,
  usable_teams: TEAM_FILTER,
  hazards: "TRUE",
};

/**
 * One source's rows within the exact bound. The bound first, then the rows by a lateral subquery (OFFSET 0
 * keeps it one): an index search per bound, as a hand-written query would do. `outside_zone` is a
 * constant at each caller, so its test folds away.
 */
const nearestIn = (source: string, filter: string) => `
      SELECT a.id, a.geom, a.distance_m
      FROM (SELECT least(max(knn.d) + 0.01, max_m + 0.001) AS r
            FROM (SELECT ST_Distance(x.geom::geography, here) AS d
                  FROM ${source} x
                  WHERE ${filter} AND NOT (outside_zone AND in_zone(here, zone_radius_m, x.geom::geography))
                  ORDER BY x.geom::geography <-> here
                  LIMIT k) knn) bound,
           LATERAL (SELECT x.id, x.geom, ST_Distance(x.geom::geography, here) AS distance_m
                    FROM ${source} x
                    WHERE ${filter} AND NOT (outside_zone AND in_zone(here, zone_radius_m, x.geom::geography))
                      AND ST_DWithin(x.geom::geography, here, bound.r)
                    OFFSET 0) a`;

/** Every nearest_exact_<source>'s arguments. */
const NEAREST_ARGS = `here geography, k int, max_m double precision, want_item text, want_min_quantity int, want_specialty text,
    want_status text, want_min_free_capacity int, outside_zone boolean, zone_radius_m double precision`;
const NEAREST_ARG_TYPES = "geography, int, double precision, text, int, text, text, int, boolean, double precision";

/** The planners' radius of village_risk.covered: a usable shelter within 5 km. */
const COVERED_WITHIN_M = 5000;

/** Geodesic metres from village v to the nearest row of a usable_* view, exactly (012's nearestMetres, as it was). */
function nearestMetres012(view: string, alias: string): string {
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

/** The same by nearest_exact_<view>: a one-row aggregate, so the planner drops it from queries that do not read the column. */
function nearestMetres(view: string, alias: string): string {
  return `
  LEFT JOIN LATERAL (
    SELECT min(n.distance_m) AS m
    FROM nearest_exact_${view}(v.geom::geography, 1, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL) n
  ) ${alias} ON true`;
}

/** The metres within reach (else null) and the reason for a null. */
const withinReach = (alias: string, name: string) => `
  CASE WHEN ${alias}.m <= nearest_reach_m() THEN ${alias}.m END AS nearest_${name}_m,
  CASE WHEN ${alias}.m IS NULL THEN 'none' WHEN ${alias}.m > nearest_reach_m() THEN 'beyond_reach' END AS nearest_${name}_note`;

/** village_risk with the given test of "hazard h's zone holds village v" and nearest metres. */
const villageRisk = (inHazardZone: string, nearest: (view: string, alias: string) => string) => `
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
    ${nearest("usable_shelters", "shelter")}
    ${nearest("usable_depots", "depot")}
    ${nearest("usable_teams", "team")}`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION in_zone(zone geography, radius_m double precision, g geography)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ST_DWithin(g, zone, radius_m + 0.001)`);
  for (const [source, filter] of Object.entries(SOURCES)) {
    await knex.raw(`
      CREATE FUNCTION nearest_exact_${source}(${NEAREST_ARGS})
      RETURNS TABLE (id bigint, geom geometry, distance_m double precision) LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
        ${nearestIn(source, filter)};
      END`);
  }
  await knex.raw(
    villageRisk(
      `in_zone(h.geom::geography, (SELECT max(influence_radius_m) FROM hazards), v.geom::geography)
        AND in_zone(h.geom::geography, h.influence_radius_m, v.geom::geography)`,
      nearestMetres,
    ),
  );
}

export async function down(knex: Knex): Promise<void> {
  // migration 012's view, as it was
  await knex.raw(
    villageRisk(
      `ST_DWithin(h.geom::geography, v.geom::geography, (SELECT max(influence_radius_m) FROM hazards) + 0.001)
        AND ST_DWithin(h.geom::geography, v.geom::geography, h.influence_radius_m + 0.001)`,
      nearestMetres012,
    ),
  );
  for (const source of Object.keys(SOURCES)) await knex.raw(`DROP FUNCTION nearest_exact_${source}(${NEAREST_ARG_TYPES})`);
  await knex.raw("DROP FUNCTION in_zone(geography, double precision, geography)");
}
