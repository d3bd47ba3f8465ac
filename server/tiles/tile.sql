-- One Mapbox Vector Tile of a layer: the features meeting tile :z/:x/:y (Web Mercator), clipped to it
-- with a 64-unit buffer, extent 4096; feature id = row id; {{properties}} are the layer's tile attributes.
-- {{thinned}} gives the features (the layer's rows with merc_geom, their Web Mercator geometry): points
-- thinned to the most important one per cell 1/64 of the tile wide, lines and polygons all (see
-- thin_in_tile.sql and thinned_points.sql), so a tile holds at most 64 × 64 points at any zoom; at low
-- zooms hazard zones already generalised to the zoom (generalised_areas.sql).
-- Polygons also get one label point each (label_geom: ST_PointOnSurface of the whole polygon) in a
-- second tile layer ":layer-labels", only in the tile that holds it, so a polygon cut by tile edges is named once.
-- lonlat: the buffered tile cut to the world first: a buffer past ±180° turned to lon/lat wraps to the
-- other side, and a tile on the world's east edge (China's at zooms 1–2) got a box missing it all.
WITH tile AS (
  SELECT ST_TileEnvelope(:z, :x, :y) AS merc,
         ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096) AS merc_buffered,
         ST_Transform(ST_ClipByBox2D(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), ST_TileEnvelope(0, 0, 0)), 4326) AS lonlat
),
thinned AS (
  {{thinned}}
),
features AS (
  SELECT t.id, {{properties}}, ST_AsMVTGeom(t.merc_geom, tile.merc, 4096, 64, true) AS geom
  FROM thinned t, tile
),
labels AS (
  SELECT t.id, {{properties}}, ST_AsMVTGeom(t.label_geom, tile.merc, 4096, 0, true) AS geom
  FROM thinned t, tile
  WHERE t.label_geom IS NOT NULL
)
SELECT (SELECT ST_AsMVT(features, :layer, 4096, 'geom', 'id') FROM features WHERE geom IS NOT NULL)
    || coalesce((SELECT ST_AsMVT(labels, :layer || '-labels', 4096, 'geom', 'id') FROM labels WHERE geom IS NOT NULL), '') AS mvt
