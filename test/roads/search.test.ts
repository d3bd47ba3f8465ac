// The engine's search (server/roads/search.ts) against the tests' own Dijkstra (graphology, test/support/
// road_truth.ts) on random networks: one-way and closed edges, self-loops and parallel edges, points joined
// part-way along edges (several on one edge), both directions of travel, k nearest, hazard barriers.
import { describe, expect, it } from "vitest";
import { RoadGraph } from "../../server/roads/graph.ts";
import { availableParallelism } from "node:os";
import { search, type Anchor, type SearchInput, type Travel } from "../../server/roads/search.ts";
import { searchMany } from "../../server/roads/search_pool.ts";
import { RoadTruth, type TruthSegment } from "../support/road_truth.ts";
import { prng } from "../support/prng.ts";

interface Case {
  graph: RoadGraph;
  segments: TruthSegment[];
  random: () => number;
  anchor(): Anchor;
}

function randomNetwork(seed: number, nodes: number, edges: number): Case {
  const random = prng(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const rows = {
    id: [] as number[],
    source: [] as number[],
    target: [] as number[],
    cost: [] as number[],
    reverseCost: [] as number[],
    lengthM: [] as number[],
  };
  const segments: TruthSegment[] = [];
  for (let e = 0; e < edges; e++) {
    const source = 100 + pick(nodes);
    const target = random() < 0.03 ? source : 100 + pick(nodes);
    const lengthM = 10 + random() * 2000;
    const speed = [20, 30, 50, 70][pick(4)]! / 3.6;
    const kind = random();
    // open both ways, one-way either way, closed (pgRouting: -1 is no such direction)
    const cost = kind < 0.15 ? -1 : kind < 0.2 ? -1 : lengthM / speed;
    const reverseCost = kind < 0.2 ? -1 : kind < 0.35 ? -1 : kind < 0.5 ? (lengthM / speed) * 2 : lengthM / speed;
    const id = 1000 + e * 7;
    rows.id.push(id);
    rows.source.push(source);
    rows.target.push(target);
    rows.cost.push(cost);
    rows.reverseCost.push(reverseCost);
    rows.lengthM.push(lengthM);
    segments.push({
      id: String(id),
      from: String(source),
      to: String(target),
      forwardS: cost >= 0 ? cost : null,
      backwardS: reverseCost >= 0 ? reverseCost : null,
    });
  }
  const graph = new RoadGraph(rows);
  const anchor = (): Anchor => {
    const edge = pick(edges);
    return { edge, fraction: random() < 0.1 ? [0, 1][pick(2)]! : random(), offRoadS: random() * 300, offRoadM: random() * 400 };
  };
  return { graph, segments, random, anchor };
}

const truthPoint = (c: Case, a: Anchor) => ({ segment: String(c.graph.edgeId[a.edge]), fraction: a.fraction, offRoadS: a.offRoadS });

/**
 * The truth's seconds of every target from the nearest start, travelling as `travel` says. Travel that
 * ends at the starts is searched from them on the network reversed (every segment's two directions
 * swapped), so that blocked roads are allowed where the route ends, in the zone the question is asked in.
 */
function truthTimes(c: Case, starts: Anchor[], targets: Anchor[], travel: Travel, blocked: Set<string> = new Set()): number[] {
  const points: Record<string, ReturnType<typeof truthPoint>> = {};
  starts.forEach((a, i) => (points[`s${i}`] = truthPoint(c, a)));
  targets.forEach((a, i) => (points[`t${i}`] = truthPoint(c, a)));
  const segments = travel === "from_starts" ? c.segments : c.segments.map((s) => ({ ...s, forwardS: s.backwardS, backwardS: s.forwardS }));
  const truth = new RoadTruth(segments, points, blocked);
  return targets.map((_, t) => Math.min(...starts.map((_, s) => truth.seconds(`s${s}`, `t${t}`))));
}

/** The seconds of a route's pieces as the graph's costs say, plus the two off-road legs. */
function routeSeconds(c: Case, pieces: { edge: number; from: number; to: number }[], start: Anchor, target: Anchor): number {
  return start.offRoadS + target.offRoadS + pieces.reduce((sum, p) => sum + c.graph.along(p.edge, p.from, p.to), 0);
}

describe("road search against an independent Dijkstra", () => {
  for (const travel of ["from_starts", "to_starts"] as const) {
    it(`gives every target the true time, ${travel}, and a route of that time that joins up`, () => {
      let reachedCount = 0;
      for (let seed = 1; seed <= 12; seed++) {
        const c = randomNetwork(seed, 60, 140);
        const starts = Array.from({ length: 1 + (seed % 3) }, c.anchor);
        const targets = Array.from({ length: 25 }, c.anchor);
        const got = search(c.graph, { starts, targets, travel, routes: true });
        const want = truthTimes(c, starts, targets, travel);
        targets.forEach((target, t) => {
          if (want[t] === Infinity) {
            expect(got.targetSeconds[t], `seed ${seed} target ${t}`).toBe(Infinity);
            return;
          }
          reachedCount++;
          expect(got.targetSeconds[t], `seed ${seed} target ${t}`).toBeCloseTo(want[t]!, 6);
          const pieces = got.routes[t]!;
          const start = starts[got.targetStart[t]!]!;
          expect(routeSeconds(c, pieces, travel === "from_starts" ? start : target, travel === "from_starts" ? target : start)).toBeCloseTo(want[t]!, 6);
          // consecutive pieces meet at a node (or on the same edge)
          for (let i = 0; i + 1 < pieces.length; i++) {
            const a = pieces[i]!;
            const b = pieces[i + 1]!;
            const endNode = a.to === 1 ? c.graph.edgeTarget[a.edge] : c.graph.edgeSource[a.edge];
            const startNode = b.from === 1 ? c.graph.edgeTarget[b.edge] : c.graph.edgeSource[b.edge];
            expect(endNode, `seed ${seed} target ${t} piece ${i}`).toBe(startNode);
          }
        });
      }
      expect(reachedCount).toBeGreaterThan(100);
    });
  }

  it("settles the true k nearest and stops there", () => {
    for (let seed = 20; seed <= 30; seed++) {
      const c = randomNetwork(seed, 80, 200);
      const starts = [c.anchor()];
      const targets = Array.from({ length: 40 }, c.anchor);
      const travel: Travel = seed % 2 ? "from_starts" : "to_starts";
      const got = search(c.graph, { starts, targets, travel, k: 5 });
      const want = truthTimes(c, starts, targets, travel);
      const answered = [...got.targetSeconds].filter(Number.isFinite);
      const kth = [...want].sort((a, b) => a - b)[Math.min(4, want.length - 1)]!;
      expect(answered.length).toBe(Math.min(5, want.filter(Number.isFinite).length));
      for (const [t, s] of got.targetSeconds.entries()) if (Number.isFinite(s)) expect(s).toBeCloseTo(want[t]!, 6);
      // nothing answered is slower than the true 5th, and every target faster than the slowest answered is answered
      const slowest = Math.max(...answered);
      if (answered.length) expect(slowest).toBeLessThanOrEqual(kth + 1e-6);
      want.forEach((w, t) => {
        if (w < slowest - 1e-6) expect(Number.isFinite(got.targetSeconds[t]!), `seed ${seed} target ${t}`).toBe(true);
      });
    }
  });

  it("keeps routes off blocked edges once they have left the blocked roads they start on", () => {
    let differs = 0;
    for (let seed = 40; seed <= 52; seed++) {
      const c = randomNetwork(seed, 60, 160);
      const blocked = new Uint8Array(c.graph.edgeCount);
      const blockedIds = new Set<string>();
      for (let e = 0; e < c.graph.edgeCount; e++) {
        if (c.random() < 0.25) {
          blocked[e] = 1;
          blockedIds.add(String(c.graph.edgeId[e]));
        }
      }
      const starts = [c.anchor()];
      const targets = Array.from({ length: 25 }, c.anchor);
      for (const travel of ["from_starts", "to_starts"] as const) {
        const got = search(c.graph, { starts, targets, travel, blocked });
        const want = truthTimes(c, starts, targets, travel, blockedIds);
        const free = truthTimes(c, starts, targets, travel);
        targets.forEach((_, t) => {
          if (want[t] === Infinity) expect(got.targetSeconds[t], `seed ${seed} ${travel} target ${t}`).toBe(Infinity);
          else expect(got.targetSeconds[t], `seed ${seed} ${travel} target ${t}`).toBeCloseTo(want[t]!, 6);
          if (want[t] !== free[t]) differs++;
        });
      }
    }
    expect(differs).toBeGreaterThan(20);
  });

  it("with the barriers at the targets, searched backwards from the starts, gives each target's own search's times (roads of its zone only to leave it)", () => {
    let differs = 0;
    let reachedCount = 0;
    for (let seed = 70; seed <= 80; seed++) {
      const c = randomNetwork(seed, 60, 160);
      const blocked = new Uint8Array(c.graph.edgeCount);
      const blockedIds = new Set<string>();
      for (let e = 0; e < c.graph.edgeCount; e++) {
        if (c.random() < 0.25) {
          blocked[e] = 1;
          blockedIds.add(String(c.graph.edgeId[e]));
        }
      }
      // a shelter (start) and villages (targets): people travel from each village to the shelter
      const starts = [c.anchor()];
      const targets = Array.from({ length: 25 }, c.anchor);
      const got = search(c.graph, { starts, targets, travel: "to_starts", blocked, barriersAt: "targets" });
      const points: Record<string, ReturnType<typeof truthPoint>> = { s0: truthPoint(c, starts[0]!) };
      targets.forEach((a, i) => (points[`t${i}`] = truthPoint(c, a)));
      const truth = new RoadTruth(c.segments, points, blockedIds);
      const barriersAtStart = search(c.graph, { starts, targets, travel: "to_starts", blocked });
      targets.forEach((_, t) => {
        const want = truth.seconds(`t${t}`, "s0");
        if (want === Infinity) expect(got.targetSeconds[t], `seed ${seed} target ${t}`).toBe(Infinity);
        else {
          reachedCount++;
          expect(got.targetSeconds[t], `seed ${seed} target ${t}`).toBeCloseTo(want, 6);
        }
        if (got.targetSeconds[t] !== barriersAtStart.targetSeconds[t]) differs++;
      });
    }
    expect(reachedCount).toBeGreaterThan(50);
    // where the zone lies matters (else this test shows nothing of barriersAt)
    expect(differs).toBeGreaterThan(10);
  });

  it("over the cores (searchMany: worker threads sharing the graph), answers what search answers one search after another", async () => {
    expect(availableParallelism(), "a machine of one core would not use the threads").toBeGreaterThanOrEqual(2);
    const c = randomNetwork(90, 80, 220);
    const blocked = new Uint8Array(c.graph.edgeCount).map(() => (c.random() < 0.2 ? 1 : 0));
    // every kind of search the threads are sent: both ways, barriers at either end, k nearest, a time limit, routes
    const inputs: SearchInput[] = Array.from({ length: 16 }, (_, i) => ({
      starts: Array.from({ length: 1 + (i % 3) }, c.anchor),
      targets: Array.from({ length: 20 }, c.anchor),
      travel: i % 2 === 0 ? "from_starts" : "to_starts",
      blocked: i % 4 < 2 ? blocked : undefined,
      barriersAt: i % 8 < 4 ? "starts" : "targets",
      k: i % 5 === 0 ? 3 : undefined,
      maxSeconds: i % 3 === 0 ? 400 : undefined,
      routes: i % 2 === 1,
    }));
    const many = await searchMany(c.graph, inputs);
    const one = inputs.map((input) => search(c.graph, input));
    expect(many.map((r) => [[...r.targetSeconds], [...r.targetMetres], [...r.targetStart], r.routes])).toEqual(
      one.map((r) => [[...r.targetSeconds], [...r.targetMetres], [...r.targetStart], r.routes]),
    );
    // and those are the truth's (search 7: two starts, travel ending at them, no barriers, no limit)
    const want = truthTimes(c, inputs[7]!.starts as Anchor[], inputs[7]!.targets as Anchor[], "to_starts");
    expect(want.filter(Number.isFinite).length).toBeGreaterThan(5);
    want.forEach((w, t) => (w === Infinity ? expect(many[7]!.targetSeconds[t]).toBe(Infinity) : expect(many[7]!.targetSeconds[t]).toBeCloseTo(w, 6)));
  });

  it("answers the same in a graph's reused workspace, whatever searched there before", () => {
    const c = randomNetwork(70, 80, 220);
    const starts = [c.anchor()];
    const targets = Array.from({ length: 30 }, c.anchor);
    const blocked = new Uint8Array(c.graph.edgeCount).map(() => (c.random() < 0.2 ? 1 : 0));
    const want = truthTimes(c, starts, targets, "from_starts");
    const first = search(c.graph, { starts, targets, travel: "from_starts" });
    // others in between: the other way, with barriers (twice the entries), stopped early, limited in time
    search(c.graph, { starts: [c.anchor(), c.anchor()], targets, travel: "to_starts", blocked });
    search(c.graph, { starts, targets, travel: "from_starts", k: 2 });
    search(c.graph, { starts, travel: "from_starts", maxSeconds: 100, reachedWithin: [50, 100] });
    const again = search(c.graph, { starts, targets, travel: "from_starts" });
    expect([...again.targetSeconds]).toEqual([...first.targetSeconds]);
    targets.forEach((_, t) => {
      if (want[t] === Infinity) expect(again.targetSeconds[t]).toBe(Infinity);
      else expect(again.targetSeconds[t]).toBeCloseTo(want[t]!, 6);
    });
    expect(want.filter(Number.isFinite).length).toBeGreaterThan(10);
  });

  it("reaches, within a time, exactly the road points the truth reaches in that time", () => {
    for (let seed = 60; seed <= 66; seed++) {
      const c = randomNetwork(seed, 50, 120);
      const starts = [c.anchor(), c.anchor()];
      const travel: Travel = seed % 2 ? "from_starts" : "to_starts";
      const limit = 400;
      const [areas] = search(c.graph, { starts, travel, maxSeconds: limit, reachedWithin: [limit] }).reached;
      // probe points without off-road legs: inside a reached piece exactly when the truth's time ≤ limit
      const probes = Array.from({ length: 60 }, () => ({ ...c.anchor(), offRoadS: 0, offRoadM: 0 }));
      const want = truthTimes(c, starts, probes, travel);
      probes.forEach((p, i) => {
        if (Math.abs(want[i]! - limit) < 1e-6) return;
        const inside = areas!.some((a) => a.edge === p.edge && a.from - 1e-9 <= p.fraction && p.fraction <= a.to + 1e-9);
        expect(inside, `seed ${seed} probe ${i}: truth ${want[i]} s`).toBe(want[i]! <= limit);
      });
    }
  });

  it("times the road it reaches as the truth does: each point the least time of the stretches covering it", () => {
    let timed = 0;
    for (let seed = 90; seed <= 96; seed++) {
      const c = randomNetwork(seed, 50, 120);
      const blocked = new Uint8Array(c.graph.edgeCount);
      const blockedIds = new Set<string>();
      for (let e = 0; e < c.graph.edgeCount; e++) {
        if (c.random() < 0.2) {
          blocked[e] = 1;
          blockedIds.add(String(c.graph.edgeId[e]));
        }
      }
      const starts = [c.anchor(), c.anchor()];
      const travel: Travel = seed % 2 ? "from_starts" : "to_starts";
      const limit = 500;
      const road = search(c.graph, { starts, travel, maxSeconds: limit, blocked, timed: true }).timed;
      const pieces = Array.from({ length: road.count }, (_, k) => ({
        edge: road.edge[k]!,
        from: road.from[k]!,
        to: road.to[k]!,
        fromSeconds: road.fromSeconds[k]!,
        toSeconds: road.toSeconds[k]!,
      }));
      const probes = Array.from({ length: 60 }, () => ({ ...c.anchor(), offRoadS: 0, offRoadM: 0 }));
      const want = truthTimes(c, starts, probes, travel, blockedIds);
      probes.forEach((p, i) => {
        let got = Infinity;
        for (const q of pieces) {
          const [lo, hi] = [Math.min(q.from, q.to), Math.max(q.from, q.to)];
          if (q.edge !== p.edge || p.fraction < lo - 1e-9 || p.fraction > hi + 1e-9) continue;
          const at = q.to === q.from ? q.fromSeconds : q.fromSeconds + ((q.toSeconds - q.fromSeconds) * (p.fraction - q.from)) / (q.to - q.from);
          got = Math.min(got, at);
        }
        if (want[i]! <= limit - 1e-6) {
          timed++;
          expect(got, `seed ${seed} probe ${i}`).toBeCloseTo(want[i]!, 6);
        } else if (want[i]! > limit + 1e-6) expect(got, `seed ${seed} probe ${i}`).toBe(Infinity);
      });
      for (const q of pieces) expect(q.toSeconds).toBeLessThanOrEqual(limit + 1e-9);
    }
    expect(timed).toBeGreaterThan(60);
  });
});
