-- Shelter capacity: who could go where. The area, its villages and usable shelters (migration 011: open,
-- with free places = capacity − occupancy), and every village–shelter pair within :radius_m geodesic
-- metres (WGS84 spheroid, 1 mm allowance) with its distance; shelter_capacity.ts allocates the people.
--
-- The area: every village when :township is NULL. For one township, the township and its neighbours
-- that compete with it: every township with a village within reach of a shelter that one of the
-- township's villages can reach (and such villages with no township), with all the usable shelters
-- their villages can reach. Far-off people are left out, so the allocation stays the size of a few
-- townships at national scale: the township's row is its row in the whole answer unless people farther
-- off compete for its neighbours' shelters (then it is as if they did not).
--
-- Each shelter belongs to the township whose polygon covers it (the lowest id if several do; none if
-- none does): its own places. Every usable shelter of the answered townships is listed, reached or not.
-- Uses villages_geog_gist / shelters_geog_gist for the pairs, townships_geom_gist and
-- shelters_geom_gist for ownership, villages_township_code for a township's villages.
WITH
settings AS (SELECT :radius_m::float8 + 0.001 AS reach),
-- the township's villages, the shelters they reach, the villages those shelters reach
home AS (SELECT v.id, v.geom FROM villages v WHERE v.township_code = :township::text),
home_shelters AS (
  SELECT DISTINCT s.id, s.geom FROM home h CROSS JOIN settings
  JOIN usable_shelters s ON ST_DWithin(s.geom::geography, h.geom::geography, settings.reach)
),
rivals AS (
  SELECT DISTINCT v.id, v.township_code FROM home_shelters s CROSS JOIN settings
  JOIN villages v ON ST_DWithin(v.geom::geography, s.geom::geography, settings.reach)
),
-- each branch by an index, or (the whole area) a plain scan; a branch whose condition is false is skipped
area_village_ids AS (
  SELECT v.id FROM villages v WHERE :township::text IS NULL
  UNION
  SELECT v.id FROM villages v WHERE v.township_code IN (SELECT township_code FROM rivals UNION SELECT :township::text)
  UNION
  SELECT id FROM rivals
),
area_villages AS MATERIALIZED (
  SELECT v.id, v.population, v.geom, t.admin_code AS township
  FROM villages v JOIN area_village_ids USING (id)
  LEFT JOIN townships t ON t.admin_code = v.township_code
),
answered AS MATERIALIZED (
  SELECT t.id, t.admin_code, t.name, t.geom FROM townships t
  WHERE t.admin_code IS NOT NULL AND (:township::text IS NULL OR t.admin_code = :township::text)
),
pairs AS MATERIALIZED (
  SELECT v.id AS village_id, s.id AS shelter_id,
         ST_Distance(v.geom::geography, s.geom::geography) AS d
  FROM area_villages v CROSS JOIN settings
  JOIN usable_shelters s ON ST_DWithin(s.geom::geography, v.geom::geography, settings.reach)
  WHERE v.population > 0
),
-- every usable shelter for the whole area; else those that receive (in some pair) and the township's own
area_shelter_ids AS (
  SELECT s.id FROM usable_shelters s WHERE :township::text IS NULL
  UNION
  SELECT shelter_id FROM pairs
  UNION
  SELECT s.id FROM answered t JOIN usable_shelters s ON ST_Covers(t.geom, s.geom) WHERE :township::text IS NOT NULL
),
area_shelters AS MATERIALIZED (
  SELECT s.id, s.capacity, s.capacity - s.occupancy AS free_places, s.effective_area_m2, s.geom
  FROM usable_shelters s JOIN area_shelter_ids USING (id)
),
owned AS (
  SELECT s.id, s.capacity, s.free_places, s.effective_area_m2,
         (SELECT t.admin_code FROM townships t WHERE t.admin_code IS NOT NULL AND ST_Covers(t.geom, s.geom) ORDER BY t.id LIMIT 1) AS township
  FROM area_shelters s
)
SELECT
  (SELECT coalesce(json_agg(json_build_object('township', admin_code, 'name', name) ORDER BY admin_code), '[]') FROM answered)::text AS townships,
  (SELECT coalesce(json_agg(json_build_object('id', id, 'population', population, 'township', township) ORDER BY id), '[]') FROM area_villages)::text AS villages,
  (SELECT coalesce(json_agg(json_build_object('id', id, 'capacity', capacity, 'free_places', free_places,
     'effective_area_m2', effective_area_m2, 'township', township) ORDER BY id), '[]') FROM owned)::text AS shelters,
  (SELECT coalesce(json_agg(json_build_array(village_id, shelter_id, d) ORDER BY village_id, shelter_id), '[]') FROM pairs)::text AS pairs
