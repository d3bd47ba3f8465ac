-- The features of {{table}} in tile :z/:x/:y (its 64-unit buffer included), points thinned there and
-- then: the most important ({{rank}}) per cell of :cell metres (1/64 of the tile), the cells counted
-- from the world's top left (20037508.342789244 m is half its width) as thinned_points.sql's are, so
-- a tile holds the same points either way; those of the tile's cells and the ring of cells around it
-- (its buffer). At street zooms cells are a few metres and nothing visible is dropped. Lines and
-- polygons are never thinned; each polygon's label point is its ST_PointOnSurface. Uses
-- <layer>_geom_gist (&& against the tile's lon/lat box). The `tile` CTE is tile.sql's. OFFSET 0 keeps
-- c a subquery of its own: pulled up, a derived layer's geometry (hazard_zones' buffer) would be
-- computed afresh in each expression naming it.
SELECT DISTINCT ON (cell) c.*, CASE WHEN GeometryType(c.geom) IN ('POLYGON', 'MULTIPOLYGON') THEN ST_PointOnSurface(c.merc_geom) END AS label_geom
FROM (SELECT t.*, ST_Transform(t.geom, 3857) AS merc_geom, GeometryType(t.geom) = 'POINT' AS point
      FROM {{table}} t, tile WHERE t.geom && tile.lonlat OFFSET 0) c,
     LATERAL (SELECT CASE WHEN c.point THEN floor((ST_X(c.merc_geom) + 20037508.342789244) / :cell)::int END AS cx,
                     CASE WHEN c.point THEN floor((20037508.342789244 - ST_Y(c.merc_geom)) / :cell)::int END AS cy) k,
     LATERAL (SELECT CASE WHEN c.point THEN k.cx || ':' || k.cy ELSE 'id:' || c.id END AS cell) g
WHERE NOT c.point OR (k.cx BETWEEN :x * 64 - 1 AND :x * 64 + 64 AND k.cy BETWEEN :y * 64 - 1 AND :y * 64 + 64)
ORDER BY cell, {{rank}}, c.id
