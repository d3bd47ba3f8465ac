-- Which villages (t) have no feature (c) of a layer within :radius_m metres, geodesic on the WGS84 spheroid?
-- :radius_m metres; a village exactly at the radius is covered (1 mm allowance for rounding)
-- :township 12-digit code or NULL · :bbox region 'minLon,minLat,maxLon,maxLat' as an envelope or NULL
-- {{filter}} narrows the covering layer (e.g. open shelters only).
-- Uses <layer>_geog_gist: the NOT EXISTS probe is an index search per village.
SELECT t.id, t.population, {{feature}} AS feature
FROM villages t
WHERE (:township::text IS NULL OR t.township_code = :township)
  AND (:bbox::geometry IS NULL OR t.geom && :bbox::geometry)
  AND NOT EXISTS (
    SELECT 1 FROM {{table}} c
    WHERE {{filter}} AND ST_DWithin(c.geom::geography, t.geom::geography, :radius_m + 0.001)
  )
ORDER BY t.id
