-- Make a low-zoom tile ({{tile}} is tile.sql) and keep it in tile_cache, stamped with its generation.
-- The generation and the features are read in this one statement, so in one snapshot: a tile stored
-- with generation g holds exactly the data of generation g, and any later write makes it unusable.
WITH current AS (
  SELECT generation FROM tile_generation WHERE layer = :table
),
made AS (
  {{tile}}
)
INSERT INTO tile_cache (layer, z, x, y, generation, mvt)
SELECT :table, :z, :x, :y, current.generation, coalesce(made.mvt, ''::bytea) FROM made, current
ON CONFLICT (layer, z, x, y) DO UPDATE SET generation = EXCLUDED.generation, mvt = EXCLUDED.mvt
RETURNING mvt
