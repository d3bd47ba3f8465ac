import { describe, expect, it } from "vitest";
import { minCostMaxFlow, type Transport } from "./min_cost_flow.ts";
import { cycleCancelling } from "../../test/support/truth.ts";
import { prng } from "../../test/support/prng.ts";

function randomInstance(rnd: () => number, maxV: number, maxS: number, maxUnits: number): Transport {
  const n = 1 + Math.floor(rnd() * maxV);
  const m = 1 + Math.floor(rnd() * maxS);
  const arcs = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (rnd() < 0.6) arcs.push({ from: i, to: j, cost: Math.floor(rnd() * 1000) });
  return {
    supply: Array.from({ length: n }, () => Math.floor(rnd() * maxUnits)),
    capacity: Array.from({ length: m }, () => Math.floor(rnd() * maxUnits)),
    arcs,
  };
}

const total = (f: number[]) => f.reduce((a, b) => a + b, 0);
const costOf = (t: Transport, f: number[]) => f.reduce((s, x, k) => s + x * t.arcs[k]!.cost, 0);

function feasible(t: Transport, f: number[]) {
  const out = new Array(t.supply.length).fill(0);
  const into = new Array(t.capacity.length).fill(0);
  f.forEach((x, k) => {
    expect(x).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(x)).toBe(true);
    out[t.arcs[k]!.from] += x;
    into[t.arcs[k]!.to] += x;
  });
  out.forEach((o, i) => expect(o).toBeLessThanOrEqual(t.supply[i]!));
  into.forEach((o, j) => expect(o).toBeLessThanOrEqual(t.capacity[j]!));
}

/** Every integer plan of a tiny instance: the largest total, then the least cost at that total. */
function exhaustive(t: Transport): { units: number; cost: number } {
  let best = { units: -1, cost: Infinity };
  const left = [...t.capacity];
  const byVillage = t.supply.map((_, i) => t.arcs.map((a, k) => [a, k] as const).filter(([a]) => a.from === i));
  const go = (i: number, units: number, cost: number) => {
    if (i === t.supply.length) {
      if (units > best.units || (units === best.units && cost < best.cost)) best = { units, cost };
      return;
    }
    const arcs = byVillage[i]!;
    const place = (a: number, remaining: number, u: number, c: number) => {
      if (a === arcs.length) return go(i + 1, u, c);
      const arc = arcs[a]![0];
      for (let x = 0; x <= Math.min(remaining, left[arc.to]!); x++) {
        left[arc.to]! -= x;
        place(a + 1, remaining - x, u + x, c + x * arc.cost);
        left[arc.to]! += x;
      }
    };
    place(0, t.supply[i]!, units, cost);
  };
  go(0, 0, 0);
  return best;
}

describe("min-cost max-flow", () => {
  it("matches an exhaustive search on tiny instances", () => {
    const rnd = prng(7);
    for (let trial = 0; trial < 300; trial++) {
      const t = randomInstance(rnd, 3, 3, 4);
      const f = minCostMaxFlow(t);
      feasible(t, f);
      const best = exhaustive(t);
      expect(total(f)).toBe(best.units);
      expect(costOf(t, f)).toBe(best.cost);
    }
  });

  it("matches cycle cancelling on instances up to 8 villages × 6 shelters with real populations", () => {
    const rnd = prng(11);
    for (let trial = 0; trial < 200; trial++) {
      const t = randomInstance(rnd, 8, 6, 3000);
      const f = minCostMaxFlow(t);
      feasible(t, f);
      const g = cycleCancelling(t.supply, t.capacity, t.arcs);
      expect(total(f)).toBe(total(g));
      expect(costOf(t, f)).toBe(costOf(t, g));
    }
  });

  it("handles nothing to move, no arcs, and ties", () => {
    expect(minCostMaxFlow({ supply: [], capacity: [5], arcs: [] })).toEqual([]);
    expect(minCostMaxFlow({ supply: [5], capacity: [5], arcs: [] })).toEqual([]);
    const tie = {
      supply: [10],
      capacity: [6, 6],
      arcs: [
        { from: 0, to: 0, cost: 100 },
        { from: 0, to: 1, cost: 100 },
      ],
    };
    const f = minCostMaxFlow(tie);
    expect(total(f)).toBe(10);
    expect(costOf(tie, f)).toBe(1000);
  });

  it("handles zero supplies and capacities, parallel arcs and free arcs", () => {
    expect(
      minCostMaxFlow({
        supply: [0, 0],
        capacity: [5],
        arcs: [
          { from: 0, to: 0, cost: 1 },
          { from: 1, to: 0, cost: 2 },
        ],
      }),
    ).toEqual([0, 0]);
    expect(
      minCostMaxFlow({
        supply: [5],
        capacity: [0, 0],
        arcs: [
          { from: 0, to: 0, cost: 1 },
          { from: 0, to: 1, cost: 2 },
        ],
      }),
    ).toEqual([0, 0]);
    // a source without people and a sink without room beside ones with both
    const mixed = {
      supply: [0, 7],
      capacity: [0, 4],
      arcs: [
        { from: 0, to: 1, cost: 1 },
        { from: 1, to: 0, cost: 1 },
        { from: 1, to: 1, cost: 9 },
      ],
    };
    expect(minCostMaxFlow(mixed)).toEqual([0, 0, 4]);
    // parallel arcs: the cheaper one carries everything; equal ones carry it between them
    const parallel = {
      supply: [8],
      capacity: [5],
      arcs: [
        { from: 0, to: 0, cost: 30 },
        { from: 0, to: 0, cost: 10 },
        { from: 0, to: 0, cost: 20 },
      ],
    };
    expect(minCostMaxFlow(parallel)).toEqual([0, 5, 0]);
    const twins = {
      supply: [8],
      capacity: [5],
      arcs: [
        { from: 0, to: 0, cost: 10 },
        { from: 0, to: 0, cost: 10 },
      ],
    };
    expect(total(minCostMaxFlow(twins))).toBe(5);
    // zero-cost arcs (a village at the shelter's door) still respect capacities
    const free = {
      supply: [5, 5],
      capacity: [6],
      arcs: [
        { from: 0, to: 0, cost: 0 },
        { from: 1, to: 0, cost: 0 },
      ],
    };
    const f = minCostMaxFlow(free);
    feasible(free, f);
    expect(total(f)).toBe(6);
  });

  it("moves the most people before it looks at the cost", () => {
    // A's shortest way fills X, which only B can reach: the plan sends A the long way round
    const t = {
      supply: [10, 10],
      capacity: [10, 10],
      arcs: [
        { from: 0, to: 0, cost: 1 },
        { from: 0, to: 1, cost: 5_000_000 },
        { from: 1, to: 0, cost: 3_000_000 },
      ],
    };
    expect(minCostMaxFlow(t)).toEqual([0, 10, 10]);
    // the same along a chain: each village's free shelter is the one before it, village 0 has only its
    // own, so moving everyone means everyone takes the dear one (the greedy start moves all but one)
    const n = 6;
    const dear = 2_999_999;
    const chain = {
      supply: Array.from({ length: n }, () => 1_000_000),
      capacity: Array.from({ length: n }, () => 1_000_000),
      arcs: Array.from({ length: n }, (_, i) => [...(i > 0 ? [{ from: i, to: i - 1, cost: 0 }] : []), { from: i, to: i, cost: dear }]).flat(),
    };
    const g = minCostMaxFlow(chain);
    expect(total(g)).toBe(n * 1_000_000);
    expect(costOf(chain, g)).toBe(n * 1_000_000 * dear);
  });

  it("matches cycle cancelling with about a million people", () => {
    const rnd = prng(23);
    for (let trial = 0; trial < 40; trial++) {
      const t = randomInstance(rnd, 7, 5, 400_000);
      t.arcs.forEach((a) => (a.cost = Math.floor(rnd() * 3_000_000)));
      const f = minCostMaxFlow(t);
      feasible(t, f);
      const g = cycleCancelling(t.supply, t.capacity, t.arcs);
      expect(total(f)).toBe(total(g));
      expect(costOf(t, f)).toBe(costOf(t, g));
    }
  });

  it("is optimal on dense instances of a few hundred places (no augmenting path, no negative cycle left)", () => {
    const rnd = prng(5);
    for (let trial = 0; trial < 6; trial++) {
      // villages and shelters on a plane, pairs within reach, costs in centimetres
      const n = 100 + Math.floor(rnd() * 200);
      const m = 30 + Math.floor(rnd() * 80);
      const at = () => [rnd() * 50_000, rnd() * 50_000] as const;
      const villages = Array.from({ length: n }, at);
      const shelters = Array.from({ length: m }, at);
      const arcs = villages.flatMap(([x, y], i) =>
        shelters.flatMap(([u, v], j) => {
          const d = Math.hypot(x - u, y - v);
          return d <= 20_000 ? [{ from: i, to: j, cost: Math.round(d * 100) }] : [];
        }),
      );
      const t = { supply: villages.map(() => Math.floor(rnd() * 3000)), capacity: shelters.map(() => Math.floor(rnd() * 5000)), arcs };
      const f = minCostMaxFlow(t);
      feasible(t, f);
      expect(certificate(t, f)).toEqual({ augmentingPath: false, negativeCycle: false });
    }
  });

  it("refuses numbers it cannot keep exact", () => {
    expect(() => minCostMaxFlow({ supply: [1], capacity: [1], arcs: [{ from: 0, to: 0, cost: 1.5 }] })).toThrow(RangeError);
    expect(() => minCostMaxFlow({ supply: [1], capacity: [1], arcs: [{ from: 0, to: 0, cost: -1 }] })).toThrow(RangeError);
    expect(() => minCostMaxFlow({ supply: [1], capacity: [1], arcs: [{ from: 0, to: 1, cost: 1 }] })).toThrow(RangeError);
    expect(() => minCostMaxFlow({ supply: [1.5], capacity: [1], arcs: [{ from: 0, to: 0, cost: 1 }] })).toThrow(RangeError);
  });
});

/**
 * Optimality of a flow, independently: is there an augmenting path left (then it is not a maximum flow)
 * or a negative-cost cycle in the residual network (then a flow of the same value costs less)?
 */
function certificate({ supply, capacity, arcs }: Transport, f: number[]) {
  const n = supply.length;
  const S = n + capacity.length;
  const T = S + 1;
  const out = new Array(n).fill(0);
  const into = new Array(capacity.length).fill(0);
  f.forEach((x, k) => ((out[arcs[k]!.from] += x), (into[arcs[k]!.to] += x)));
  const residual: [number, number, number][] = [];
  supply.forEach((s, i) => {
    if (out[i] < s) residual.push([S, i, 0]);
    if (out[i] > 0) residual.push([i, S, 0]);
  });
  capacity.forEach((c, j) => {
    if (into[j] < c) residual.push([n + j, T, 0]);
    if (into[j] > 0) residual.push([T, n + j, 0]);
  });
  arcs.forEach((a, k) => {
    residual.push([a.from, n + a.to, a.cost]);
    if (f[k]! > 0) residual.push([n + a.to, a.from, -a.cost]);
  });
  const reached = new Set([S]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [u, v] of residual) if (reached.has(u) && !reached.has(v)) reached.add(v), (grew = true);
  }
  const dist = new Array(T + 1).fill(0);
  let rounds = 0;
  for (let changed = true; changed && rounds <= T + 1; rounds++) {
    changed = false;
    for (const [u, v, c] of residual) if (dist[u] + c < dist[v]) (dist[v] = dist[u] + c), (changed = true);
  }
  return { augmentingPath: reached.has(T), negativeCycle: rounds > T + 1 };
}
