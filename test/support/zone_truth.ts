import { VectorTile } from "@mapbox/vector-tile";
import { PbfReader } from "pbf";
import { distanceToGeometry, type LonLat } from "./truth.ts";

// How far an area drawn in a tile is from the zone it stands for, computed here from the hazard alone
// (the inverse spherical Mercator formula and GeographicLib's geodesics, not the server's SQL): a zone is
// every point within the hazard's influence radius of its geometry (the area itself for radius 0).

const EXTENT = 4096;
/** Web Mercator's width on the ground at the equator, metres: a tile unit at zoom z is this / 2^z / 4096 (times cos(lat) on the ground). */
const WORLD_M = 40_075_016.685_578_5;

/** The ground size of one tile unit (1/4096 of the tile) at zoom z and latitude lat, metres. */
export const unitMetres = (z: number, lat: number) => (WORLD_M / 2 ** z / EXTENT) * Math.cos((lat * Math.PI) / 180);

/** The lon/lat of a point of tile z/x/y given in tile units (y down). */
export function lonLatOf(z: number, x: number, y: number, px: number, py: number): LonLat {
  const n = 2 ** z;
  const mx = (x + px / EXTENT) / n;
  const my = (y + py / EXTENT) / n;
  return [mx * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - 2 * my))) * 180) / Math.PI];
}

export interface DrawnArea {
  id: number;
  /** Every ring, outer and inner, in tile units. */
  rings: { x: number; y: number }[][];
}

/** The areas of one tile layer of an MVT, by feature id. */
export function areasIn(bytes: ArrayBuffer, name: string): Map<number, DrawnArea> {
  const l = new VectorTile(new PbfReader(new Uint8Array(bytes))).layers[name];
  const areas = new Map<number, DrawnArea>();
  for (let i = 0; l && i < l.length; i++) {
    const f = l.feature(i);
    areas.set(Number(f.id), { id: Number(f.id), rings: f.loadGeometry().map((r) => r.map((p) => ({ x: p.x, y: p.y }))) });
  }
  return areas;
}

/** The area drawn, tile units² (the shoelace formula over every ring: an MVT's holes wind the other way). */
export function drawnArea(a: DrawnArea): number {
  let sum = 0;
  for (const ring of a.rings) for (let i = 1; i < ring.length; i++) sum += ring[i - 1]!.x * ring[i]!.y - ring[i]!.x * ring[i - 1]!.y;
  return Math.abs(sum) / 2;
}

export interface Hazard {
  id: number;
  geometry: GeoJSON.Geometry;
  influence_radius_m: number;
}

/** How far a point is from the edge of a hazard's zone, metres. */
function offEdge(h: Hazard, p: LonLat): number {
  if (h.influence_radius_m > 0) return Math.abs(distanceToGeometry(p, h.geometry).d - h.influence_radius_m);
  const rings = h.geometry.type === "Polygon" ? h.geometry.coordinates : h.geometry.type === "MultiPolygon" ? h.geometry.coordinates.flat() : [];
  return distanceToGeometry(p, { type: "MultiLineString", coordinates: rings }).d;
}

/**
 * The farthest the outline drawn strays from the zone's edge, in tile units of the tile's zoom: each
 * vertex, and each edge's middle (where a coarser simplification would cut the curve), leaving out the
 * tile's clip (the 64-unit buffer's edge), which is no edge of the zone.
 */
export function strayUnits(h: Hazard, a: DrawnArea, z: number, x: number, y: number): number {
  const clip = (p: { x: number; y: number }) => Math.min(p.x, p.y) <= -63 || Math.max(p.x, p.y) >= EXTENT + 63;
  let worst = 0;
  for (const ring of a.rings) {
    for (let i = 0; i < ring.length; i++) {
      const p = ring[i]!;
      const next = ring[(i + 1) % ring.length]!;
      const probes = [...(clip(p) ? [] : [p]), ...(clip(p) || clip(next) ? [] : [{ x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 }])];
      for (const q of probes) {
        const at = lonLatOf(z, x, y, q.x, q.y);
        worst = Math.max(worst, offEdge(h, at) / unitMetres(z, at[1]));
      }
    }
  }
  return worst;
}
