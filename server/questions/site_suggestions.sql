-- Which uncovered villages would a new site at each village location (candidate) cover?
-- A village is uncovered when no usable feature of the layer lies within :radius_m metres (WGS84
-- spheroid): covering_resources (migration 012), the rule coverage_gaps answers by. A new site covers
-- the uncovered villages within :radius_m of it (1 mm allowance, as there).
-- :layer shelters|depots|teams · :radius_m metres · :township 12-digit code or NULL.
-- Returns one row per (candidate, uncovered village within reach of it); the greedy choice is made in
-- site_suggestions.ts. Uses <layer>_geog_gist (coverage); the pairs are among the scope's villages.
WITH scope AS (
  SELECT v.id, v.geom, v.population FROM villages v
  WHERE :township::text IS NULL OR v.township_code = :township
),
uncovered AS (
  SELECT u.* FROM scope u
  WHERE u.population > 0
    AND NOT EXISTS (SELECT 1 FROM covering_resources(:layer, u.geom, :radius_m))
)
SELECT cand.id AS candidate_id, u.id AS village_id, u.population
FROM uncovered u
JOIN scope cand ON ST_DWithin(cand.geom::geography, u.geom::geography, :radius_m + 0.001)
