// Independent truth for the questions: plain TypeScript over all pairs, geodesic distances from
// GeographicLib (Karney's algorithm). Shares no code with server/.
import geodesic from "geographiclib-geodesic";

const WGS84 = geodesic.Geodesic.WGS84;

export type LonLat = [number, number];

export function geodesicDistance(a: LonLat, b: LonLat): number {
  return WGS84.Inverse(a[1], a[0], b[1], b[0]).s12!;
}

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
      for (const e of out(u)) if (!seen.has(e.v)) { seen.add(e.v); prev.set(e.v, e); queue.push(e.v); }
    }
    if (!seen.has(T)) break;
    let f = Infinity;
    for (let v = T; v !== S; v = prev.get(v)!.u) f = Math.min(f, prev.get(v)!.cap);
    for (let v = T; v !== S; v = prev.get(v)!.u) { prev.get(v)!.cap -= f; prev.get(v)!.rev!.cap += f; }
  }

  for (;;) {
    const dist = new Array(V).fill(0);
    const pred: (E | null)[] = new Array(V).fill(null);
    let last = -1;
    for (let i = 0; i < V; i++) {
      last = -1;
      for (const e of edges) {
        if (e.cap > 0 && dist[e.u] + e.cost < dist[e.v] - 1e-9) { dist[e.v] = dist[e.u] + e.cost; pred[e.v] = e; last = e.v; }
      }
    }
    if (last === -1) break;
    for (let i = 0; i < V; i++) last = pred[last]!.u;
    const cycle: E[] = [];
    for (let v = last; ; ) { const e = pred[v]!; cycle.push(e); v = e.u; if (v === last) break; }
    const f = Math.min(...cycle.map((e) => e.cap));
    for (const e of cycle) { e.cap -= f; e.rev!.cap += f; }
  }
  return arcEdges.map((e) => e.rev!.cap);
}
