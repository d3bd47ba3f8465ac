import { VectorTile } from "@mapbox/vector-tile";
import { PbfReader } from "pbf";
import type { Db } from "../../server/db.ts";
import { allFields, type TiledLayer } from "../../server/layers/layer.ts";

// What a low-zoom tile of a point layer must hold, computed here from the rows alone (the slippy-map and
// spherical Mercator formulas, not the server's SQL): the most important point of each cell 1/64 of the
// tile wide, over the tile and one cell around it (its 64-unit buffer).

/** Slippy-map tile of a lon/lat at zoom z (the standard formula, not the server's). */
export function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

/** The cell of a lon/lat at zoom z: the slippy-map tile of zoom z + 6 holding it. */
const cellOf = (lon: number, lat: number, z: number) => tileOf(lon, lat, z + 6);

export interface RankedPoint {
  id: number;
  lon: number;
  lat: number;
  /** The layer's rank column's value (null ranks last). */
  value: number | string | null;
}

/** Every point of a layer with its rank column's value. */
export async function rankedPoints(db: Db, layer: TiledLayer): Promise<RankedPoint[]> {
  const { rows } = await db.raw(`SELECT id::int, ST_X(geom) AS lon, ST_Y(geom) AS lat, ${layer.tiles.rank.column} AS value FROM ${layer.table}`);
  return rows;
}

/** Orders points most important first, as the layer declares (an enum by its values' declared order), then by id. */
function comparer(layer: TiledLayer) {
  const { column, order } = layer.tiles.rank;
  const field = allFields(layer)[column];
  const enumOrder = field?.kind === "enum" ? Object.keys(field.values) : undefined;
  const key = (p: RankedPoint): number | null => {
    if (p.value === null) return null;
    const v = enumOrder ? enumOrder.indexOf(String(p.value)) : Number(p.value);
    return order === "asc" ? v : -v;
  };
  return (a: RankedPoint, b: RankedPoint) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka !== kb) return ka === null ? 1 : kb === null ? -1 : ka - kb;
    return a.id - b.id;
  };
}

/** The ids tile z/x/y of a point layer must hold. */
export function thinnedTruth(layer: TiledLayer, points: RankedPoint[], z: number, x: number, y: number): number[] {
  const better = comparer(layer);
  const best = new Map<string, RankedPoint>();
  for (const p of points) {
    if (Math.abs(p.lat) >= 85.05) continue;
    const [cx, cy] = cellOf(p.lon, p.lat, z);
    if (cx < x * 64 - 1 || cx > x * 64 + 64 || cy < y * 64 - 1 || cy > y * 64 + 64) continue;
    const key = `${cx}/${cy}`;
    const held = best.get(key);
    if (!held || better(p, held) < 0) best.set(key, p);
  }
  return [...best.values()].map((p) => p.id).sort((a, b) => a - b);
}

/** The ids in one tile layer of an MVT. */
export function idsIn(bytes: ArrayBuffer, name: string): number[] {
  const l = new VectorTile(new PbfReader(new Uint8Array(bytes))).layers[name];
  return l ? Array.from({ length: l.length }, (_, i) => Number(l.feature(i).id)).sort((a, b) => a - b) : [];
}
