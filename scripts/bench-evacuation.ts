// The evacuation plan at national scale: a 20 km circle (people may go 30 km) around dense centres,
// the SQL and the solver timed apart, the whole request timed over HTTP, and every plan checked:
// feasible, a maximum flow (no augmenting path left) and of least cost (no negative cycle left in the
// residual network, by Bellman-Ford). --old also runs the previous solver (successive shortest paths,
// kept below for comparison only; minutes on a dense centre) and compares the units moved and cost.
// Usage: npx tsx scripts/bench-evacuation.ts [--runs N] [--old]   (SCALE_DATABASE_URL, default hazmap_scale on 5433)
// The run itself is main(), at the end.
import type { AddressInfo } from "node:net";
import { createDb } from "../server/db.ts";
import { buildApp } from "../server/app.ts";
import { evacuationInput, planOf, transportOf, zoneOf } from "../server/questions/evacuation_plan.ts";
import { minCostMaxFlow, type Transport } from "../server/questions/min_cost_flow.ts";

const url = process.env.SCALE_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5433/hazmap_scale";
const arg = (name: string) => process.argv.indexOf(name);
const runs = arg("--runs") > 0 ? Number(process.argv[arg("--runs") + 1]) : 5;
const withOld = arg("--old") > 0;
// three dense centres, and the densest of scripts/bench's "dense" points (a village with the most
// villages within 20 km): 1,428 villages × 600 shelters, 229,581 pairs
const centres: [number, number][] = [
  [121.47, 31.23],
  [116.4, 39.9],
  [113.3, 23.1],
  [120.983277, 31.176712],
];

/**
 * What is wrong with a flow, if anything: capacities and supplies exceeded, an augmenting path left
 * (not a maximum flow), a negative-cost cycle left in the residual network (not the cheapest).
 */
function check({ supply, capacity, arcs }: Transport, flows: number[]): string[] {
  const n = supply.length;
  const m = capacity.length;
  const out = new Float64Array(n);
  const into = new Float64Array(m);
  const problems: string[] = [];
  flows.forEach((x, k) => {
    if (!(Number.isInteger(x) && x >= 0)) problems.push(`arc ${k} carries ${x}`);
    out[arcs[k]!.from]! += x;
    into[arcs[k]!.to]! += x;
  });
  for (let i = 0; i < n; i++) if (out[i]! > supply[i]!) problems.push(`source ${i} sends ${out[i]} > ${supply[i]}`);
  for (let j = 0; j < m; j++) if (into[j]! > capacity[j]!) problems.push(`sink ${j} takes ${into[j]} > ${capacity[j]}`);

  // residual network over S, sources, sinks, T
  const S = n + m;
  const T = S + 1;
  const from: number[] = [];
  const to: number[] = [];
  const cost: number[] = [];
  const arc = (u: number, v: number, c: number) => (from.push(u), to.push(v), cost.push(c));
  for (let i = 0; i < n; i++) {
    if (out[i]! < supply[i]!) arc(S, i, 0);
    if (out[i]! > 0) arc(i, S, 0);
  }
  for (let j = 0; j < m; j++) {
    if (into[j]! < capacity[j]!) arc(n + j, T, 0);
    if (into[j]! > 0) arc(T, n + j, 0);
  }
  arcs.forEach((a, k) => {
    arc(a.from, n + a.to, a.cost);
    if (flows[k]! > 0) arc(n + a.to, a.from, -a.cost);
  });
  const V = T + 1;

  // an augmenting path: T reachable from S
  const seen = new Uint8Array(V);
  const adjacency: number[][] = Array.from({ length: V }, () => []);
  from.forEach((u, e) => adjacency[u]!.push(e));
  const stack = [S];
  seen[S] = 1;
  while (stack.length) for (const e of adjacency[stack.pop()!]!) if (!seen[to[e]!]) (seen[to[e]!] = 1), stack.push(to[e]!);
  if (seen[T]) problems.push("an augmenting path is left: not a maximum flow");

  // Bellman-Ford from every node at once (all distances 0): still improving after V rounds ⇒ a negative cycle
  const dist = new Float64Array(V);
  let round = 0;
  for (let changed = true; changed && round <= V; round++) {
    changed = false;
    for (let e = 0; e < from.length; e++) {
      const d = dist[from[e]!]! + cost[e]!;
      if (d < dist[to[e]!]!) (dist[to[e]!] = d), (changed = true);
    }
  }
  if (round > V) problems.push("a negative cycle is left: not the cheapest");
  return problems;
}

/** The previous solver, for comparison only: successive shortest paths, Dijkstra with potentials. */
function successiveShortestPaths({ supply, capacity, arcs }: Transport): number[] {
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
    for (const [a, b, cc, ww] of [
      [u, v, c, w],
      [v, u, 0, -w],
    ] as const) {
      to.push(b);
      cap.push(cc);
      cost.push(ww);
      next.push(head[a]!);
      head[a] = to.length - 1;
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
    keys.push(k);
    vals.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= k) break;
      keys[i] = keys[p]!;
      vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = k;
    vals[i] = v;
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
        keys[i] = keys[c]!;
        vals[i] = vals[c]!;
        i = c;
      }
      keys[i] = k;
      vals[i] = v;
    }
    return top;
  }
}

async function main() {
  const db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 10, STATEMENT_TIMEOUT_MS: 120_000 });
  const server = buildApp({ db, access: { anonymousRead: true } }).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ms = (x: number) => x.toFixed(0).padStart(6);
  console.log(`evacuation plan, 20 km circle, max 30 km · ${url} · ${runs} runs, min / median ms`);
  console.log("centre".padEnd(22), "villages shelters   pairs", "     SQL+parse ", "       solver ", "    HTTP total ", " moved      person-km   check");
  let failed = false;
  for (const [lon, lat] of centres) {
    const body = { area: { lon, lat, radius_m: 20_000 }, max_distance_m: 30_000 };
    const sqlMs: number[] = [];
    const solveMs: number[] = [];
    const httpMs: number[] = [];
    let input = await evacuationInput(db, await zoneOf(db, body.area), body.max_distance_m); // warm the caches
    let t = transportOf(input);
    let flows = minCostMaxFlow(t);
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      input = await evacuationInput(db, await zoneOf(db, body.area), body.max_distance_m);
      sqlMs.push(performance.now() - t0);
      t = transportOf(input);
      t0 = performance.now();
      flows = minCostMaxFlow(t);
      solveMs.push(performance.now() - t0);
      t0 = performance.now();
      const res = await fetch(`${base}/api/v1/evacuation-plan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = (await res.json()) as { total_person_m: number };
      httpMs.push(performance.now() - t0);
      if (res.status !== 200 || Math.abs(answer.total_person_m - planOf(input, flows).total_person_m) > 1e-6 * answer.total_person_m)
        throw new Error(`HTTP answer differs: ${res.status}`);
    }
    const problems = check(t, flows);
    const moved = flows.reduce((a, b) => a + b, 0);
    const cost = flows.reduce((s, x, k) => s + x * t.arcs[k]!.cost, 0);
    console.log(
      `${lon},${lat}`.padEnd(22),
      String(input.villages.length).padStart(8),
      String(input.shelters.length).padStart(8),
      String(input.pairs.length).padStart(7),
      ms(Math.min(...sqlMs)),
      ms(median(sqlMs)),
      " ",
      ms(Math.min(...solveMs)),
      ms(median(solveMs)),
      " ",
      ms(Math.min(...httpMs)),
      ms(median(httpMs)),
      " ",
      String(moved).padStart(8),
      (cost / 1e5).toFixed(1).padStart(12),
      "  ",
      problems.length ? problems.join("; ") : "optimal",
    );
    failed ||= problems.length > 0;
    if (withOld) {
      const t0 = performance.now();
      const old = successiveShortestPaths(t);
      const oldMoved = old.reduce((a, b) => a + b, 0);
      const oldCost = old.reduce((s, x, k) => s + x * t.arcs[k]!.cost, 0);
      const same = oldMoved === moved && oldCost === cost;
      console.log(
        "".padEnd(22),
        `previous solver: ${(performance.now() - t0).toFixed(0)} ms, moved ${oldMoved}, cost ${oldCost} cm·people — ${same ? "same" : "DIFFERENT"}`,
      );
      failed ||= !same;
    }
  }
  server.close();
  await db.destroy();
  if (failed) process.exitCode = 1;
}

await main();
