-- Which road edges meet the zone of a hazard with risk_level ≤ :level (1 = 重大 only … 4 = all)? A zone
-- is in_zone's (migration 019): within influence_radius_m geodesic metres of the hazard's geometry on the
-- WGS84 spheroid (a polygon's own area included). Ids as float8 (exact below 2^53), with the generations
-- read in the same snapshot. Index: road_edges' geography index, one search per hazard.
SELECT n.roads_generation::text AS roads, n.hazards_generation::text AS hazards,
       coalesce((SELECT array_agg(DISTINCT e.id::float8)
                 FROM hazards h
                 JOIN road_edges e ON in_zone(h.geom::geography, h.influence_radius_m, e.geom::geography)
                 WHERE h.risk_level <= :level), '{}') AS edge_ids
FROM road_network n
