// Independent truth for the questions: plain TypeScript over all pairs, geodesic distances from
// GeographicLib (Karney's algorithm). Shares no code with server/.
import geodesic from "geographiclib-geodesic";

const WGS84 = geodesic.Geodesic.WGS84;

export type LonLat = [number, number];

export function geodesicDistance(a: LonLat, b: LonLat): number {
  return WGS84.Inverse(a[1], a[0], b[1], b[0]).s12!;
}

/**
 * How far an answer's point-to-point distance may be from geodesicDistance: PostGIS's geography distance
 * between points is GeographicLib's geodesic on the WGS84 spheroid too, and they agree to nanometres.
 * A sphere instead of the spheroid is off by 1–5 m a kilometre (0.1–0.5 %): 1 mm fails it a thousandfold.
 */
export const POINT_TO_POINT_M = 0.001;

/** Initial bearing from a to b, degrees clockwise from north in [0, 360). */
export function bearing(a: LonLat, b: LonLat): number {
  const azi = WGS84.Inverse(a[1], a[0], b[1], b[0]).azi1!;
  return (azi + 360) % 360;
}

/** The point `distance` metres from `from` along initial bearing `azimuth` degrees. */
export function destination(from: LonLat, azimuth: number, distance: number): LonLat {
  const r = WGS84.Direct(from[1], from[0], azimuth, distance);
  return [r.lon2!, r.lat2!];
}

/** Edges count as inside (the API's contract), with 1 mm for rounding. */
export const within = (d: number, radius: number) => d <= radius + 0.001;

/**
 * Min-cost max-flow by a different method from the server's: a maximum flow first (augmenting paths
 * by BFS), then cancel negative-cost cycles in the residual graph (Bellman-Ford) until none is left.
 * Returns the flow per arc.
 */
export function cycleCancelling(supply: number[], capacity: number[], arcs: { from: number; to: number; cost: number }[]): number[] {
  const n = supply.length;
  const m = capacity.length;
  const S = n + m;
  const T = S + 1;
  const V = T + 1;
  type E = { u: number; v: number; cap: number; cost: number; rev: E | null };
  const edges: E[] = [];
  const add = (u: number, v: number, cap: number, cost: number) => {
    const e: E = { u, v, cap, cost, rev: null };
    const r: E = { u: v, v: u, cap: 0, cost: -cost, rev: e };
    e.rev = r;
    edges.push(e, r);
    return e;
  };
  supply.forEach((s, i) => add(S, i, s, 0));
  capacity.forEach((c, j) => add(n + j, T, c, 0));
  const big = supply.reduce((a, b) => a + b, 0);
  const arcEdges = arcs.map((a) => add(a.from, n + a.to, big, a.cost));
  const out = (u: number) => edges.filter((e) => e.u === u && e.cap > 0);

  for (;;) {
    const prev = new Map<number, E>();
    const queue = [S];
    const seen = new Set([S]);
    while (queue.length && !seen.has(T)) {
      const u = queue.shift()!;
      for (const e of out(u))
        if (!seen.has(e.v)) {
          seen.add(e.v);
          prev.set(e.v, e);
          queue.push(e.v);
        }
    }
    if (!seen.has(T)) break;
    let f = Infinity;
    for (let v = T; v !== S; v = prev.get(v)!.u) f = Math.min(f, prev.get(v)!.cap);
    for (let v = T; v !== S; v = prev.get(v)!.u) {
      prev.get(v)!.cap -= f;
      prev.get(v)!.rev!.cap += f;
    }
  }

  for (;;) {
    const dist = new Array(V).fill(0);
    const pred: (E | null)[] = new Array(V).fill(null);
    let last = -1;
    for (let i = 0; i < V; i++) {
      last = -1;
      for (const e of edges) {
        if (e.cap > 0 && dist[e.u] + e.cost < dist[e.v] - 1e-9) {
          dist[e.v] = dist[e.u] + e.cost;
          pred[e.v] = e;
          last = e.v;
        }
      }
    }
    if (last === -1) break;
    for (let i = 0; i < V; i++) last = pred[last]!.u;
    const cycle: E[] = [];
    for (let v = last; ; ) {
      const e = pred[v]!;
      cycle.push(e);
      v = e.u;
      if (v === last) break;
    }
    const f = Math.min(...cycle.map((e) => e.cap));
    for (const e of cycle) {
      e.cap -= f;
      e.rev!.cap += f;
    }
  }
  return arcEdges.map((e) => e.rev!.cap);
}

/**
 * The geodesic distance from p to a point, line or area geometry (0 inside an area), and the point of
 * the geometry nearest p. Along each edge the nearest point is found by golden-section search on the
 * geodesic from one end to the other (the distance is unimodal along an edge much shorter than the
 * Earth's radius); inside is decided by ray casting in lon/lat.
 */
export function distanceToGeometry(p: LonLat, g: GeoJSON.Geometry): { d: number; nearest: LonLat } {
  const parts: { lines: LonLat[][]; areas: LonLat[][][] } = { lines: [], areas: [] };
  const add = (x: GeoJSON.Geometry) => {
    if (x.type === "Point") parts.lines.push([x.coordinates as LonLat]);
    else if (x.type === "MultiPoint") parts.lines.push(...x.coordinates.map((c) => [c as LonLat]));
    else if (x.type === "LineString") parts.lines.push(x.coordinates as LonLat[]);
    else if (x.type === "MultiLineString") parts.lines.push(...(x.coordinates as LonLat[][]));
    else if (x.type === "Polygon") parts.areas.push(x.coordinates as LonLat[][]);
    else if (x.type === "MultiPolygon") parts.areas.push(...(x.coordinates as LonLat[][][]));
    else x.geometries.forEach(add);
  };
  add(g);
  for (const rings of parts.areas) if (insideRings(p, rings)) return { d: 0, nearest: p };
  let best = { d: Infinity, nearest: p };
  for (const line of [...parts.lines, ...parts.areas.flat()]) {
    if (line.length === 1) {
      const d = geodesicDistance(p, line[0]!);
      if (d < best.d) best = { d, nearest: line[0]! };
    }
    for (let i = 1; i < line.length; i++) {
      const found = nearestOnEdge(p, line[i - 1]!, line[i]!);
      if (found.d < best.d) best = found;
    }
  }
  return best;
}

function nearestOnEdge(p: LonLat, a: LonLat, b: LonLat): { d: number; nearest: LonLat } {
  const edge = WGS84.InverseLine(a[1], a[0], b[1], b[0]);
  const at = (s: number): LonLat => {
    const r = edge.Position(s);
    return [r.lon2!, r.lat2!];
  };
  const f = (s: number) => geodesicDistance(p, at(s));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [lo, hi] = [0, edge.s13];
  let [x1, x2] = [hi - ratio * (hi - lo), lo + ratio * (hi - lo)];
  let [f1, f2] = [f(x1), f(x2)];
  while (hi - lo > 1e-4) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - ratio * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + ratio * (hi - lo);
      f2 = f(x2);
    }
  }
  return [0, (lo + hi) / 2, edge.s13].map((s) => ({ d: f(s), nearest: at(s) })).reduce((x, y) => (y.d < x.d ? y : x));
}

/** Even-odd ray casting over every ring (holes count against). */
function insideRings([x, y]: LonLat, rings: LonLat[][]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
