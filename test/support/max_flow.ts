// A maximum flow written for the tests (Dinic's algorithm): the independent truth the allocation
// questions (shelter capacity, evacuation) are held to. Shares no code with server/.

/** Maximum flow from node s to node t of a network of `nodes` nodes, by Dinic's algorithm. */
export function maxFlow(nodes: number, edges: { from: number; to: number; cap: number }[], source: number, sink: number): number {
  const head: number[][] = Array.from({ length: nodes }, () => []);
  const to: number[] = [];
  const cap: number[] = [];
  for (const e of edges) {
    head[e.from]!.push(to.length), to.push(e.to), cap.push(e.cap);
    head[e.to]!.push(to.length), to.push(e.from), cap.push(0);
  }
  let total = 0;
  for (;;) {
    const level = new Array<number>(nodes).fill(-1);
    level[source] = 0;
    const queue = [source];
    for (let q = 0; q < queue.length; q++) {
      const u = queue[q]!;
      for (const e of head[u]!) if (cap[e]! > 0 && level[to[e]!] === -1) (level[to[e]!] = level[u]! + 1), queue.push(to[e]!);
    }
    if (level[sink] === -1) return total;
    const next = new Array<number>(nodes).fill(0);
    const push = (u: number, f: number): number => {
      if (u === sink) return f;
      for (; next[u]! < head[u]!.length; next[u]!++) {
        const e = head[u]![next[u]!]!;
        const v = to[e]!;
        if (cap[e]! > 0 && level[v] === level[u]! + 1) {
          const got = push(v, Math.min(f, cap[e]!));
          if (got > 0) {
            cap[e]! -= got;
            cap[e ^ 1]! += got;
            return got;
          }
        }
      }
      return 0;
    };
    for (let f = push(source, Infinity); f > 0; f = push(source, Infinity)) total += f;
  }
}
