// The tests' own travel times by road: a graphology directed graph built from road segments as the
// source data gives them (never from road_edges or the product's code), each segment split where a
// point joins it, searched with graphology-shortest-path's Dijkstra. Hazard barriers by a state-expanded
// graph: state 0 = still on the blocked roads the route starts on, state 1 = left them for good.
import { DirectedGraph } from "graphology";
import { dijkstra } from "graphology-shortest-path";

export interface TruthSegment {
  id: string;
  from: string;
  to: string;
  /** seconds from → to, or null when not allowed */
  forwardS: number | null;
  backwardS: number | null;
}

/** A point joined to a segment at `fraction` of it from `from`, with an off-road leg of `offRoadS`. */
export interface TruthPoint {
  segment: string;
  fraction: number;
  offRoadS: number;
}

export class RoadTruth {
  private readonly graph = new DirectedGraph();

  /** `blocked`: ids of segments a route may use only while it has not left the blocked roads it starts on. */
  constructor(
    segments: readonly TruthSegment[],
    points: Readonly<Record<string, TruthPoint>>,
    private readonly blocked: ReadonlySet<string> = new Set(),
  ) {
    const states = blocked.size > 0 ? [0, 1] : [1];
    const on = new Map<string, [string, TruthPoint][]>();
    for (const [name, p] of Object.entries(points)) on.set(p.segment, [...(on.get(p.segment) ?? []), [name, p]]);
    const link = (a: string, b: string, w: number) => {
      for (const n of [a, b]) if (!this.graph.hasNode(n)) this.graph.addNode(n);
      const e = this.graph.edge(a, b);
      if (e === undefined) this.graph.addDirectedEdge(a, b, { w });
      else if (this.graph.getEdgeAttribute(e, "w") > w) this.graph.setEdgeAttribute(e, "w", w);
    };
    for (const s of segments) {
      // the stops along the segment: its ends and the points joined to it, by fraction
      const stops: [string, number][] = [
        [`n:${s.from}`, 0],
        ...(on.get(s.id) ?? []).map(([name, p]): [string, number] => [`j:${name}`, p.fraction]),
        [`n:${s.to}`, 1],
      ];
      stops.sort((a, b) => a[1] - b[1]);
      const isBlocked = this.blocked.has(s.id);
      for (let i = 0; i + 1 < stops.length; i++) {
        const [a, fa] = stops[i]!;
        const [b, fb] = stops[i + 1]!;
        for (const state of states) {
          // a blocked stretch keeps a route in state 0; any other takes it to state 1
          if (isBlocked && state === 1) continue;
          const to = isBlocked ? 0 : 1;
          // a stretch of no length (a point joined at a segment's end) is the same place: either way
          const open = s.forwardS !== null || s.backwardS !== null;
          if (s.forwardS !== null || (open && fb === fa)) link(`${a}@${state}`, `${b}@${to}`, (fb - fa) * (s.forwardS ?? 0));
          if (s.backwardS !== null || (open && fb === fa)) link(`${b}@${state}`, `${a}@${to}`, (fb - fa) * (s.backwardS ?? 0));
        }
      }
    }
    // a point: its off-road leg to where it joins (a route starting on a blocked segment is in state 0)
    // and from there, in either state
    for (const [name, p] of Object.entries(points)) {
      const state = this.blocked.has(p.segment) ? 0 : states[states.length - 1]!;
      link(`p:${name}`, `j:${name}@${state}`, p.offRoadS);
      for (const s of states) link(`j:${name}@${s}`, `q:${name}`, p.offRoadS);
    }
  }

  /** Seconds from point a to point b by road (Infinity when there is no way). */
  seconds(a: string, b: string): number {
    const from = `p:${a}`;
    const to = `q:${b}`;
    if (!this.graph.hasNode(from) || !this.graph.hasNode(to)) return Infinity;
    const path = dijkstra.bidirectional(this.graph, from, to, "w");
    if (!path) return Infinity;
    let total = 0;
    for (let i = 0; i + 1 < path.length; i++) total += this.graph.getEdgeAttribute(this.graph.edge(path[i], path[i + 1])!, "w");
    return total;
  }

  /** Seconds from point a to every point (by name) it reaches: one search for them all. */
  pointSeconds(a: string): Map<string, number> {
    const found = new Map<string, number>();
    if (!this.graph.hasNode(`p:${a}`)) return found;
    for (const [node, path] of Object.entries(dijkstra.singleSource(this.graph, `p:${a}`, "w"))) {
      const m = /^q:(.*)$/.exec(node);
      if (!m) continue;
      let total = 0;
      for (let i = 0; i + 1 < path.length; i++) total += this.graph.getEdgeAttribute(this.graph.edge(path[i], path[i + 1])!, "w");
      found.set(m[1]!, total);
    }
    return found;
  }

  /** Seconds from point a to every node of the segments (by the id given in `from`/`to`), the faster state. */
  nodeSeconds(a: string): Map<string, number> {
    const found = new Map<string, number>();
    for (const [node, path] of Object.entries(dijkstra.singleSource(this.graph, `p:${a}`, "w"))) {
      const m = /^n:(.*)@[01]$/.exec(node);
      if (!m) continue;
      let total = 0;
      for (let i = 0; i + 1 < path.length; i++) total += this.graph.getEdgeAttribute(this.graph.edge(path[i], path[i + 1])!, "w");
      found.set(m[1]!, Math.min(total, found.get(m[1]!) ?? Infinity));
    }
    return found;
  }
}
