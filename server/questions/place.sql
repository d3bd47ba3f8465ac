-- Where is a point, in the words people use: the nearest village and the township containing the point.
-- :here the point as EWKT 'SRID=4326;POINT(lon lat)', one parameter (KNN needs a constant to use the index).
-- distance_m geodesic metres on the WGS84 spheroid.
-- The nearest village exactly: one KNN candidate on villages_geom_gist (<-> in degrees) bounds the nearest
-- distance, then every village within that bound (geodesic_reach_box, migration 010: an index box holding
-- it) is measured exactly; ties by id. The township: ST_Intersects on townships_geom_gist (on a border, the
-- lowest code).
WITH bound AS (
  SELECT ST_Distance(v.geom::geography, :here::geography) + 0.01 AS r
  FROM villages v
  ORDER BY v.geom <-> :here::geometry
  LIMIT 1
),
village AS (
  SELECT v.id, v.name, v.township_code, ST_X(v.geom) AS lon, ST_Y(v.geom) AS lat,
         ST_Distance(v.geom::geography, :here::geography) AS distance_m
  FROM villages v, bound
  WHERE v.geom && geodesic_reach_box(:here::geography, bound.r)
    AND ST_DWithin(v.geom::geography, :here::geography, bound.r)
  ORDER BY distance_m, v.id
  LIMIT 1
),
township AS (
  SELECT t.id, t.admin_code, t.name
  FROM townships t
  WHERE ST_Intersects(t.geom, :here::geometry)
  ORDER BY t.admin_code NULLS LAST, t.id
  LIMIT 1
)
SELECT (SELECT row_to_json(village) FROM village) AS village,
       (SELECT row_to_json(township) FROM township) AS township
