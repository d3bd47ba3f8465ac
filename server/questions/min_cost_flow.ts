/**
 * Min-cost maximum flow on a transportation network (sources → sinks over priced arcs), by successive
 * shortest paths with Dijkstra and Johnson potentials. Integer costs keep the reduced costs exact.
 * Moving the most units first and, among all maximum flows, at the least total cost is exactly what
 * SSP yields: each augmentation follows a cheapest residual path, so every intermediate flow is a
 * min-cost flow of its value.
 */
export interface Transport {
  supply: number[];
  capacity: number[];
  /** Arcs from source i to sink j with a non-negative integer cost per unit. */
  arcs: { from: number; to: number; cost: number }[];
}

export function minCostMaxFlow({ supply, capacity, arcs }: Transport): number[] {
  const n = supply.length;
  const m = capacity.length;
  const S = n + m;
  const T = S + 1;
  const V = T + 1;
  // residual graph in flat arrays; arc e and its reverse e ^ 1
  const head = new Int32Array(V).fill(-1);
  const next: number[] = [];
  const to: number[] = [];
  const cap: number[] = [];
  const cost: number[] = [];
  const add = (u: number, v: number, c: number, w: number) => {
    for (const [a, b, cc, ww] of [[u, v, c, w], [v, u, 0, -w]] as const) {
      to.push(b); cap.push(cc); cost.push(ww); next.push(head[a]!); head[a] = to.length - 1;
    }
  };
  supply.forEach((s, i) => s > 0 && add(S, i, s, 0));
  capacity.forEach((c, j) => c > 0 && add(n + j, T, c, 0));
  const arcIndex = arcs.map((a) => {
    add(a.from, n + a.to, Infinity, a.cost);
    return to.length - 2;
  });

  const potential = new Float64Array(V);
  const dist = new Float64Array(V);
  const via = new Int32Array(V);
  for (;;) {
    dist.fill(Infinity);
    dist[S] = 0;
    const heap = new MinHeap();
    heap.push(0, S);
    while (heap.size) {
      const [d, u] = heap.pop();
      if (d > dist[u]!) continue;
      if (u === T) break; // nodes beyond the sink cannot shorten this path
      for (let e = head[u]!; e !== -1; e = next[e]!) {
        if (cap[e]! <= 0) continue;
        const v = to[e]!;
        const nd = d + cost[e]! + potential[u]! - potential[v]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          via[v] = e;
          heap.push(nd, v);
        }
      }
    }
    if (dist[T] === Infinity) break;
    // unsettled nodes move by dist[T]: reduced costs stay non-negative (Johnson with early exit)
    for (let v = 0; v < V; v++) potential[v]! += Math.min(dist[v]!, dist[T]!);
    let push = Infinity;
    for (let v = T; v !== S; v = to[via[v]! ^ 1]!) push = Math.min(push, cap[via[v]!]!);
    for (let v = T; v !== S; v = to[via[v]! ^ 1]!) {
      cap[via[v]!]! -= push;
      cap[via[v]! ^ 1]! += push;
    }
  }
  return arcIndex.map((e) => cap[e ^ 1]!);
}

/** A binary heap of [priority, node]. */
class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size() {
    return this.keys.length;
  }
  push(k: number, v: number) {
    const { keys, vals } = this;
    let i = keys.length;
    keys.push(k); vals.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= k) break;
      keys[i] = keys[p]!; vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = k; vals[i] = v;
  }
  pop(): [number, number] {
    const { keys, vals } = this;
    const top: [number, number] = [keys[0]!, vals[0]!];
    const k = keys.pop()!;
    const v = vals.pop()!;
    if (keys.length) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= keys.length) break;
        if (c + 1 < keys.length && keys[c + 1]! < keys[c]!) c++;
        if (keys[c]! >= k) break;
        keys[i] = keys[c]!; vals[i] = vals[c]!;
        i = c;
      }
      keys[i] = k; vals[i] = v;
    }
    return top;
  }
}
