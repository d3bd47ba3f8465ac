/**
 * Min-cost maximum flow on a transportation network (sources → sinks over priced arcs): move as many
 * units as possible and, among all such plans, at the least total cost. Exact for integer costs.
 *
 * Method: the primal network simplex (spanning-tree bases, Cunningham's strongly feasible trees,
 * block-search pricing — the scheme of LEMON's NetworkSimplex). Successive shortest paths needs one
 * Dijkstra over the whole graph per augmentation, and a dense evacuation has thousands of them
 * (~minutes); the simplex's pivots each touch one block of arcs and one tree cycle (~0.1 s total).
 *
 * "Maximum first" is encoded in the costs, exactly: the network is S → source i → sink j → T with
 * S offering D = min(total supply, total capacity), and whatever does not reach T goes S → R → T
 * through an artificial root R at a price ART per unit. ART exceeds the cost of any augmenting path
 * (≤ min(n, m) priced arcs), so an optimum never leaves a unit unmoved that could move, and among
 * maximum flows it has the least cost. All numbers are integers below 2^53, so doubles are exact.
 */
export interface Transport {
  supply: number[];
  capacity: number[];
  /** Arcs from source i to sink j with a non-negative integer cost per unit. */
  arcs: { from: number; to: number; cost: number }[];
}

const LOWER = 1; // non-tree arc at flow 0: may enter by increasing its flow
const UPPER = -1; // non-tree arc at capacity: may enter by decreasing its flow
const TREE = 0;

export function minCostMaxFlow({ supply, capacity, arcs }: Transport): number[] {
  const n = supply.length;
  const m = capacity.length;
  const k = arcs.length;
  const sum = (xs: number[]) => xs.reduce((a, x) => a + Math.max(0, x), 0);
  const D = Math.min(sum(supply), sum(capacity));
  if (k === 0 || D === 0) return new Array<number>(k).fill(0);

  // nodes: sources 0..n-1, sinks n..n+m-1, S, T, and the root R of the spanning tree
  const S = n + m;
  const T = S + 1;
  const R = T + 1;
  const N = R + 1;
  // arcs: the k transport arcs, S → i, j → T, then one artificial arc between each node and R
  const K = k + n + m + (N - 1);
  const src = new Int32Array(K);
  const dst = new Int32Array(K);
  const cost = new Float64Array(K);
  const cap = new Float64Array(K);
  const flow = new Float64Array(K);
  const state = new Int8Array(K).fill(LOWER);

  let maxCost = 0;
  arcs.forEach((a, e) => {
    if (!(Number.isSafeInteger(a.cost) && a.cost >= 0)) throw new RangeError(`arc ${e}: cost must be a non-negative integer`);
    src[e] = a.from;
    dst[e] = n + a.to;
    cost[e] = a.cost;
    cap[e] = Infinity;
    maxCost = Math.max(maxCost, a.cost);
  });
  for (let i = 0; i < n; i++) (src[k + i] = S), (dst[k + i] = i), (cap[k + i] = Math.max(0, supply[i]!));
  for (let j = 0; j < m; j++) (src[k + n + j] = n + j), (dst[k + n + j] = T), (cap[k + n + j] = Math.max(0, capacity[j]!));

  const ART = Math.min(n, m) * maxCost + 1;
  if (3 * (ART + N * maxCost) > Number.MAX_SAFE_INTEGER) throw new RangeError("costs too large to solve exactly");

  // The spanning tree: parent, the tree arc to it (pred) and whether that arc points up (u → parent),
  // depth, potentials (every tree arc has reduced cost 0), and child lists to walk subtrees.
  const parent = new Int32Array(N).fill(-1);
  const pred = new Int32Array(N).fill(-1);
  const up = new Int8Array(N);
  const depth = new Int32Array(N);
  const pi = new Float64Array(N);
  const firstChild = new Int32Array(N).fill(-1);
  const nextSib = new Int32Array(N).fill(-1);
  const prevSib = new Int32Array(N).fill(-1);
  const attach = (u: number, p: number) => {
    const c = firstChild[p]!;
    nextSib[u] = c;
    prevSib[u] = -1;
    if (c !== -1) prevSib[c] = u;
    firstChild[p] = u;
  };
  const detach = (u: number, p: number) => {
    const a = prevSib[u]!;
    const b = nextSib[u]!;
    if (a !== -1) nextSib[a] = b;
    else firstChild[p] = b;
    if (b !== -1) prevSib[b] = a;
  };

  // Initial basis: a star around R. Every arc with no flow points up to R, so the tree is strongly
  // feasible (a unit can go from any node up to R). S → R carries D at no cost; R → T carries D at ART;
  // the artificial arcs of the other nodes cost ART, so no optimum routes people through them.
  for (let u = 0; u < R; u++) {
    const e = k + n + m + u;
    parent[u] = R;
    pred[u] = e;
    depth[u] = 1;
    state[e] = TREE;
    cap[e] = Infinity;
    attach(u, R);
    if (u === T) {
      src[e] = R, dst[e] = T, up[u] = -1, cost[e] = ART, flow[e] = D, pi[u] = ART;
    } else {
      src[e] = u, dst[e] = R, up[u] = 1, cost[e] = u === S ? 0 : ART, flow[e] = u === S ? D : 0, pi[u] = -cost[e]!;
    }
  }

  const blockSize = Math.max(10, Math.ceil(Math.sqrt(K)));
  const stack = new Int32Array(N);
  let nextArc = 0;
  for (;;) {
    // Pricing: scan blocks of arcs from where the last scan stopped; take the most violating arc of
    // the first block that has one (a full pass with none means optimal).
    let inArc = -1;
    let best = 0;
    let e = nextArc;
    for (let scanned = 0, cnt = blockSize; scanned < K; scanned++) {
      const c = state[e]! * (cost[e]! + pi[src[e]!]! - pi[dst[e]!]!);
      if (c < best) (best = c), (inArc = e);
      if (++e === K) e = 0;
      if (--cnt === 0) {
        if (inArc !== -1) break;
        cnt = blockSize;
      }
    }
    if (inArc === -1) break;
    nextArc = e;

    // The cycle closed by the entering arc: both ends climb to their common ancestor.
    let a = src[inArc]!;
    let b = dst[inArc]!;
    while (a !== b) {
      if (depth[a]! >= depth[b]!) a = parent[a]!;
      else b = parent[b]!;
    }
    const join = a;

    // The leaving arc: the blocking arc met last when walking the cycle from `join` in the direction of
    // the flow change (Cunningham's rule: keeps the tree strongly feasible, so the simplex cannot cycle).
    const first = state[inArc] === LOWER ? src[inArc]! : dst[inArc]!;
    const second = state[inArc] === LOWER ? dst[inArc]! : src[inArc]!;
    let delta = cap[inArc]!;
    let side = 0;
    let uOut = -1;
    for (let u = first; u !== join; u = parent[u]!) {
      const t = pred[u]!;
      const d = up[u] === 1 ? flow[t]! : cap[t]! - flow[t]!;
      if (d < delta) (delta = d), (uOut = u), (side = 1);
    }
    for (let u = second; u !== join; u = parent[u]!) {
      const t = pred[u]!;
      const d = up[u] === 1 ? cap[t]! - flow[t]! : flow[t]!;
      if (d <= delta) (delta = d), (uOut = u), (side = 2);
    }
    if (delta === Infinity) throw new Error("unbounded: a negative cycle of unlimited arcs");

    if (delta > 0) {
      const val = state[inArc]! * delta;
      flow[inArc]! += val;
      for (let u = src[inArc]!; u !== join; u = parent[u]!) flow[pred[u]!]! -= up[u]! * val;
      for (let u = dst[inArc]!; u !== join; u = parent[u]!) flow[pred[u]!]! += up[u]! * val;
    }
    if (side === 0) {
      // the entering arc itself blocks: it just moves to its other bound
      state[inArc] = -state[inArc]!;
      continue;
    }

    // Swap the arcs: the subtree hanging from uOut is re-hung from the entering arc at uIn, reversing
    // the tree path uIn … uOut; then its depths and potentials are refreshed in one walk.
    const uIn = side === 1 ? first : second;
    const vIn = side === 1 ? second : first;
    const outArc = pred[uOut]!;
    state[inArc] = TREE;
    state[outArc] = flow[outArc] === 0 ? LOWER : UPPER;
    const shift = src[inArc] === uIn ? pi[vIn]! - cost[inArc]! - pi[uIn]! : pi[vIn]! + cost[inArc]! - pi[uIn]!;
    let u = uIn;
    let newParent = vIn;
    let newPred = inArc;
    let newUp = src[inArc] === uIn ? 1 : -1;
    for (;;) {
      const oldParent = parent[u]!;
      const oldPred = pred[u]!;
      const oldUp = up[u]!;
      detach(u, oldParent);
      parent[u] = newParent;
      pred[u] = newPred;
      up[u] = newUp;
      attach(u, newParent);
      if (u === uOut) break;
      newParent = u;
      newPred = oldPred;
      newUp = -oldUp;
      u = oldParent;
    }
    let top = 0;
    stack[top++] = uIn;
    while (top > 0) {
      const x = stack[--top]!;
      depth[x] = depth[parent[x]!]! + 1;
      pi[x]! += shift;
      for (let c = firstChild[x]!; c !== -1; c = nextSib[c]!) stack[top++] = c;
    }
  }

  return Array.from(flow.subarray(0, k));
}
