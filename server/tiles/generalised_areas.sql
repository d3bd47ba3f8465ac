-- The areas of {{table}} a low-zoom tile :z/:x/:y draws, read from generalised_areas (migration 032):
-- each area simplified and snapped to zoom :z's tile grid (Web Mercator, SRID 3857) and its label
-- point, kept in step with every write by triggers, so a tile over a province neither buffers nor
-- clips every full zone under it. Those whose extent meets the tile with its 64-unit buffer; an area
-- too small to draw at :z has no shape (merc_geom NULL) but keeps its label. Attributes from
-- {{table}} itself, by id. Uses generalised_areas_extent_gist, then {{table}}'s primary key.
SELECT t.id, {{properties}}, g.geom AS merc_geom, g.label AS label_geom
FROM generalised_areas g JOIN {{table}} t ON t.id = g.id, tile
WHERE g.source = :table AND g.z = :z AND g.extent && tile.merc_buffered
