-- Where does each edge of the road network run? Every edge of road_edges (migration 016): its id, its
-- number of points, and all the points at once as one little-endian WKB LineString per edge (EPSG:4326
-- degrees, the digitised direction), concatenated in id order. No index: a sequential read of the whole table.
SELECT coalesce(array_agg(id::float8 ORDER BY id), '{}') AS id,
       coalesce(array_agg(ST_NPoints(geom) ORDER BY id), '{}') AS points,
       coalesce(string_agg(ST_AsBinary(geom, 'NDR'), ''::bytea ORDER BY id), ''::bytea) AS wkb
FROM road_edges
