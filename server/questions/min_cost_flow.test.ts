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
    const tie = { supply: [10], capacity: [6, 6], arcs: [{ from: 0, to: 0, cost: 100 }, { from: 0, to: 1, cost: 100 }] };
    const f = minCostMaxFlow(tie);
    expect(total(f)).toBe(10);
    expect(costOf(tie, f)).toBe(1000);
  });
});
