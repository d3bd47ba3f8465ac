-- Which named things are called :q? Every layer a person names (villages, townships, hazards, shelters,
-- depots, teams, roads, the base map's rivers, water, built-up areas and places), any part of the name,
-- case-folded. Best first: the name itself, then a name starting with :q; among those a place (village,
-- township, place name: rank 0) before a resource or hazard (1) before a road, river or area (2); then the
-- shortest. Per layer at most :per_layer. A line layer's segments of one name (a road cut at its junctions) are one hit.
-- Each hit: a point to open it at (on it: ST_PointOnSurface) and its bounds, EPSG:4326.
-- The same name at the same place (~10 m) in two layers (a village and its place name) is one hit, the
-- first layer's. No index on name: each layer's names are scanned (~0.3 s over 500,000 villages; a county's at once).
WITH hits AS (
  {{branches}}
),
distinct_hits AS (
  SELECT DISTINCT ON (name, round(ST_X(at)::numeric, 4), round(ST_Y(at)::numeric, 4)) *
  FROM hits
  ORDER BY name, round(ST_X(at)::numeric, 4), round(ST_Y(at)::numeric, 4), layer_order
)
SELECT layer, id::int AS id, name, round(ST_X(at)::numeric, 7)::float8 AS lon, round(ST_Y(at)::numeric, 7)::float8 AS lat,
       json_build_array(ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box)) AS bbox
FROM distinct_hits
ORDER BY match, rank, length(name), layer_order, name, id
LIMIT :limit
