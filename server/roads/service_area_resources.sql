-- Which resources does a service area start from? Every usable one of a layer ({{source}}: its usable_*
-- view, migration 011), or the one of id :id (NULL: all) of the layer's table. Out: id and point
-- (degrees EPSG:4326). Index: the primary key with :id, else a sequential read of the view.
SELECT s.id::float8 AS id, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
FROM {{source}} s
WHERE :id::bigint IS NULL OR s.id = :id::bigint
ORDER BY s.id
