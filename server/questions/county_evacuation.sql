-- Who would go where if the whole county left home at once? Every village with people and every usable
-- shelter (migration 011: open, with free places = capacity − occupancy), with each village–shelter pair
-- within :max_distance_m geodesic metres (WGS84 spheroid, 1 mm allowance) and its distance; EPSG:4326
-- lon/lat. county_evacuation.ts allocates the people (by road where the network reaches). Uses
-- shelters_geog_gist for the pairs; villages and shelters are read whole (one county).
WITH
villages_out AS MATERIALIZED (
  SELECT v.id, v.name, v.population, v.township_code, v.geom FROM villages v WHERE v.population > 0
),
shelters_out AS MATERIALIZED (
  SELECT s.id, s.name, s.capacity - s.occupancy AS free_capacity, s.geom FROM usable_shelters s
),
pairs AS (
  SELECT v.id AS village_id, s.id AS shelter_id, ST_Distance(v.geom::geography, s.geom::geography) AS d
  FROM villages_out v JOIN shelters_out s ON ST_DWithin(s.geom::geography, v.geom::geography, :max_distance_m::float8 + 0.001)
)
SELECT
  (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'population', population, 'township', township_code,
     'lon', ST_X(geom), 'lat', ST_Y(geom)) ORDER BY id), '[]') FROM villages_out)::text AS villages,
  (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'free_capacity', free_capacity,
     'lon', ST_X(geom), 'lat', ST_Y(geom)) ORDER BY id), '[]') FROM shelters_out)::text AS shelters,
  (SELECT coalesce(json_agg(json_build_array(village_id, shelter_id, d) ORDER BY village_id, shelter_id), '[]') FROM pairs)::text AS pairs
