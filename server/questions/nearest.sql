-- Which features of a layer are nearest to a point, by geodesic distance on the WGS84 spheroid?
-- :lon,:lat EPSG:4326 · :limit (k) · :max_distance_m metres or NULL · {{filter}} is the layer's filter.
-- Uses <layer>_geog_gist twice: KNN (<->) and ST_DWithin. Returns distance_m and bearing_deg.
--
-- <-> on geography orders by sphere distance, which can rank near-ties wrongly. So: take the k nearest
-- by the index; the largest of their exact spheroid distances bounds the true k-th distance (any k
-- features bound it); then rank everything within that bound exactly. Both steps touch ~k rows.
WITH here AS (
  SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography AS g
),
knn AS (
  SELECT ST_Distance(t.geom::geography, here.g) AS d
  FROM {{table}} t, here
  WHERE {{filter}}
  ORDER BY t.geom::geography <-> here.g
  LIMIT :limit
),
reach AS (
  -- + 1 cm: ST_DWithin and ST_Distance may round the same pair differently
  SELECT least(max(d) + 0.01, :max_distance_m::float8 + 0.001) AS r FROM knn
)
SELECT t.id,
       ST_Distance(t.geom::geography, here.g) AS distance_m,
       degrees(ST_Azimuth(here.g, t.geom::geography)) AS bearing_deg,
       {{feature}} AS feature
       {{extra}}
FROM {{table}} t, here, reach
WHERE {{filter}} AND ST_DWithin(t.geom::geography, here.g, reach.r)
ORDER BY distance_m, t.id
LIMIT :limit
