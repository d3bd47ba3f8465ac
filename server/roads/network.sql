-- What is the road network, whole, as the engine holds it in memory? Every edge of road_edges (migration
-- 016) with its two costs (seconds; -1: no such direction, pgRouting's convention) and geodesic length
-- (metres), as arrays in one row, read in the same snapshot as the generation they belong to.
-- No index: a sequential read of the whole table.
SELECT n.roads_generation::text AS generation,
       coalesce(e.id, '{}') AS id, coalesce(e.source, '{}') AS source, coalesce(e.target, '{}') AS target,
       coalesce(e.cost, '{}') AS cost, coalesce(e.reverse_cost, '{}') AS reverse_cost, coalesce(e.length_m, '{}') AS length_m
FROM road_network n,
     (SELECT array_agg(id::float8 ORDER BY id) AS id, array_agg(source::float8 ORDER BY id) AS source,
             array_agg(target::float8 ORDER BY id) AS target, array_agg(cost ORDER BY id) AS cost,
             array_agg(reverse_cost ORDER BY id) AS reverse_cost, array_agg(length_m ORDER BY id) AS length_m
      FROM road_edges) e
