-- What area does each time break reach by road? For break :breaks[i], the stretch of road_edges
-- :edge_ids[i] from fraction :froms[i] to :tos[i] (≤; cut in the local metres join.sql measures fractions
-- in, SRID 4326) is reached within it.
-- Out per break: the squares of a grid of :cell (degrees of latitude; ~100 m) crossed by a stretch reached,
-- as one GeoJSON (Multi)Polygon in EPSG:4326 (7 decimals), and the geodesic metres of road reached (WGS84
-- spheroid). The grid is square on the ground about latitude :frame_lat (east scaled by its cosine), so
-- every point of a road reached lies in the area, and nothing farther than a cell's diagonal from one.
-- Cells are joined into runs along each row before the union: a union of a few hundred rectangles, where
-- a buffer of every stretch (a union of thousands of bands with holes) took seconds.
-- Index: road_edges' primary key.
WITH piece AS (
  SELECT x.b::int AS b, ST_Scale(ST_LineSubstring(ST_Scale(e.geom, k.x, k.y), x.f0, x.f1), 1 / k.x, 1 / k.y) AS geom
  FROM unnest(:breaks::int[], :edge_ids::float8[], :froms::float8[], :tos::float8[]) AS x(b, edge_id, f0, f1)
  JOIN road_edges e ON e.id = x.edge_id::bigint,
  LATERAL (SELECT cos(radians(lat)) AS x, (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(lat)) ^ 2) AS y
           FROM ST_Y(ST_StartPoint(e.geom)) AS lat) k
),
cell AS (
  SELECT DISTINCT p.b, g.i, g.j
  FROM piece p,
       LATERAL (SELECT ST_Scale(p.geom, cos(radians(:frame_lat::float8)), 1) AS geom) s,
       LATERAL ST_SquareGrid(:cell::float8, s.geom) g
  WHERE ST_Intersects(g.geom, s.geom)
),
run AS (
  SELECT b, j, i, i - row_number() OVER (PARTITION BY b, j ORDER BY i) AS run FROM cell
),
area AS (
  SELECT b, ST_Multi(ST_Union(r.geom)) AS geom
  FROM (SELECT b, ST_MakeEnvelope(min(i) * :cell / cos(radians(:frame_lat)), j * :cell,
                                  (max(i) + 1) * :cell / cos(radians(:frame_lat)), (j + 1) * :cell, 4326) AS geom
        FROM run GROUP BY b, j, run) r
  GROUP BY b
),
road AS (
  SELECT b, sum(ST_Length(geom::geography)) AS road_m FROM piece GROUP BY b
)
SELECT a.b, ST_AsGeoJSON(a.geom, 7) AS geometry, r.road_m
FROM area a JOIN road r USING (b)
ORDER BY a.b
