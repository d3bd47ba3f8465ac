-- Which villages (t) does no usable resource reach in time by road? The villages in scope and the usable
-- resources of a layer as points (degrees EPSG:4326) for the engine (server/roads), which answers the
-- travel times; this query only lists them.
-- {{source}} the layer's usable_* view (migration 011) · :township 12-digit code or NULL
-- :bbox region 'minLon,minLat,maxLon,maxLat' as an envelope or NULL
-- Index: none needed (a county's villages and resources are read whole; villages_geom_gist with :bbox).
SELECT json_build_object(
  'villages', (SELECT coalesce(json_agg(json_build_object('id', t.id, 'population', t.population, 'lon', ST_X(p), 'lat', ST_Y(p)) ORDER BY t.id), '[]')
               FROM villages t, ST_PointOnSurface(t.geom) p
               WHERE (:township::text IS NULL OR t.township_code = :township)
                 AND (:bbox::geometry IS NULL OR t.geom && :bbox::geometry)),
  'resources', (SELECT coalesce(json_agg(json_build_object('lon', ST_X(p), 'lat', ST_Y(p))), '[]')
                FROM {{source}} s, ST_PointOnSurface(s.geom) p)
)::text AS places
