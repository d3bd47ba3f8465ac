-- The villages a coverage question by road found uncovered, as GeoJSON Feature texts in id order, each
-- with why: :reasons 'not_in_time' (no usable resource within the minutes by road), 'beyond_reach' or
-- 'no_roads' (the village is not reachable by road) and :nearest_road_m (metres, or NULL).
-- Index: villages' primary key.
WITH a AS (
  SELECT x.id::bigint AS id, x.uncovered_reason, x.nearest_road_m
  FROM unnest(:ids::float8[], :reasons::text[], :nearest_road_m::float8[]) AS x(id, uncovered_reason, nearest_road_m)
)
SELECT {{feature}} AS feature
FROM a JOIN villages t ON t.id = a.id
ORDER BY t.id
