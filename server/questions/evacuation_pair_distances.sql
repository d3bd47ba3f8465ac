-- How far apart, straight, are these village–shelter pairs? By road, the plan's assignments carry the
-- straight distance the straight question gives the same pair (evacuation_plan.sql): the same
-- expression (evacuation_pair_distance.sql) on the same values, so the same metres, asked for the
-- pairs assigned only. :village_ids and :shelter_ids (bigint[]) pair up by
-- position; :max_distance_m is the reach evacuation_plan.sql was asked with. Answers the distances in
-- the order given (NULL for a village or shelter deleted since). Villages and shelters by primary key.
WITH zone AS (SELECT :max_distance_m::float8 + 0.001 AS reach)
SELECT {{pair_distance}} AS distance_m
FROM unnest(:village_ids::bigint[], :shelter_ids::bigint[]) WITH ORDINALITY p(village_id, shelter_id, k)
CROSS JOIN zone
LEFT JOIN villages a ON a.id = p.village_id
LEFT JOIN shelters s ON s.id = p.shelter_id
CROSS JOIN LATERAL (SELECT ST_X(q) AS x, ST_Y(q) AS y, ST_Z(q) AS z FROM ST_Transform(ST_Force3D(a.geom), 4978) q) ae
CROSS JOIN LATERAL (SELECT ST_X(q) AS x, ST_Y(q) AS y, ST_Z(q) AS z FROM ST_Transform(ST_Force3D(s.geom), 4978) q) se
CROSS JOIN LATERAL (SELECT sqrt((ae.x - se.x) * (ae.x - se.x) + (ae.y - se.y) * (ae.y - se.y) + (ae.z - se.z) * (ae.z - se.z)) AS c) chord
ORDER BY p.k
