-- What area does each time break reach by road? For break :breaks[i], the stretch of road_edges
-- :edge_ids[i] from fraction :froms[i] to :tos[i] (≤; ST_LineSubstring in the local metres join.sql measures
-- fractions in, SRID 4326) is reached within it.
-- Out per break: the band of :width_m metres either side of every stretch reached (ST_Buffer on geography:
-- planar in a suitable projection, then back), as a GeoJSON (Multi)Polygon in EPSG:4326 (7 decimals), and
-- the geodesic metres of road reached (WGS84 spheroid). Index: road_edges' primary key.
WITH piece AS (
  SELECT x.b::int AS b, ST_Scale(ST_LineSubstring(ST_Scale(e.geom, k.x, k.y), x.f0, x.f1), 1 / k.x, 1 / k.y) AS geom
  FROM unnest(:breaks::int[], :edge_ids::float8[], :froms::float8[], :tos::float8[]) AS x(b, edge_id, f0, f1)
  JOIN road_edges e ON e.id = x.edge_id::bigint,
  LATERAL (SELECT cos(radians(lat)) AS x, (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(lat)) ^ 2) AS y
           FROM ST_Y(ST_StartPoint(e.geom)) AS lat) k
)
SELECT b, ST_AsGeoJSON(ST_Multi(ST_Buffer(ST_Collect(geom)::geography, :width_m::float8, 'quad_segs=4')::geometry), 7) AS geometry,
       coalesce(sum(ST_Length(geom::geography)), 0) AS road_m
FROM piece
GROUP BY b
ORDER BY b
