-- Who must leave an area, and which shelters within :max_distance_m can take them?
-- The area is a zone: everything within :zone_radius_m geodesic metres of :zone (a geography: a polygon
-- with radius 0, a circle's centre, or a hazard's geometry with its influence radius), WGS84 spheroid.
-- Villages inside with people must leave; open shelters outside the zone with free capacity receive;
-- pairs within :max_distance_m carry their geodesic distance. The assignment is solved in
-- evacuation_plan.ts. 1 mm allowance at every edge. Uses villages_geog_gist and shelters_geog_gist.
WITH zone AS (
  SELECT ST_GeomFromGeoJSON(:zone)::geography AS g, :zone_radius_m::float8 + 0.001 AS r
),
affected AS (
  SELECT v.id, v.name, v.population, v.geom FROM villages v, zone
  WHERE v.population > 0 AND ST_DWithin(v.geom::geography, zone.g, zone.r)
),
receiving AS (
  -- the index finds shelters near the zone at all; then those near an affected village
  SELECT s.id, s.name, s.capacity - s.occupancy AS free_capacity, s.geom FROM shelters s, zone
  WHERE ST_DWithin(s.geom::geography, zone.g, zone.r + :max_distance_m + 0.001)
    AND s.status = 'open' AND s.capacity > s.occupancy AND NOT ST_DWithin(s.geom::geography, zone.g, zone.r)
    AND EXISTS (SELECT 1 FROM affected a WHERE ST_DWithin(s.geom::geography, a.geom::geography, :max_distance_m + 0.001))
)
SELECT json_build_object(
  'villages', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'population', population,
                 'lon', ST_X(geom), 'lat', ST_Y(geom)) ORDER BY id), '[]') FROM affected),
  'shelters', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'free_capacity', free_capacity,
                 'lon', ST_X(geom), 'lat', ST_Y(geom)) ORDER BY id), '[]') FROM receiving),
  'pairs', (SELECT coalesce(json_agg(json_build_object('village_id', a.id, 'shelter_id', s.id,
                 'distance_m', ST_Distance(a.geom::geography, s.geom::geography)) ORDER BY a.id, s.id), '[]')
            FROM affected a JOIN receiving s ON ST_DWithin(s.geom::geography, a.geom::geography, :max_distance_m + 0.001))
)::text AS plan
