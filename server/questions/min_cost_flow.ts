/**
 * Min-cost maximum flow on a transportation network (sources → sinks over priced arcs): move as many
 * units as possible and, among all such plans, at the least total cost. Exact for integer costs.
 *
 * Method: the primal network simplex (spanning-tree bases, Cunningham's strongly feasible trees,
 * block-search pricing — the scheme of LEMON's NetworkSimplex), started from a cheap maximum flow.
 * Successive shortest paths needs one Dijkstra over the whole graph per augmentation, and a dense
 * evacuation has thousands of them (minutes); a simplex pivot looks at one block of arcs and one cycle
 * of the tree. What is left is to need few pivots and price few arcs: people first go greedily to
 * their nearest shelters with room, then augmenting paths (Dinic) move everyone who still can; the
 * simplex makes that plan cheapest among the likely arcs first, then among all of them.
 *
 * The network is S → source i → sink j → T, with S offering D = min(total supply, total capacity);
 * what does not reach T goes S → R → T through the root R of the tree at a price ART per unit. ART
 * exceeds the cost of any augmenting path (at most min(n, m) priced arcs), so the optimum leaves no unit
 * unmoved that could move — "maximum first" holds by the costs alone, whatever the start — and among
 * maximum flows it is the cheapest. All numbers stay integers below 2^53, so doubles are exact.
 */
export interface Transport {
  supply: number[];
  capacity: number[];
  /** Arcs from source i to sink j with a non-negative integer cost per unit. */
  arcs: { from: number; to: number; cost: number }[];
}

/** Flow per arc of a min-cost maximum flow. Throws a RangeError for anything but integers. */
export function minCostMaxFlow(t: Transport): number[] {
  const n = t.supply.length;
  const m = t.capacity.length;
  const k = t.arcs.length;
  const net: Net = {
    n,
    m,
    k,
    from: new Int32Array(k),
    to: new Int32Array(k),
    cost: new Float64Array(k),
    supply: new Float64Array(n),
    capacity: new Float64Array(m),
  };
  const units = (x: number, what: string) => {
    if (!Number.isSafeInteger(x)) throw new RangeError(`${what} must be an integer`);
    return Math.max(0, x); // nothing to send or take
  };
  for (let i = 0; i < n; i++) net.supply[i] = units(t.supply[i]!, `supply ${i}`);
  for (let j = 0; j < m; j++) net.capacity[j] = units(t.capacity[j]!, `capacity ${j}`);
  for (let e = 0; e < k; e++) {
    const a = t.arcs[e]!;
    if (!(Number.isSafeInteger(a.cost) && a.cost >= 0)) throw new RangeError(`arc ${e}: cost must be a non-negative integer`);
    if (!(Number.isInteger(a.from) && a.from >= 0 && a.from < n && Number.isInteger(a.to) && a.to >= 0 && a.to < m)) {
      throw new RangeError(`arc ${e}: no such source or sink`);
    }
    net.from[e] = a.from;
    net.to[e] = a.to;
    net.cost[e] = a.cost;
  }
  const D = Math.min(sum(net.supply), sum(net.capacity));
  if (k === 0 || D === 0) return new Array<number>(k).fill(0);
  const order = byCost(net.cost);
  const start = cheapMaximumFlow(net, order);

  // Pricing all ~150,000 arcs for every pivot is most of the work, and most arcs never enter. So the
  // simplex runs in rounds, each making the plan optimal among more arcs, put first: those the start
  // uses and the ROUNDS[0] cheapest of every source and every sink, then the ROUNDS[1] cheapest, …,
  // then all; the last, complete round is what makes the plan optimal, and by then it takes few pivots.
  const round = new Int32Array(k).fill(ROUNDS.length); // the first round that prices an arc
  for (let r = ROUNDS.length - 1; r >= 0; r--) {
    const taken = new Int32Array(n + m);
    for (const e of order) {
      if (start[e]! > 0 || taken[net.from[e]!]! < ROUNDS[r]! || taken[n + net.to[e]!]! < ROUNDS[r]!) {
        round[e] = r;
        taken[net.from[e]!]!++;
        taken[n + net.to[e]!]!++;
      }
    }
  }
  const perm = new Int32Array(k); // position in the simplex → arc
  const priced: number[] = []; // how many arcs the rounds price
  for (let r = 0, p = 0; r <= ROUNDS.length; r++) {
    for (let e = 0; e < k; e++) if (round[e] === r) perm[p++] = e;
    priced.push(p);
  }
  const permuted: Net = { ...net, from: new Int32Array(k), to: new Int32Array(k), cost: new Float64Array(k) };
  const permutedStart = new Float64Array(k);
  for (let p = 0; p < k; p++) {
    const e = perm[p]!;
    permuted.from[p] = net.from[e]!;
    permuted.to[p] = net.to[e]!;
    permuted.cost[p] = net.cost[e]!;
    permutedStart[p] = start[e]!;
  }

  const simplex = new NetworkSimplex(permuted, D, permutedStart);
  for (const count of priced) simplex.solve(count);
  const flows = new Array<number>(k);
  for (let p = 0; p < k; p++) flows[perm[p]!] = simplex.flow[p]!;
  return flows;
}

/** How many of its cheapest arcs each source and each sink brings into each round of pricing. */
const ROUNDS = [5, 20, 80];

/** The transportation network in flat arrays: arc e goes from source from[e] to sink to[e]. */
interface Net {
  n: number;
  m: number;
  k: number;
  from: Int32Array;
  to: Int32Array;
  cost: Float64Array;
  supply: Float64Array;
  capacity: Float64Array;
}

function sum(xs: Float64Array) {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}

/**
 * A maximum flow that is already fairly cheap: arcs in order of cost, each carrying as much as its
 * source still has and its sink still takes; then Dinic's augmenting paths (shortest in arcs, in
 * blocking phases) until none is left. Returns the flow per arc.
 */
function cheapMaximumFlow({ n, m, k, from, to, supply, capacity }: Net, order: Int32Array): Float64Array {
  const flow = new Float64Array(k);
  const left = supply.slice(); // what each source still has
  const room = capacity.slice(); // what each sink still takes
  for (const e of order) {
    const x = Math.min(left[from[e]!]!, room[to[e]!]!);
    if (x > 0) (flow[e] = x), (left[from[e]!]! -= x), (room[to[e]!]! -= x);
  }

  // arcs by source and by sink, for the residual graph: i → j always (uncapacitated), j → i if flow > 0
  const out = groupBy(from, n);
  const into = groupBy(to, m);
  const level = new Int32Array(n + m); // sources 0..n-1, sinks n..n+m-1
  const queue = new Int32Array(n + m);
  const next = new Int32Array(n + m); // each node's next arc to try in this phase
  const pathArc = new Int32Array(n + m);
  for (;;) {
    // levels from the sources that still have people, along residual arcs
    level.fill(-1);
    let head = 0;
    let tail = 0;
    let reachable = false;
    for (let i = 0; i < n; i++) if (left[i]! > 0) (level[i] = 0), (queue[tail++] = i);
    while (head < tail) {
      const u = queue[head++]!;
      if (u < n) {
        for (let p = out.start[u]!; p < out.start[u + 1]!; p++) {
          const v = n + to[out.items[p]!]!;
          if (level[v] === -1) (level[v] = level[u]! + 1), (queue[tail++] = v);
        }
      } else {
        if (room[u - n]! > 0) reachable = true;
        for (let p = into.start[u - n]!; p < into.start[u - n + 1]!; p++) {
          const e = into.items[p]!;
          const v = from[e]!;
          if (flow[e]! > 0 && level[v] === -1) (level[v] = level[u]! + 1), (queue[tail++] = v);
        }
      }
    }
    if (!reachable) return flow;

    // a blocking flow: depth-first along rising levels, pruning dead ends
    for (let i = 0; i < n; i++) next[i] = out.start[i]!;
    for (let j = 0; j < m; j++) next[n + j] = into.start[j]!;
    for (let s = 0; s < n; s++) {
      if (level[s] !== 0) continue;
      let depth = 0;
      let u = s;
      while (left[s]! > 0) {
        if (u >= n && room[u - n]! > 0) {
          // a path s … u → T: push what the source, the sink and the reversed arcs allow
          let x = Math.min(left[s]!, room[u - n]!);
          for (let d = 1; d < depth; d += 2) x = Math.min(x, flow[pathArc[d]!]!);
          for (let d = 0; d < depth; d++) flow[pathArc[d]!]! += d % 2 === 0 ? x : -x;
          left[s]! -= x;
          room[u - n]! -= x;
          depth = 0;
          u = s;
          continue;
        }
        let advanced = false;
        if (u < n) {
          for (; next[u]! < out.start[u + 1]!; next[u]!++) {
            const e = out.items[next[u]!]!;
            if (level[n + to[e]!] === level[u]! + 1) {
              pathArc[depth++] = e;
              u = n + to[e]!;
              advanced = true;
              break;
            }
          }
        } else {
          for (; next[u]! < into.start[u - n + 1]!; next[u]!++) {
            const e = into.items[next[u]!]!;
            if (flow[e]! > 0 && level[from[e]!] === level[u]! + 1) {
              pathArc[depth++] = e;
              u = from[e]!;
              advanced = true;
              break;
            }
          }
        }
        if (advanced) continue;
        level[u] = -1; // a dead end for the rest of this phase
        if (depth === 0) break;
        const e = pathArc[--depth]!;
        u = depth % 2 === 0 ? from[e]! : n + to[e]!;
        next[u]!++;
      }
    }
  }
}

/**
 * Arc indices roughly in order of cost: a counting sort into 2^16 buckets of equal width, which is all
 * the greedy start needs (and linear).
 */
function byCost(cost: Float64Array): Int32Array {
  let max = 0;
  for (const c of cost) max = Math.max(max, c);
  const buckets = 1 << 16;
  const bucket = new Int32Array(cost.length);
  if (max > 0) for (let e = 0; e < cost.length; e++) bucket[e] = Math.floor((cost[e]! / max) * (buckets - 1));
  return groupBy(bucket, buckets).items;
}

/** 0..keys.length-1 grouped by key (each in 0..count-1), in order: group g is items[start[g] .. start[g + 1]). */
function groupBy(keys: Int32Array, count: number) {
  const start = new Int32Array(count + 1);
  for (const g of keys) start[g + 1]!++;
  for (let g = 0; g < count; g++) start[g + 1]! += start[g]!;
  const items = new Int32Array(keys.length);
  const at = start.slice(0, count);
  for (let x = 0; x < keys.length; x++) items[at[keys[x]!]!++] = x;
  return { start, items };
}

// state of an arc: in the tree, or out of it at one of its bounds (and may enter the other way)
const TREE = 0;
const LOWER = 1;
const UPPER = -1;

class NetworkSimplex {
  // arcs: the k transport arcs first, then S → i, j → T, then one artificial arc per node u ≠ R
  readonly k: number;
  readonly K: number;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly cost: Float64Array;
  readonly cap: Float64Array;
  readonly flow: Float64Array;
  readonly state: Int8Array;
  // the spanning tree rooted at R: parent, the tree arc to it (pred) and whether it points up
  // (u → parent), depth, potentials (every tree arc has reduced cost 0), and child lists
  readonly parent: Int32Array;
  readonly pred: Int32Array;
  readonly up: Int8Array;
  readonly depth: Int32Array;
  readonly pi: Float64Array;
  readonly firstChild: Int32Array;
  readonly nextSib: Int32Array;
  readonly prevSib: Int32Array;
  readonly stack: Int32Array;
  // pricing: the transport arcs searched (0..limit-1), block size, where the next search starts
  limit = 0;
  blockSize = 0;
  nextArc = 0;

  /** The network carrying `start` (a feasible flow of the transport arcs), and a basis for it. */
  constructor({ n, m, k, from, to, cost: arcCost, supply, capacity }: Net, D: number, start: Float64Array) {
    const S = n + m;
    const T = S + 1;
    const R = T + 1;
    const N = R + 1;
    const K = k + n + m + R;
    this.k = k;
    this.K = K;
    const src = (this.src = new Int32Array(K));
    const dst = (this.dst = new Int32Array(K));
    const cost = (this.cost = new Float64Array(K));
    const cap = (this.cap = new Float64Array(K).fill(Infinity));
    const flow = (this.flow = new Float64Array(K));
    this.state = new Int8Array(K);
    let maxCost = 0;
    let moved = 0;
    for (let e = 0; e < k; e++) {
      src[e] = from[e]!;
      dst[e] = n + to[e]!;
      cost[e] = arcCost[e]!;
      flow[e] = start[e]!;
      flow[k + from[e]!]! += start[e]!;
      flow[k + n + to[e]!]! += start[e]!;
      moved += start[e]!;
      maxCost = Math.max(maxCost, arcCost[e]!);
    }
    for (let i = 0; i < n; i++) (src[k + i] = S), (dst[k + i] = i), (cap[k + i] = supply[i]!);
    for (let j = 0; j < m; j++) (src[k + n + j] = n + j), (dst[k + n + j] = T), (cap[k + n + j] = capacity[j]!);
    const ART = Math.min(n, m) * maxCost + 1;
    if (3 * (ART + N * maxCost) > Number.MAX_SAFE_INTEGER) throw new RangeError("costs too large to solve exactly");
    // S → R and R → T carry what is not moved; the other artificial arcs (u → R) carry nothing and,
    // at ART, never will in an optimum
    for (let u = 0; u < R; u++) {
      const e = k + n + m + u;
      if (u === T) (src[e] = R), (dst[e] = T), (cost[e] = ART), (flow[e] = D - moved);
      else (src[e] = u), (dst[e] = R), (cost[e] = u === S ? 0 : ART), (flow[e] = u === S ? D - moved : 0);
    }

    this.parent = new Int32Array(N).fill(-1);
    this.pred = new Int32Array(N).fill(-1);
    this.up = new Int8Array(N);
    this.depth = new Int32Array(N);
    this.pi = new Float64Array(N);
    this.firstChild = new Int32Array(N).fill(-1);
    this.nextSib = new Int32Array(N).fill(-1);
    this.prevSib = new Int32Array(N).fill(-1);
    this.stack = new Int32Array(N);
    this.buildBasis(N, R);
  }

  private isFree(e: number) {
    return this.flow[e]! > 0 && this.flow[e]! < this.cap[e]!;
  }

  /**
   * A strongly feasible spanning tree for the current flow. Arcs strictly between their bounds must all
   * be tree arcs, so they must not close a cycle: where one would, push flow round that cycle (the way
   * that costs nothing more) until an arc reaches a bound. Then grow the tree from R: whole components
   * of such free arcs at a time, joined by arcs at a bound along which a unit could still go up towards
   * R (what makes the tree strongly feasible), or else by the node's artificial arc.
   */
  private buildBasis(N: number, R: number) {
    const { K, src, dst, cost, cap, flow, state } = this;
    const other = (x: number, u: number) => (src[x] === u ? dst[x]! : src[x]!);

    const inForest = new Uint8Array(K);
    const forest: number[][] = Array.from({ length: N }, () => []);
    // union-find over the forest's nodes: different sets, no path (arcs leave the forest only when a
    // cycle is broken, after which the sets may be too coarse, never too fine)
    const set = Int32Array.from({ length: N }, (_, u) => u);
    const find = (u: number): number => {
      while (set[u] !== u) u = set[u] = set[set[u]!]!;
      return u;
    };
    const seen = new Int32Array(N).fill(-1);
    const via = new Int32Array(N);
    const queue = new Int32Array(N);
    for (let e = 0; e < K; e++) {
      if (!this.isFree(e)) continue;
      const a = src[e]!;
      const b = dst[e]!;
      if (find(a) !== find(b)) {
        set[find(a)] = find(b);
        inForest[e] = 1;
        forest[a]!.push(e);
        forest[b]!.push(e);
        continue;
      }
      // a path a … b in the forest? (breadth-first from b)
      let head = 0;
      let tail = 0;
      queue[tail++] = b;
      seen[b] = e;
      while (head < tail && seen[a] !== e) {
        const u = queue[head++]!;
        for (const f of forest[u]!) {
          const v = other(f, u);
          if (inForest[f] && seen[v] !== e) (seen[v] = e), (via[v] = f), (queue[tail++] = v);
        }
      }
      if (seen[a] === e) {
        // the cycle a → b (by e), then b … a; sign +1 where it runs along an arc
        const cycle = [e];
        const along = [1];
        for (let v = a; v !== b; ) {
          const f = via[v]!;
          const u = other(f, v); // the path steps u → v
          cycle.push(f);
          along.push(src[f] === u ? 1 : -1);
          v = u;
        }
        const cycleCost = cycle.reduce((c, f, q) => c + along[q]! * cost[f]!, 0);
        const limit = (dir: number) => cycle.reduce((d, f, q) => Math.min(d, along[q]! * dir === 1 ? cap[f]! - flow[f]! : flow[f]!), Infinity);
        let dir = cycleCost <= 0 ? 1 : -1;
        if (limit(dir) === Infinity) dir = -dir;
        const delta = limit(dir);
        cycle.forEach((f, q) => (flow[f]! += along[q]! * dir * delta));
        for (const f of cycle) if (!this.isFree(f)) inForest[f] = 0;
        if (!this.isFree(e)) continue;
      }
      inForest[e] = 1;
      forest[a]!.push(e);
      forest[b]!.push(e);
    }

    for (let e = 0; e < K; e++) state[e] = flow[e] === 0 ? LOWER : flow[e] === cap[e] ? UPPER : TREE;
    const ends = new Int32Array(2 * K); // arc x at its tail, x + K at its head
    ends.set(src);
    ends.set(dst, K);
    const incident = groupBy(ends, N);
    const inTree = new Uint8Array(N);
    const order = new Int32Array(N); // tree nodes, each after its parent
    let placed = 0;
    const hang = (u: number, p: number, e: number) => {
      this.hangInitial(u, p, e);
      inTree[u] = 1;
      order[placed++] = u;
      // and the rest of u's free component below it
      for (let h = placed - 1; h < placed; h++) {
        const x = order[h]!;
        for (const f of forest[x]!) {
          const y = other(f, x);
          if (inForest[f] && !inTree[y]) this.hangInitial(y, x, f), (inTree[y] = 1), (order[placed++] = y);
        }
      }
    };
    inTree[R] = 1;
    order[placed++] = R;
    for (const f of forest[R]!) if (inForest[f] && !inTree[other(f, R)]) hang(other(f, R), R, f);
    const artificial = K - R; // node u's artificial arc is artificial + u
    for (let scan = 0, fallback = 0; placed < N; ) {
      if (scan === placed) {
        // (never T, whose artificial arc points down: T is last in this order, and either R → T carries
        // flow or some j → T does, by which T hangs below j)
        while (inTree[fallback]) fallback++;
        hang(fallback, R, artificial + fallback);
        continue;
      }
      const p = order[scan++]!;
      for (let q = incident.start[p]!; q < incident.start[p + 1]!; q++) {
        const e = incident.items[q]! % K;
        if (e >= artificial) continue;
        const u = other(e, p);
        if (inTree[u]) continue;
        // u below p: a unit from u goes up by e if e points up and has room, or points down and has flow
        if (src[e] === u ? flow[e]! < cap[e]! : flow[e]! > 0) hang(u, p, e);
      }
    }
  }

  /** Put u under p by arc e (p already placed, with its potential). */
  private hangInitial(u: number, p: number, e: number) {
    this.parent[u] = p;
    this.pred[u] = e;
    this.up[u] = this.src[e] === u ? 1 : -1;
    this.depth[u] = this.depth[p]! + 1;
    this.pi[u] = this.up[u] === 1 ? this.pi[p]! - this.cost[e]! : this.pi[p]! + this.cost[e]!;
    this.state[e] = TREE;
    this.attach(u, p);
  }

  private attach(u: number, p: number) {
    const c = this.firstChild[p]!;
    this.nextSib[u] = c;
    this.prevSib[u] = -1;
    if (c !== -1) this.prevSib[c] = u;
    this.firstChild[p] = u;
  }

  private detach(u: number, p: number) {
    const a = this.prevSib[u]!;
    const b = this.nextSib[u]!;
    if (a !== -1) this.nextSib[a] = b;
    else this.firstChild[p] = b;
    if (b !== -1) this.prevSib[b] = a;
  }

  /** Pivot until no arc may enter among the transport arcs 0..limit-1 and the others. */
  solve(limit: number) {
    this.limit = limit;
    this.blockSize = Math.max(10, Math.ceil(Math.sqrt(limit + this.K - this.k)));
    this.nextArc = 0;
    for (let e = this.findEnteringArc(); e !== -1; e = this.findEnteringArc()) this.pivot(e);
  }

  /**
   * Block search: scan blocks of arcs from where the last scan stopped and take the most violating arc
   * of the first block that has one; -1 after a whole pass without one. Positions 0..L-1 stand for the
   * searched transport arcs, then the arcs from k on.
   */
  private findEnteringArc(): number {
    const { k, K, src, dst, cost, pi, state, blockSize, limit } = this;
    const L = limit + K - k;
    let best = 0;
    let inArc = -1;
    let v = this.nextArc;
    for (let scanned = 0; scanned < L; ) {
      const end = Math.min(v + blockSize, L);
      scanned += end - v;
      // Transport arcs are uncapacitated, so never at an upper bound, and a tree arc's reduced cost is
      // exactly 0: a negative reduced cost alone says "may enter".
      for (const stop = Math.min(end, limit); v < stop; v++) {
        const c = cost[v]! + pi[src[v]!]! - pi[dst[v]!]!;
        if (c < best) (best = c), (inArc = v);
      }
      for (; v < end; v++) {
        const e = v - limit + k;
        const c = state[e]! * (cost[e]! + pi[src[e]!]! - pi[dst[e]!]!);
        if (c < best) (best = c), (inArc = e);
      }
      if (v === L) v = 0;
      if (inArc !== -1) break;
    }
    this.nextArc = v;
    return inArc;
  }

  private pivot(inArc: number) {
    const { src, dst, cost, cap, flow, state, parent, pred, up, depth, pi, firstChild, nextSib, stack } = this;
    // the cycle the entering arc closes: both ends climb to their common ancestor
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
    if (delta === Infinity) throw new Error("unbounded: a negative cycle of uncapacitated arcs");

    if (delta > 0) {
      const val = state[inArc]! * delta;
      flow[inArc]! += val;
      for (let u = src[inArc]!; u !== join; u = parent[u]!) flow[pred[u]!]! -= up[u]! * val;
      for (let u = dst[inArc]!; u !== join; u = parent[u]!) flow[pred[u]!]! += up[u]! * val;
    }
    if (side === 0) {
      state[inArc] = -state[inArc]!; // the entering arc itself blocks: it moves to its other bound
      return;
    }

    // Swap the arcs: the subtree hanging from uOut is re-hung from the entering arc at uIn, reversing
    // the tree path uIn … uOut; then its depths and potentials are refreshed in one walk.
    const uIn = side === 1 ? first : second;
    const vIn = side === 1 ? second : first;
    const outArc = pred[uOut]!;
    state[inArc] = TREE;
    state[outArc] = flow[outArc] === 0 ? LOWER : UPPER;
    const inUp = src[inArc] === uIn ? 1 : -1;
    const shift = pi[vIn]! - inUp * cost[inArc]! - pi[uIn]!;
    let u = uIn;
    let newParent = vIn;
    let newPred = inArc;
    let newUp = inUp;
    for (;;) {
      const oldParent = parent[u]!;
      const oldPred = pred[u]!;
      const oldUp = up[u]!;
      this.detach(u, oldParent);
      parent[u] = newParent;
      pred[u] = newPred;
      up[u] = newUp;
      this.attach(u, newParent);
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
}
