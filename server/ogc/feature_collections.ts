import type { Db } from "../db.ts";
import { LAYERS } from "../layers/index.ts";
import type { Layer } from "../layers/layer.ts";
import type { GeometryType } from "../layers/geometry.ts";
import { filtered } from "../features/repository.ts";
import type { ListQuery } from "../features/schemas.ts";

/** ST_Dimension of each GeoJSON type: 0 points, 1 lines, 2 areas (the Multi types included). */
const DIMENSION: Record<GeometryType, 0 | 1 | 2> = { Point: 0, LineString: 1, MultiLineString: 1, Polygon: 2, MultiPolygon: 2 };
const SHAPES = [
  { suffix: "points", zh: "点", en: "points (Point, MultiPoint)" },
  { suffix: "lines", zh: "线", en: "lines (LineString, MultiLineString)" },
  { suffix: "areas", zh: "面", en: "areas (Polygon, MultiPolygon)" },
] as const;

/** An OGC collection: a layer, or the part of a mixed layer holding one kind of geometry. */
export interface FeatureCollection {
  id: string;
  layer: Layer;
  title: string;
  description: string;
  /** Only geometries of this ST_Dimension (for layers holding points, lines and areas together). */
  dimension?: 0 | 1 | 2;
}

/**
 * Every collection holds one geometry type: QGIS and GDAL type a collection from its first page and
 * drop every feature of another type, so a mixed layer (hazards) is served as `<layer>-points`,
 * `<layer>-lines` and `<layer>-areas`, and is not a collection itself.
 */
function collectionsOf(layer: Layer): FeatureCollection[] {
  const description = layer.readOnly ? `${layer.label.en} (derived from other layers, read-only)` : layer.label.en;
  if (layer.storedAs !== "Geometry") return [{ id: layer.name, layer, title: layer.label.zh, description }];
  const dimensions = new Set(layer.geometryTypes.map((t) => DIMENSION[t]));
  return [...dimensions].sort().map((d) => ({
    id: `${layer.name}-${SHAPES[d].suffix}`,
    layer,
    dimension: d,
    title: `${layer.label.zh}（${SHAPES[d].zh}）`,
    description: `${description}: ${SHAPES[d].en}`,
  }));
}

export const FEATURE_COLLECTIONS: readonly FeatureCollection[] = LAYERS.flatMap(collectionsOf);

const byId = new Map(FEATURE_COLLECTIONS.map((c) => [c.id, c]));

export const findCollection = (id: string): FeatureCollection | undefined => byId.get(id);

/** For a mixed layer's own name: the ids of the collections serving it, to point the asker there. */
export const collectionsServing = (name: string): string[] => FEATURE_COLLECTIONS.filter((c) => c.layer.name === name && c.id !== name).map((c) => c.id);

/** The layer's filtered rows (`t`), restricted to the collection's geometry dimension. */
export function collectionRows(db: Db, c: FeatureCollection, q: Omit<ListQuery, "limit" | "offset">) {
  const query = filtered(db, c.layer, q);
  return c.dimension === undefined ? query : query.whereRaw("ST_Dimension(t.geom) = ?", [c.dimension]);
}
