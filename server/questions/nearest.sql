-- Which features of a layer are nearest to a point or to a hazard, by geodesic distance on the WGS84 spheroid?
-- :here the origin, SRID 4326: a point as EWKT 'SRID=4326;POINT(lon lat)', or a hazard's geometry as hex
-- EWKB (distance 0 on or inside it) · :limit (k) · :max_distance_m metres or NULL · the layer's filters
-- (:item, :min_quantity, :specialty, :status, :min_free_capacity; NULL: no filter) · :zone_radius_m: the
-- hazard's influence radius in metres, for leaving out the shelters in its zone.
-- {{source}} the layer's table, or its usable view; {{candidates}} a constant ≥ k; {{outside_zone}} true to
-- leave out what lies in the zone; {{table}} the same table or view, for {{feature}}: the answer's GeoJSON
-- Feature text over `t` and `a` (its id, distance_m and bearing_deg: initial, from the origin's point
-- nearest the feature towards the feature's point nearest the origin; NULL when they touch).
-- The nearest, exactly, is nearest_exact_<source> (migration 019): KNN (<->) on <layer>_geog_gist for
-- {{candidates}} candidates, then ST_DWithin on it within the largest of their exact distances; inlined here.
WITH a AS (
  SELECT n.id, n.distance_m,
         degrees(ST_Azimuth(ST_Scale(ST_ClosestPoint(s.here, s.geom), 1 / s.x, 1 / s.y)::geography,
                            ST_Scale(ST_ClosestPoint(s.geom, s.here), 1 / s.x, 1 / s.y)::geography)) AS bearing_deg
  FROM nearest_exact_{{source}}(:here::geography, {{candidates}}, :max_distance_m::float8, :item::text, :min_quantity::int,
                              :specialty::text, :status::text, :min_free_capacity::int, {{outside_zone}}, :zone_radius_m::float8) n,
       -- the nearest points (ST_Azimuth takes points only; hazards are lines or areas too), found in
       -- degrees scaled to metres about the feature's latitude φ: east by N·cos φ, north by M, over N (the
       -- WGS84 radii of curvature, M/N = (1 - e²)/(1 - e² sin² φ)). Locally true to angles: in plain
       -- degrees the nearest point of an oblique line slides along it and the bearing is off by degrees.
       LATERAL (SELECT ST_Scale(:here::geometry, k.x, k.y) AS here, ST_Scale(n.geom, k.x, k.y) AS geom, k.x, k.y
                FROM (SELECT cos(radians(lat)) AS x, (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(lat)) ^ 2) AS y
                      FROM ST_Y(ST_ClosestPoint(n.geom, :here::geometry)) AS lat) k) s
  ORDER BY n.distance_m, n.id
  LIMIT :limit
)
SELECT {{feature}} AS feature
FROM a JOIN {{table}} t ON t.id = a.id
ORDER BY a.distance_m, a.id
