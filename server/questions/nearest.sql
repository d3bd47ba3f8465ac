-- Which features of a layer are nearest to a point or to a hazard, by geodesic distance on the WGS84 spheroid?
-- :here the origin, SRID 4326: a point as EWKT 'SRID=4326;POINT(lon lat)', or a hazard's geometry as hex
-- EWKB (distance 0 on or inside it) · :limit (k) · :max_distance_m metres or NULL · :zone_radius_m: the
-- hazard's influence radius in metres, used by the filter that leaves out the shelters in its zone.
-- {{table}} the layer's table, or its usable view; {{filter}} the layer's filter over `t`; {{candidates}} a
-- constant ≥ k; {{feature}} the answer's GeoJSON Feature text over `t` and `a` (its id, distance_m and
-- bearing_deg: initial, from the origin's point nearest the feature towards the feature's point nearest
-- the origin; NULL when they touch).
-- Uses <layer>_geog_gist twice: KNN (<->) and ST_DWithin.
--
-- <-> on geography orders by sphere distance, which can rank near-ties wrongly. So: take the nearest
-- candidates by the index; the largest of their exact spheroid distances bounds the true k-th distance
-- (any k features bound it); then rank everything within that bound exactly. Both steps touch ~k rows.
WITH knn AS (
  SELECT ST_Distance(t.geom::geography, :here::geography) AS d
  FROM {{table}} t
  WHERE {{filter}}
  ORDER BY t.geom::geography <-> :here::geography
  LIMIT {{candidates}}
),
reach AS (
  -- + 1 cm: ST_DWithin and ST_Distance may round the same pair differently
  SELECT least(max(d) + 0.01, :max_distance_m::float8 + 0.001) AS r FROM knn
),
a AS (
  SELECT t.id, ST_Distance(t.geom::geography, :here::geography) AS distance_m,
         degrees(ST_Azimuth(ST_Scale(ST_ClosestPoint(s.here, s.geom), 1 / s.x, 1 / s.y)::geography,
                            ST_Scale(ST_ClosestPoint(s.geom, s.here), 1 / s.x, 1 / s.y)::geography)) AS bearing_deg
  FROM {{table}} t, reach,
       -- the nearest points (ST_Azimuth takes points only; hazards are lines or areas too), found in
       -- degrees scaled to metres about the feature's latitude φ: east by N·cos φ, north by M, over N (the
       -- WGS84 radii of curvature, M/N = (1 - e²)/(1 - e² sin² φ)). Locally true to angles: in plain
       -- degrees the nearest point of an oblique line slides along it and the bearing is off by degrees.
       LATERAL (SELECT ST_Scale(:here::geometry, k.x, k.y) AS here, ST_Scale(t.geom, k.x, k.y) AS geom, k.x, k.y
                FROM (SELECT cos(radians(lat)) AS x, (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(lat)) ^ 2) AS y
                      FROM ST_Y(ST_ClosestPoint(t.geom, :here::geometry)) AS lat) k) s
  WHERE {{filter}} AND ST_DWithin(t.geom::geography, :here::geography, reach.r)
  ORDER BY distance_m, t.id
  LIMIT :limit
)
SELECT {{feature}} AS feature
FROM a JOIN {{table}} t ON t.id = a.id
ORDER BY a.distance_m, a.id
