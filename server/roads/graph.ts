/**
 * The road network held in memory: road_edges as typed arrays, nodes renumbered 0..n-1, and the arcs a
 * vehicle may drive in CSR form both ways: `out` (the arcs leaving each node, for a search that follows
 * travel) and `in` (the arcs arriving at each node, for a search that walks travel backwards from where
 * it ends). An arc is one direction of one edge with a cost ≥ 0 (pgRouting's convention: a negative
 * cost means no such direction), so a closed road has no arc at all.
 */
export interface EdgeRows {
  /** road_edges.id, ascending */
  id: ArrayLike<number>;
  source: ArrayLike<number>;
  target: ArrayLike<number>;
  cost: ArrayLike<number>;
  reverseCost: ArrayLike<number>;
  lengthM: ArrayLike<number>;
  /** the road each edge is a piece of (road_edges.road_id); absent: 0 */
  roadId?: ArrayLike<number>;
  /** each edge's line from source to target (degrees EPSG:4326); absent: no lines (routes cannot be drawn) */
  geometry?: EdgeLines;
}

/** Lines packed: edge e's points are pointStart[e] .. pointStart[e+1]-1, point p at coords[2p] (lon), coords[2p+1] (lat). */
export interface EdgeLines {
  pointStart: ArrayLike<number>;
  coords: ArrayLike<number>;
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

/** What a search reads of a graph: enough to search the same network in another thread (search_pool.ts). */
export interface SearchArrays {
  edgeCount: number;
  nodeCount: number;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  cost: Float64Array;
  reverseCost: Float64Array;
  lengthM: Float64Array;
  out: Arcs;
  in: Arcs;
  maxSpeedMps: number;
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
  readonly roadId: Float64Array;
  readonly pointStart: Int32Array;
  readonly coords: Float64Array;
  readonly out: Arcs;
  readonly in: Arcs;
  /** The fastest speed on the network (m/s), for bounding how far a time can reach in a straight line. */
  readonly maxSpeedMps: number;
  /** road_nodes.id of each node index */
  private readonly nodeId: number[];

  /**
   * `nodes`: the node numbering of the graph this one replaces (shared, only ever appended to: a graph
   * numbers its nodes once, and nodes it does not hold are simply not reached).
   */
  constructor(
    rows: EdgeRows,
    nodes: { index: Map<number, number>; id: number[] } = { index: new Map(), id: [] },
    /** the ends already numbered (node indexes of `nodes`): rows' source and target are then not read */
    numbered?: { source: Int32Array; target: Int32Array },
  ) {
    const m = rows.id.length;
    this.edgeCount = m;
    this.edgeId = rows.id instanceof Float64Array ? rows.id : new Float64Array(rows.id);
    for (let e = 1; e < m; e++) if (!(this.edgeId[e - 1]! < this.edgeId[e]!)) throw new Error("RoadGraph: edge ids must ascend");
    // typed arrays are taken as they are (a graph never writes to them); anything else is copied
    const f64 = (x: ArrayLike<number>) => (x instanceof Float64Array ? x : new Float64Array(x));
    this.cost = f64(rows.cost);
    this.reverseCost = f64(rows.reverseCost);
    this.lengthM = f64(rows.lengthM);
    this.roadId = rows.roadId ? f64(rows.roadId) : new Float64Array(m);
    this.pointStart = rows.geometry
      ? rows.geometry.pointStart instanceof Int32Array
        ? rows.geometry.pointStart
        : new Int32Array(rows.geometry.pointStart)
      : new Int32Array(m + 1);
    this.coords = rows.geometry ? f64(rows.geometry.coords) : new Float64Array(0);
    this.edgeSource = new Int32Array(numbered ? 0 : m);
    this.edgeTarget = new Int32Array(numbered ? 0 : m);
    this.nodeIndex = nodes.index;
    this.nodeId = nodes.id;
    let maxSpeed = 0;
    if (numbered) {
      this.edgeSource = numbered.source;
      this.edgeTarget = numbered.target;
    }
    for (let e = 0; e < m; e++) {
      if (!numbered) {
        this.edgeSource[e] = this.numberNode(rows.source[e]!);
        this.edgeTarget[e] = this.numberNode(rows.target[e]!);
      }
      const length = this.lengthM[e]!;
      if (this.cost[e]! > 0) maxSpeed = Math.max(maxSpeed, length / this.cost[e]!);
      if (this.reverseCost[e]! > 0) maxSpeed = Math.max(maxSpeed, length / this.reverseCost[e]!);
    }
    this.nodeCount = nodes.id.length;
    this.maxSpeedMps = maxSpeed;
    this.out = this.arcs("out");
    this.in = this.arcs("in");
  }

  private readonly nodeIndex: Map<number, number>;

  /** The arrays a search reads (the graph's own, not copies). */
  searchArrays(): SearchArrays {
    const { edgeCount, nodeCount, edgeSource, edgeTarget, cost, reverseCost, lengthM, out, maxSpeedMps } = this;
    return { edgeCount, nodeCount, edgeSource, edgeTarget, cost, reverseCost, lengthM, out, in: this.in, maxSpeedMps };
  }

  /**
   * A graph that answers searches only, from another graph's searchArrays (in another thread): no edge
   * ids, roads or lines, and no node numbering to patch it by.
   */
  static forSearch(arrays: SearchArrays): RoadGraph {
    return Object.assign(Object.create(RoadGraph.prototype) as RoadGraph, arrays);
  }

  /** The index of node `id` (road_nodes.id) in the numbering this graph shares, numbered anew if none has it. */
  private numberNode(id: number): number {
    let i = this.nodeIndex.get(id);
    if (i === undefined) {
      this.nodeIndex.set(id, (i = this.nodeId.length));
      this.nodeId.push(id);
    }
    return i;
  }

  /** The index of the edge with this road_edges.id, or undefined. */
  edgeIndex(id: number): number | undefined {
    let lo = 0;
    let hi = this.edgeCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.edgeId[mid]!;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /**
   * This network with the edges of roads `roads` replaced by `rows` (those roads' edges as they are now,
   * ids ascending; none for a road deleted): what a road edit changes, without reading the rest again.
   */
  withRoadsReplaced(roads: ReadonlySet<number>, rows: EdgeRows): RoadGraph {
    const kept = new Int32Array(this.edgeCount);
    let keptCount = 0;
    for (let e = 0; e < this.edgeCount; e++) if (!roads.has(this.roadId[e]!)) kept[keptCount++] = e;
    const added = rows.id.length;
    const m = keptCount + added;
    const id = new Float64Array(m);
    const source = new Int32Array(m);
    const target = new Int32Array(m);
    const cost = new Float64Array(m);
    const reverseCost = new Float64Array(m);
    const lengthM = new Float64Array(m);
    const roadId = new Float64Array(m);
    const pointStart = new Int32Array(m + 1);
    // where each merged edge comes from: kept edge e (≥ 0) or new row j (-1 - j); both ascend by id
    const from = new Int32Array(m);
    for (let i = 0, a = 0, b = 0; i < m; i++) {
      const old = b >= added || (a < keptCount && this.edgeId[kept[a]!]! < rows.id[b]!);
      from[i] = old ? kept[a++]! : -1 - b++;
    }
    const lines = rows.geometry;
    let points = 0;
    for (let i = 0; i < m; i++) {
      const f = from[i]!;
      pointStart[i] = points;
      if (f >= 0) {
        id[i] = this.edgeId[f]!;
        source[i] = this.edgeSource[f]!;
        target[i] = this.edgeTarget[f]!;
        cost[i] = this.cost[f]!;
        reverseCost[i] = this.reverseCost[f]!;
        lengthM[i] = this.lengthM[f]!;
        roadId[i] = this.roadId[f]!;
        points += this.pointStart[f + 1]! - this.pointStart[f]!;
      } else {
        const j = -1 - f;
        id[i] = rows.id[j]!;
        source[i] = this.numberNode(rows.source[j]!);
        target[i] = this.numberNode(rows.target[j]!);
        cost[i] = rows.cost[j]!;
        reverseCost[i] = rows.reverseCost[j]!;
        lengthM[i] = rows.lengthM[j]!;
        roadId[i] = rows.roadId?.[j] ?? 0;
        points += lines ? lines.pointStart[j + 1]! - lines.pointStart[j]! : 0;
      }
    }
    pointStart[m] = points;
    const coords = new Float64Array(2 * points);
    for (let i = 0; i < m; ) {
      const f = from[i]!;
      if (f >= 0) {
        // a run of kept edges, consecutive in both: one copy of their lines
        let j = i + 1;
        while (j < m && from[j] === from[j - 1]! + 1) j++;
        coords.set(this.coords.subarray(2 * this.pointStart[f]!, 2 * this.pointStart[from[j - 1]! + 1]!), 2 * pointStart[i]!);
        i = j;
      } else {
        if (lines) for (let k = 2 * lines.pointStart[-1 - f]!, at = 2 * pointStart[i]!; k < 2 * lines.pointStart[-f]!; k++, at++) coords[at] = lines.coords[k]!;
        i++;
      }
    }
    return new RoadGraph(
      { id, source, target, cost, reverseCost, lengthM, roadId, geometry: { pointStart, coords } },
      { index: this.nodeIndex, id: this.nodeId },
      { source, target },
    );
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
    const m = this.edgeCount;
    const out = listedUnder === "out";
    const { edgeSource, edgeTarget } = this;
    // each edge's arcs in travel order, the digitised direction (cost) first, then the other (reverse_cost);
    // plain loops: a callback per arc cost a province's million edges a second
    const offsets = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) {
      if (this.cost[e]! >= 0) offsets[(out ? edgeSource[e]! : edgeTarget[e]!) + 1]!++;
      if (this.reverseCost[e]! >= 0) offsets[(out ? edgeTarget[e]! : edgeSource[e]!) + 1]!++;
    }
    for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
    const count = offsets[n]!;
    const arcs: Arcs = { offsets, node: new Int32Array(count), edge: new Int32Array(count), forward: new Uint8Array(count), cost: new Float64Array(count) };
    const fill = offsets.slice(0, n);
    for (let e = 0; e < m; e++) {
      const s = edgeSource[e]!;
      const t = edgeTarget[e]!;
      if (this.cost[e]! >= 0) {
        const i = fill[out ? s : t]!++;
        arcs.node[i] = out ? t : s;
        arcs.edge[i] = e;
        arcs.forward[i] = 1;
        arcs.cost[i] = this.cost[e]!;
      }
      if (this.reverseCost[e]! >= 0) {
        const i = fill[out ? t : s]!++;
        arcs.node[i] = out ? s : t;
        arcs.edge[i] = e;
        arcs.forward[i] = 0;
        arcs.cost[i] = this.reverseCost[e]!;
      }
    }
    return arcs;
  }
}
