-- What line does each route follow? Route :route_no[i]'s pieces, in travel order (:seq), each a stretch
-- of road_edges :edge_ids[i] from fraction :froms[i] to :tos[i] (SRID 4326; ST_LineSubstring in the
-- local metres join.sql measures fractions in), between the route's off-road legs from (:start_lons, :start_lats)
-- and to (:end_lons, :end_lats), route r being element r of those. Out: GeoJSON LineString text per
-- route, 7 decimals. Index: road_edges' primary key.
WITH ends AS (
  SELECT r::int AS r, ST_SetSRID(ST_MakePoint(x0, y0), 4326) AS first_point, ST_SetSRID(ST_MakePoint(x1, y1), 4326) AS last_point
  FROM unnest(:start_lons::float8[], :start_lats::float8[], :end_lons::float8[], :end_lats::float8[]) WITH ORDINALITY AS x(x0, y0, x1, y1, r)
),
piece AS (
  SELECT x.r, x.seq, CASE WHEN x.f0 <= x.f1 THEN c.geom ELSE ST_Reverse(c.geom) END AS geom
  FROM unnest(:route_no::int[], :edge_ids::float8[], :froms::float8[], :tos::float8[]) WITH ORDINALITY AS x(r, edge_id, f0, f1, seq)
  JOIN road_edges e ON e.id = x.edge_id::bigint,
  LATERAL (SELECT cos(radians(lat)) AS x, (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(lat)) ^ 2) AS y
           FROM ST_Y(ST_StartPoint(e.geom)) AS lat) k,
  LATERAL (SELECT ST_Scale(ST_LineSubstring(ST_Scale(e.geom, k.x, k.y), least(x.f0, x.f1), greatest(x.f0, x.f1)), 1 / k.x, 1 / k.y) AS geom) c
),
point AS (
  SELECT r, 0::bigint AS seq, 0 AS k, first_point AS geom FROM ends
  UNION ALL
  SELECT p.r, p.seq, coalesce(d.path[1], 1), d.geom FROM piece p, LATERAL ST_DumpPoints(p.geom) d
  UNION ALL
  SELECT r, 9223372036854775807, 0, last_point FROM ends
),
line AS (SELECT r, ST_MakeLine(geom ORDER BY seq, k) AS geom FROM point GROUP BY r)
SELECT r, ST_AsGeoJSON(CASE WHEN ST_NPoints(ST_RemoveRepeatedPoints(geom)) >= 2 THEN ST_RemoveRepeatedPoints(geom) ELSE geom END, 7) AS route
FROM line
ORDER BY r
