-- What is the road network, as the engine holds it in memory? A page of road_edges (migration 016): the
-- edges with id > :after, :page of them in id order (or only those of roads :road_ids, when not NULL),
-- each with its road, two costs (seconds; -1: no such direction, pgRouting's convention), geodesic
-- length (metres) and line (source to target, SRID 4326) as little-endian WKB, all in one row of arrays.
-- With the generation the page belongs to and changes_kept_from (migration 020); a whole load reads its
-- pages in one REPEATABLE READ transaction, so every page is of that generation.
-- Index: road_edges' primary key (a page), road_edges_road_id (roads).
SELECT n.roads_generation::text AS generation, n.changes_kept_from <= :held::bigint AS complete,
       coalesce((SELECT array_agg(DISTINCT c.road_id::float8) FROM road_network_changes c WHERE c.generation > :held::bigint), '{}') AS road_ids,
       e.edges, coalesce(e.id, '') AS id, coalesce(e.road_id, '') AS road_id, coalesce(e.source, '') AS source, coalesce(e.target, '') AS target,
       coalesce(e.cost, '') AS cost, coalesce(e.reverse_cost, '') AS reverse_cost, coalesce(e.length_m, '') AS length_m,
       coalesce(e.points, '') AS points, coalesce(e.lines, '') AS lines
FROM road_network n,
     (SELECT count(*)::int AS edges,
             string_agg(float8send(id), '') AS id, string_agg(float8send(road_id), '') AS road_id,
             string_agg(float8send(source), '') AS source, string_agg(float8send(target), '') AS target,
             string_agg(float8send(cost), '') AS cost, string_agg(float8send(reverse_cost), '') AS reverse_cost,
             string_agg(float8send(length_m), '') AS length_m, string_agg(int4send(ST_NPoints(geom)), '') AS points,
             string_agg(ST_AsBinary(geom, 'NDR'), '') AS lines
      FROM (SELECT * FROM road_edges
            WHERE {{edges}}
            ORDER BY id {{limit}}) p) e
