/**
 * The road network held in memory: road_edges as typed arrays, nodes renumbered 0..n-1, and the arcs a
 * vehicle may drive in CSR form both ways: `out` (the arcs leaving each node, for a search that follows
 * travel) and `in` (the arcs arriving at each node, for a search that walks travel backwards from where
 * it ends). An arc is one direction of one edge with a cost ≥ 0 (pgRouting's convention: a negative
 * cost means no such direction), so a closed road has no arc at all.
 */
export interface EdgeRows {
  id: ArrayLike<number>;
  source: ArrayLike<number>;
  target: ArrayLike<number>;
  cost: ArrayLike<number>;
  reverseCost: ArrayLike<number>;
  lengthM: ArrayLike<number>;
}

/** The arcs of every node: arcs of node v are offsets[v] .. offsets[v+1]-1. */
export interface Arcs {
  offsets: Int32Array;
  /** the node at the arc's other end */
  node: Int32Array;
  edge: Int32Array;
  /** 1 when travel along the arc follows the edge's digitised direction (source → target) */
  forward: Uint8Array;
  cost: Float64Array;
}

export class RoadGraph {
  readonly edgeCount: number;
  readonly nodeCount: number;
  readonly edgeId: Float64Array;
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly cost: Float64Array;
  readonly reverseCost: Float64Array;
  readonly lengthM: Float64Array;
  readonly out: Arcs;
  readonly in: Arcs;
  /** The fastest speed on the network (m/s), for bounding how far a time can reach in a straight line. */
  readonly maxSpeedMps: number;
  private readonly indexOfEdge = new Map<number, number>();

  constructor(rows: EdgeRows) {
    const m = rows.id.length;
    this.edgeCount = m;
    this.edgeId = Float64Array.from(rows.id);
    this.cost = Float64Array.from(rows.cost);
    this.reverseCost = Float64Array.from(rows.reverseCost);
    this.lengthM = Float64Array.from(rows.lengthM);
    this.edgeSource = new Int32Array(m);
    this.edgeTarget = new Int32Array(m);
    const nodeIndex = new Map<number, number>();
    const dense = (id: number) => {
      let i = nodeIndex.get(id);
      if (i === undefined) nodeIndex.set(id, (i = nodeIndex.size));
      return i;
    };
    let maxSpeed = 0;
    for (let e = 0; e < m; e++) {
      this.indexOfEdge.set(this.edgeId[e]!, e);
      this.edgeSource[e] = dense(rows.source[e]!);
      this.edgeTarget[e] = dense(rows.target[e]!);
      for (const c of [this.cost[e]!, this.reverseCost[e]!]) if (c > 0) maxSpeed = Math.max(maxSpeed, this.lengthM[e]! / c);
    }
    this.nodeCount = nodeIndex.size;
    this.maxSpeedMps = maxSpeed;
    this.out = this.arcs("out");
    this.in = this.arcs("in");
  }

  /** The index of the edge with this road_edges.id, or undefined. */
  edgeIndex(id: number): number | undefined {
    return this.indexOfEdge.get(id);
  }

  /**
   * Seconds to travel along edge e from fraction `from` to fraction `to` (0 = source, 1 = target), or
   * Infinity when the edge cannot be driven that way.
   */
  along(e: number, from: number, to: number): number {
    if (to === from) return this.cost[e]! >= 0 || this.reverseCost[e]! >= 0 ? 0 : Infinity;
    const c = to > from ? this.cost[e]! : this.reverseCost[e]!;
    return c < 0 ? Infinity : Math.abs(to - from) * c;
  }

  /**
   * CSR of the arcs: `out` lists each arc under the node travel leaves (and names the node it reaches),
   * `in` under the node travel reaches (and names the node it left).
   */
  private arcs(listedUnder: "out" | "in"): Arcs {
    const n = this.nodeCount;
    // each arc as (tail, head) in travel order: the digitised direction (cost), then the other (reverse_cost)
    const each = (visit: (key: number, node: number, e: number, forward: 0 | 1, cost: number) => void) => {
      for (let e = 0; e < this.edgeCount; e++) {
        const s = this.edgeSource[e]!;
        const t = this.edgeTarget[e]!;
        if (this.cost[e]! >= 0) listedUnder === "out" ? visit(s, t, e, 1, this.cost[e]!) : visit(t, s, e, 1, this.cost[e]!);
        if (this.reverseCost[e]! >= 0) listedUnder === "out" ? visit(t, s, e, 0, this.reverseCost[e]!) : visit(s, t, e, 0, this.reverseCost[e]!);
      }
    };
    const offsets = new Int32Array(n + 1);
    each((key) => offsets[key + 1]!++);
    for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
    const count = offsets[n]!;
    const arcs: Arcs = { offsets, node: new Int32Array(count), edge: new Int32Array(count), forward: new Uint8Array(count), cost: new Float64Array(count) };
    const fill = offsets.slice(0, n);
    each((key, node, e, forward, cost) => {
      const i = fill[key]!++;
      arcs.node[i] = node;
      arcs.edge[i] = e;
      arcs.forward[i] = forward;
      arcs.cost[i] = cost;
    });
    return arcs;
  }
}
