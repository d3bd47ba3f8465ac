-- What does a township's map show? Its boundary, the roads within its box (clipped to the box grown by a
-- tenth, simplified to ~1 m: 0.00001°), its villages, and the shelters that lie in its box or receive its
-- people (:shelter_ids). GeoJSON in EPSG:4326 lon/lat. Uses townships' admin_code index, then
-- roads_geom_gist, villages_township_code and shelters' primary key / shelters_geom_gist.
WITH t AS (
  SELECT name, geom, ST_Expand(geom, greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom)) * 0.1) AS box
  FROM townships WHERE admin_code = :admin_code AND geom IS NOT NULL
)
SELECT
  ST_AsGeoJSON(t.geom, 6) AS boundary,
  ST_AsGeoJSON(t.box, 6) AS box,
  (SELECT coalesce(json_agg(json_build_object('name', r.name, 'road_class', r.road_class,
     'geometry', ST_AsGeoJSON(ST_Simplify(ST_Intersection(r.geom, t.box), 0.00001), 6)::json)), '[]')
   FROM roads r WHERE r.geom && t.box)::text AS roads,
  (SELECT coalesce(json_agg(json_build_object('id', v.id, 'name', v.name, 'lon', ST_X(v.geom), 'lat', ST_Y(v.geom)) ORDER BY v.id), '[]')
   FROM villages v WHERE v.township_code = :admin_code)::text AS villages,
  (SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'lon', ST_X(s.geom), 'lat', ST_Y(s.geom)) ORDER BY s.id), '[]')
   FROM shelters s WHERE s.id = ANY(:shelter_ids::bigint[]) OR s.geom && t.box)::text AS shelters
FROM t
