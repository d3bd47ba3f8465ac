-- What do these well-known-text cells describe, as PostGIS reads WKT and EWKT?
-- :cells a JSON array of strings, in row order · returns per cell, in order: the 2D GeoJSON geometry
-- (coordinates as written, degrees of the import's CRS; 15 decimals), the SRID written (0 when none),
-- whether Z or M ordinates were dropped, and whether it is EMPTY. A function of the input: no table, no index.
SELECT ST_AsGeoJSON(ST_Force2D(g), 15, 0)::json AS geometry,
       ST_SRID(g) AS srid,
       ST_Zmflag(g) <> 0 AS flattened,
       ST_IsEmpty(g) AS empty
FROM json_array_elements_text(:cells::json) WITH ORDINALITY AS cell(text, n),
     ST_GeomFromEWKT(cell.text) AS g
ORDER BY cell.n
