-- Which villages (t) have no usable feature of a layer within :radius_m metres, geodesic on the WGS84 spheroid?
-- "Usable" and "within" are covering_resources (migration 012): an open shelter with free places, a team on
-- standby, a depot holding stock; a village exactly at the radius is covered (1 mm allowance for rounding).
-- :layer shelters|depots|teams · :radius_m metres
-- :township 12-digit code or NULL · :bbox region 'minLon,minLat,maxLon,maxLat' as an envelope or NULL
-- Uses <layer>_geog_gist: covering_resources is inlined, so the NOT EXISTS probe is an index search per village.
SELECT t.id, t.population, {{feature}} AS feature
FROM villages t
WHERE (:township::text IS NULL OR t.township_code = :township)
  AND (:bbox::geometry IS NULL OR t.geom && :bbox::geometry)
  AND NOT EXISTS (SELECT 1 FROM covering_resources(:layer, t.geom, :radius_m))
ORDER BY t.id
