-- A low-zoom tile kept in tile_cache, if no write to its layer's tables came after it was made.
-- :table (the layer's table, its key in tile_generation) · :z/:x/:y.
SELECT c.mvt
FROM tile_cache c JOIN tile_generation g ON g.layer = c.layer AND g.generation = c.generation
WHERE c.layer = :table AND c.z = :z AND c.x = :x AND c.y = :y
