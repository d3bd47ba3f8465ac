-- Per township: its population, and the capacity of the shelters within :radius_m metres (WGS84
-- spheroid) of any of its villages, each shelter counted once per township; ratio and deficit.
-- Effective-area check: a shelter with a known effective_area_m2 holds at most area / 1.5 m² people
-- (GB 21734 / 建标 guidance of 1.5 m² per person), so its effective capacity is the smaller of the two.
-- :radius_m metres (1 mm allowance) · :township 12-digit code or NULL. Uses shelters_geog_gist.
WITH scope AS (
  SELECT t.admin_code, t.name FROM townships t
  WHERE t.admin_code IS NOT NULL AND (:township::text IS NULL OR t.admin_code = :township)
),
people AS (
  SELECT v.township_code, count(*) AS villages, sum(v.population) AS population
  FROM villages v JOIN scope ON scope.admin_code = v.township_code
  GROUP BY v.township_code
),
reachable AS (
  SELECT DISTINCT v.township_code, s.id, s.capacity, s.effective_area_m2
  FROM villages v
  JOIN scope ON scope.admin_code = v.township_code
  JOIN shelters s ON ST_DWithin(s.geom::geography, v.geom::geography, :radius_m + 0.001)
),
capacity AS (
  SELECT township_code,
         count(*) AS shelters,
         sum(capacity) AS capacity,
         sum(CASE WHEN effective_area_m2 IS NULL THEN capacity
                  ELSE least(capacity, floor(effective_area_m2 / 1.5)) END) AS effective_capacity,
         count(*) FILTER (WHERE effective_area_m2 IS NOT NULL AND effective_area_m2 < 1.5 * capacity) AS shelters_below_area_standard,
         coalesce(json_agg(id ORDER BY id) FILTER (WHERE effective_area_m2 IS NOT NULL AND effective_area_m2 < 1.5 * capacity), '[]') AS below_area_standard_ids
  FROM reachable GROUP BY township_code
)
SELECT scope.admin_code AS township, scope.name,
       coalesce(people.villages, 0)::int AS villages,
       coalesce(people.population, 0)::int AS population,
       coalesce(capacity.shelters, 0)::int AS shelters,
       coalesce(capacity.capacity, 0)::int AS capacity,
       coalesce(capacity.effective_capacity, 0)::int AS effective_capacity,
       CASE WHEN coalesce(people.population, 0) > 0 THEN coalesce(capacity.capacity, 0)::float8 / people.population END AS ratio,
       greatest(coalesce(people.population, 0) - coalesce(capacity.capacity, 0), 0)::int AS deficit,
       greatest(coalesce(people.population, 0) - coalesce(capacity.effective_capacity, 0), 0)::int AS effective_deficit,
       coalesce(capacity.shelters_below_area_standard, 0)::int AS shelters_below_area_standard,
       coalesce(capacity.below_area_standard_ids, '[]') AS below_area_standard_ids
FROM scope
LEFT JOIN people ON people.township_code = scope.admin_code
LEFT JOIN capacity ON capacity.township_code = scope.admin_code
ORDER BY ratio NULLS LAST, scope.admin_code
