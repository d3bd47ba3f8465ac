-- Who must leave an area, and which shelters within :max_distance_m can take them?
-- The area is a zone: everything within :zone_radius_m geodesic metres of :zone (a geography: a polygon
-- with radius 0, a circle's centre, or a hazard's geometry with its influence radius), WGS84 spheroid.
-- Villages inside with people must leave; usable shelters outside the zone receive;
-- pairs within :max_distance_m carry their geodesic distance. The assignment is solved in
-- evacuation_plan.ts. Inside the zone is in_zone (migration 019); 1 mm allowance at every edge. Finds
-- villages by their geometry index inside the zone's reach box (migration 010), shelters by
-- shelters_geog_gist.
--
-- Only the affected villages with id % :parts = :part are answered, so that the caller can ask for
-- the parts at once on several connections (one query runs on one core; the pairs are most of it).
-- Without :pairs, no pairs: the villages and candidates carry their geocentric x, y, z (EPSG:4978), for
-- the caller to test the chord itself (by road, the searches bound the pairs; evacuation_plan.ts), and
-- only part 0 answers the candidates.
--
-- The pairs: every affected village against every candidate shelter (both sets come from an index,
-- and are near each other: a third of the cross product is within reach). First the chord c, the
-- straight line through the Earth between the two points (geocentric x, y, z, EPSG:4978), which is
-- never longer than the geodesic: a cheap, conservative test. Then the geodesic once per pair
-- (evacuation_pair_distance.sql).
WITH zone AS (
  SELECT ST_GeomFromGeoJSON(:zone)::geography AS g, :zone_radius_m::float8 AS r,
         :max_distance_m::float8 + 0.001 AS reach
),
affected AS MATERIALIZED (
  SELECT v.id, v.name, v.population, v.geom, e.x, e.y, e.z
  FROM villages v CROSS JOIN zone
  CROSS JOIN LATERAL (SELECT ST_X(p) AS x, ST_Y(p) AS y, ST_Z(p) AS z FROM ST_Transform(ST_Force3D(v.geom), 4978) p) e
  WHERE v.geom && geodesic_reach_box(zone.g, zone.r + 0.001) AND in_zone(zone.g, zone.r, v.geom::geography)
    AND v.population > 0 AND v.id % :parts = :part
  ORDER BY v.id
),
-- usable shelters (migration 011: open, with free places) outside the zone, near enough to it that some
-- affected village may reach them
candidates AS MATERIALIZED (
  SELECT s.id, s.name, s.capacity - s.occupancy AS free_capacity, s.geom, e.x, e.y, e.z
  FROM usable_shelters s CROSS JOIN zone
  CROSS JOIN LATERAL (SELECT ST_X(p) AS x, ST_Y(p) AS y, ST_Z(p) AS z FROM ST_Transform(ST_Force3D(s.geom), 4978) p) e
  WHERE in_zone(zone.g, zone.r + zone.reach, s.geom::geography) AND NOT in_zone(zone.g, zone.r, s.geom::geography)
    AND (:pairs OR :part = 0) -- without pairs, one part answers them
  ORDER BY s.id
),
-- by village, then shelter: the LATERAL runs the candidates (in id order) once per village (in id order)
pairs AS MATERIALIZED (
  SELECT a.id AS village_id, near.id AS shelter_id, near.d
  FROM affected a CROSS JOIN zone CROSS JOIN LATERAL (
    SELECT s.id, {{pair_distance}} AS d
    FROM candidates s
    CROSS JOIN LATERAL (SELECT sqrt((a.x - s.x) * (a.x - s.x) + (a.y - s.y) * (a.y - s.y) + (a.z - s.z) * (a.z - s.z)) AS c) chord
    WHERE chord.c <= zone.reach + 1
    OFFSET 0 -- a fence: d is computed once, not again for the test below
  ) near
  WHERE near.d <= zone.reach AND :pairs
)
-- Pairs as three parallel arrays: ~150,000 of them in a dense area, and JSON objects would be
-- most of the query's time. The receiving shelters are the candidates that appear in some pair.
SELECT
  (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'population', population,
     'lon', ST_X(geom), 'lat', ST_Y(geom)) ORDER BY id), '[]') FROM affected)::text AS villages,
  (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'free_capacity', free_capacity,
     'lon', ST_X(geom), 'lat', ST_Y(geom)) ORDER BY id), '[]') FROM candidates)::text AS candidates,
  p.village_ids, p.shelter_ids, p.distances_m,
  -- without :pairs, x, y, z of each village and candidate in id order (NULL when there is none)
  CASE WHEN NOT :pairs THEN (SELECT array_agg(c ORDER BY a.id, k) FROM affected a, unnest(ARRAY[a.x, a.y, a.z]) WITH ORDINALITY u(c, k))::text END AS village_xyz,
  CASE WHEN NOT :pairs THEN (SELECT array_agg(c ORDER BY s.id, k) FROM candidates s, unnest(ARRAY[s.x, s.y, s.z]) WITH ORDINALITY u(c, k))::text END AS candidate_xyz
FROM (
  SELECT array_agg(village_id)::text AS village_ids, array_agg(shelter_id)::text AS shelter_ids,
         array_agg(d)::text AS distances_m
  FROM pairs
) p
