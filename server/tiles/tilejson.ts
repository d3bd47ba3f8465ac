import type { Db } from "../db.ts";
import { LAYERS } from "../layers/index.ts";
import { allFields, type TiledLayer } from "../layers/layer.ts";
import { collectionExtent, type Bbox } from "../ogc/extent.ts";

/** Tiles are cut up to this zoom; clients overzoom beyond it. */
export const MAX_ZOOM = 16;

/** The layers with vector tiles, in registry order. */
export const TILED = LAYERS.filter((l): l is TiledLayer => Boolean(l.tiles));

/** The whole Web Mercator world, for a tile set with no feature yet. */
const WORLD: Bbox = [-180, -85.0511, 180, 85.0511];

/** The tile layers (MVT layer names) a layer's tiles hold: its features, and for areas a label point each (see tile.sql). */
export function vectorLayers(layer: TiledLayer) {
  const fields = allFields(layer);
  const described = Object.fromEntries(layer.tiles.properties.map((p) => [p, fields[p]!.label.en]));
  const own = { id: layer.name, description: layer.label.en, fields: described, minzoom: 0, maxzoom: MAX_ZOOM };
  const areas = layer.geometryTypes.some((t) => t === "Polygon" || t === "MultiPolygon");
  return areas ? [own, { ...own, id: `${layer.name}-labels`, description: `${layer.label.en}: one label point per area` }] : [own];
}

/** TileJSON 3.0.0 of a tile set holding `layers` at `tiles` (an absolute URL template). */
export async function tileJson(
  db: Db,
  { name, description, tiles, layers }: { name: string; description: string; tiles: string; layers: readonly TiledLayer[] },
) {
  const boxes = (await Promise.all(layers.map((layer) => collectionExtent(db, { layer })))).filter((b): b is Bbox => b !== null);
  const bounds: Bbox = boxes.length
    ? [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))]
    : WORLD;
  return {
    tilejson: "3.0.0",
    name,
    description,
    scheme: "xyz",
    tiles: [tiles],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    bounds,
    center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, boxes.length ? 10 : 0],
    vector_layers: layers.flatMap(vectorLayers),
  };
}
