-- The points of {{table}} a low-zoom tile :z/:x/:y draws, read from thinned_points (migration 030): the
-- most important point of each cell 1/64 of the tile wide, kept in step with every write by triggers,
-- so a tile over a province reads at most 66 × 66 rows instead of thinning every point under it. The
-- cells of the tile and of its 64-unit buffer: :x * 64 - 1 to :x * 64 + 64, likewise for y.
-- Uses thinned_points_pkey (source, z, cx, cy): one range of cy per cx, then the table's primary key.
SELECT t.*, ST_Transform(t.geom, 3857) AS merc_geom, NULL::geometry AS label_geom
FROM thinned_points p JOIN {{table}} t ON t.id = p.id
WHERE p.source = :table AND p.z = :z
  AND p.cx = ANY (ARRAY(SELECT generate_series(:x * 64 - 1, :x * 64 + 64)))
  AND p.cy BETWEEN :y * 64 - 1 AND :y * 64 + 64
