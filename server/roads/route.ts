import type { RoadGraph } from "./graph.ts";
import type { Place } from "./join.ts";
import type { Piece } from "./search.ts";

/** A route as travelled: from a place, along pieces of road, to a place. */
export interface Route {
  from: Place;
  pieces: readonly Piece[];
  to: Place;
}

/**
 * Each route's line as GeoJSON LineString text (7 decimals, as ST_AsGeoJSON(…, 7) writes it), drawn from
 * the edges' lines the graph holds: the off-road leg from the route's first place, each piece of road in
 * travel order, the leg to its last place, repeated points removed. A piece of an edge is cut as join.sql
 * measures fractions: in local metres, the edge scaled about its first point's latitude φ (east by cos φ,
 * north by M/N), the way ST_LineSubstring cuts the scaled line, then scaled back.
 */
export function routeLines(graph: RoadGraph, routes: readonly Route[]): string[] {
  return routes.map((route) => {
    const xs: number[] = [route.from.lon];
    const ys: number[] = [route.from.lat];
    for (const piece of route.pieces) addPiece(graph, piece, xs, ys);
    xs.push(route.to.lon);
    ys.push(route.to.lat);
    // repeated points removed, unless that leaves fewer than two (a route that goes nowhere)
    const keep = xs.map((x, i) => i === 0 || x !== xs[i - 1] || ys[i] !== ys[i - 1]);
    const kept = keep.filter(Boolean).length >= 2 ? keep : keep.map(() => true);
    const coordinates = xs.flatMap((x, i) => (kept[i] ? [`[${decimal7(x)},${decimal7(ys[i]!)}]`] : []));
    return `{"type":"LineString","coordinates":[${coordinates.join(",")}]}`;
  });
}

/** A number as ST_AsGeoJSON writes it with 7 decimals: rounded, trailing zeros dropped. */
function decimal7(x: number): string {
  const fixed = x.toFixed(7).replace(/\.?0+$/, "");
  return fixed === "-0" ? "0" : fixed;
}

const E2 = 0.00669437999014;

/** The points of a piece of edge, in travel order, appended (the points of ST_LineSubstring, its repeated points dropped). */
function addPiece(graph: RoadGraph, { edge, from, to }: Piece, xs: number[], ys: number[]): void {
  const first = graph.pointStart[edge]!;
  const n = graph.pointStart[edge + 1]! - first;
  if (n === 0) throw new Error(`edge ${graph.edgeId[edge]} has no line held`);
  const c = graph.coords;
  const lat = c[2 * first + 1]! * (Math.PI / 180);
  const kx = Math.cos(lat);
  const ky = (1 - E2) / (1 - E2 * Math.sin(lat) ** 2);
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sx[i] = c[2 * (first + i)]! * kx;
    sy[i] = c[2 * (first + i) + 1]! * ky;
  }
  const out: [number, number][] = [];
  const append = (x: number, y: number) => {
    const last = out[out.length - 1];
    if (!last || last[0] !== x || last[1] !== y) out.push([x, y]);
  };
  substring(sx, sy, Math.min(from, to), Math.max(from, to), append);
  if (from > to) out.reverse();
  const bx = 1 / kx;
  const by = 1 / ky;
  for (const [x, y] of out) {
    xs.push(x * bx);
    ys.push(y * by);
  }
}

/** ST_LineSubstring's walk along a line (PostGIS ptarray_substring, tolerance 0): the points from fraction `from` to `to`. */
function substring(xs: Float64Array, ys: Float64Array, from: number, to: number, append: (x: number, y: number) => void): void {
  let length = 0;
  for (let i = 1; i < xs.length; i++) length += Math.sqrt((xs[i - 1]! - xs[i]!) * (xs[i - 1]! - xs[i]!) + (ys[i - 1]! - ys[i]!) * (ys[i - 1]! - ys[i]!));
  const a = length * from;
  const b = length * to;
  let along = 0;
  let inside = false;
  const at = (i: number, t: number): [number, number] => [xs[i]! + (xs[i + 1]! - xs[i]!) * t, ys[i]! + (ys[i + 1]! - ys[i]!) * t];
  for (let i = 0; i < xs.length - 1; i++) {
    const dx = xs[i + 1]! - xs[i]!;
    const dy = ys[i + 1]! - ys[i]!;
    const segment = Math.sqrt(dx * dx + dy * dy);
    if (!inside) {
      if (Math.abs(a - (along + segment)) <= 0) {
        append(xs[i + 1]!, ys[i + 1]!);
        inside = true;
        along += segment;
        continue;
      } else if (Math.abs(a - along) <= 0) {
        append(xs[i]!, ys[i]!);
        inside = true;
      } else if (a > along + segment) {
        along += segment;
        continue;
      } else {
        append(...at(i, (a - along) / segment));
        inside = true;
      }
    }
    if (Math.abs(b - (along + segment)) <= 0) {
      append(xs[i + 1]!, ys[i + 1]!);
      return;
    } else if (Math.abs(b - along) <= 0) {
      append(xs[i]!, ys[i]!);
      return;
    } else if (b > along + segment) {
      append(xs[i + 1]!, ys[i + 1]!);
    } else if (b < along + segment) {
      append(...at(i, (b - along) / segment));
      return;
    }
    along += segment;
  }
}
