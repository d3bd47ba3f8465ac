-- Which roads does a route travel on? For each network edge id (road_edges, migration 016) the road it
-- belongs to, its name and class. Uses road_edges' primary key and roads' primary key.
SELECT e.id::float8 AS edge_id, r.name, r.road_class
FROM road_edges e JOIN roads r ON r.id = e.road_id
WHERE e.id = ANY(:edge_ids::bigint[])
