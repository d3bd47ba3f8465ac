-- What lies inside a zone: a geometry buffered by a radius on the WGS84 spheroid, i.e. everything within
-- :zone_radius_m geodesic metres of :zone (hex EWKB, EPSG:4326) — a hazard and its influence_radius_m,
-- or an incident's area and 0. Villages are found by their geometry index inside the zone's reach box (migration 010),
-- the other layers by their _geog_gist (ST_DWithin on geography).
-- Inside is in_zone (migration 019: 1 mm allowance at the edge). distance_m is 0 inside a polygon hazard.
WITH h AS (SELECT :zone::geometry::geography AS g, :zone_radius_m::float8 AS r)
SELECT 'villages' AS layer, x.id, x.name, ST_Distance(x.geom::geography, h.g) AS distance_m,
       json_build_object('population', x.population, 'vulnerable', x.vulnerable, 'township_code', x.township_code) AS attributes
  FROM villages x, h WHERE x.geom && geodesic_reach_box(h.g, h.r + 0.001) AND in_zone(h.g, h.r, x.geom::geography)
UNION ALL
SELECT 'shelters', x.id, x.name, ST_Distance(x.geom::geography, h.g),
       json_build_object('capacity', x.capacity, 'occupancy', x.occupancy, 'status', x.status, 'site_kind', x.site_kind)
  FROM shelters x, h WHERE in_zone(h.g, h.r, x.geom::geography)
UNION ALL
SELECT 'depots', x.id, x.name, ST_Distance(x.geom::geography, h.g), json_build_object('level', x.level)
  FROM depots x, h WHERE in_zone(h.g, h.r, x.geom::geography)
UNION ALL
SELECT 'teams', x.id, x.name, ST_Distance(x.geom::geography, h.g), json_build_object('team_type', x.team_type, 'status', x.status)
  FROM teams x, h WHERE in_zone(h.g, h.r, x.geom::geography)
ORDER BY layer, distance_m, id
