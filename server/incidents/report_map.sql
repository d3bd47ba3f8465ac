-- What an incident's report map shows: its area, the roads within its box (the area's envelope grown by
-- a sixth, clipped, simplified to ~1 m: 0.00001°), the villages the area covers, and the shelters that
-- reported for it (:shelter_ids) or lie in the box. GeoJSON in EPSG:4326 lon/lat. Uses the primary key of
-- incidents, roads_geom_gist, villages_geom_gist and shelters' primary key / shelters_geom_gist.
WITH i AS (
  SELECT geom, ST_Expand(geom, greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom)) / 6) AS box
  FROM incidents WHERE id = :incident
)
SELECT
  ST_AsGeoJSON(i.geom, 6) AS boundary,
  ST_AsGeoJSON(i.box, 6) AS box,
  (SELECT coalesce(json_agg(json_build_object('name', r.name, 'road_class', r.road_class,
     'geometry', ST_AsGeoJSON(ST_Simplify(ST_Intersection(r.geom, i.box), 0.00001), 6)::json)), '[]')
   FROM roads r WHERE r.geom && i.box)::text AS roads,
  (SELECT coalesce(json_agg(json_build_object('id', v.id, 'name', v.name, 'lon', ST_X(v.geom), 'lat', ST_Y(v.geom)) ORDER BY v.id), '[]')
   FROM villages v WHERE ST_Covers(i.geom, v.geom))::text AS villages,
  (SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'lon', ST_X(s.geom), 'lat', ST_Y(s.geom)) ORDER BY s.id), '[]')
   FROM shelters s WHERE s.id = ANY(:shelter_ids::bigint[]) OR s.geom && i.box)::text AS shelters
FROM i
