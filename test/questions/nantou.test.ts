// The planner's and commander's questions on a real county — Nantou (南投縣, Taiwan: 13 townships,
// 262 villages, 387 shelters), loaded through the API — against brute force over all pairs with
// GeographicLib geodesic distances (test/support/truth.ts). The truth reads only coordinates and
// attributes back from the database (snapshot), never the product's SQL.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { booleanPointInPolygon } from "@turf/turf";
import type { MultiPolygon, Polygon } from "geojson";
import { startWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { cycleCancelling, geodesicDistance, within, type LonLat } from "../support/truth.ts";
import { loadNantou, NANTOU_DIR } from "../support/nantou.ts";
import { maxFlow } from "../support/max_flow.ts";

let w: World;
let s: Snapshot;
let loaded: Awaited<ReturnType<typeof loadNantou>>;
/** Database ids by external code (villcode, source_seq, town_code). */
const villageId = new Map<string, number>();
const shelterId = new Map<string, number>();
let townGeometry: Map<string, Polygon | MultiPolygon>;

beforeAll(async () => {
  w = await startWorld();
  loaded = await loadNantou(w);
  s = await snapshot(w.db);
  for (const r of await w.db("villages").select("id", "code")) villageId.set(r.code, Number(r.id));
  for (const r of await w.db("shelters").select("id", "code")) shelterId.set(r.code, Number(r.id));
  const towns = JSON.parse(await readFile(new URL("townships.geojson", NANTOU_DIR), "utf8")) as {
    features: { geometry: Polygon | MultiPolygon; properties: { town_code: string } }[];
  };
  townGeometry = new Map(towns.features.map((f) => [f.properties.town_code, f.geometry]));
}, 300_000);
afterAll(async () => {
  await w?.close();
});

/** Geodesic distances between village and shelter points, memoised (262 × 387 pairs at most). */
const memo = new Map<string, number>();
function distance(a: { id: number; at: LonLat }, b: { id: number; at: LonLat }): number {
  const key = `${a.id}:${b.id}`;
  let d = memo.get(key);
  if (d === undefined) memo.set(key, (d = geodesicDistance(a.at, b.at)));
  return d;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const byId = (a: number, b: number) => a - b;

async function getJson(path: string) {
  const res = await w.fetch(`${w.base}${path}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

describe("the Nantou world", () => {
  it("loads every township, village and shelter, including the shelters with bad coordinates", async () => {
    expect(loaded).toEqual({ townships: 13, villages: 262, shelters: 387 });
    expect(s.townships).toHaveLength(13);
    expect(s.villages).toHaveLength(262);
    expect(s.shelters).toHaveLength(387);
    // README: county population 489,509, shelter planned capacity 45,433 persons
    expect(sum(s.villages.map((v) => v.population))).toBe(489_509);
    expect(sum(s.shelters.map((x) => x.capacity))).toBe(45_433);
    expect(s.villages.every((v) => v.township_code !== null && s.townships.some((t) => t.admin_code === v.township_code))).toBe(true);
    // coord_qc = outside_all_villages: 3022 (lon 117.87, a typo for 120.87) and 4151 (in the sea at 120.00/24.68)
    const typo = s.shelters.find((x) => x.id === shelterId.get("3022"))!;
    expect(typo.at[0]).toBeCloseTo(117.874241, 6);
    expect(s.shelters.find((x) => x.id === shelterId.get("4151"))!.at).toEqual([120.000836, 24.676621]);
    const village = await getJson(`/api/v1/layers/villages/features/${villageId.get("10008010001")}`);
    expect(village.properties).toMatchObject({
      name: "龍泉里",
      admin_code: "10008010001",
      township_code: "10008010",
      population: 1048,
      households: 398,
      vulnerable: 211 + 104,
    });
    const shelter = await getJson(`/api/v1/layers/shelters/features/${shelterId.get("1995")}`);
    expect(shelter.properties).toMatchObject({ name: "東光基督長老教會", capacity: 150, shelter_type: "indoor", status: "open", occupancy: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// Coverage gaps: villages with no shelter within R.

function coverageTruth(radius: number, township?: string) {
  const scope = s.villages.filter((v) => township === undefined || v.township_code === township);
  const gaps = scope.filter((v) => !s.shelters.some((x) => within(distance(v, x), radius)));
  return {
    ids: gaps.map((v) => v.id).sort(byId),
    summary: {
      villages: scope.length,
      population: sum(scope.map((v) => v.population)),
      uncovered_villages: gaps.length,
      uncovered_population: sum(gaps.map((v) => v.population)),
    },
  };
}

async function coverageGaps(radius: number, township?: string) {
  const body = await getJson(`/api/v1/coverage-gaps?layer=shelters&radius_m=${radius}${township ? `&township=${township}` : ""}`);
  return { ids: (body.features as { id: number }[]).map((f) => f.id).sort(byId), summary: body.summary };
}

describe("coverage gaps: villages with no shelter within R, against all village × shelter geodesic distances", () => {
  // README orientation numbers (haversine, coord_qc = 'ok' shelters only): villages farther than R, and their population
  const readme: Record<number, [number, number]> = { 1000: [99, 123_665], 2000: [39, 41_775], 3000: [21, 22_251], 5000: [6, 6_456] };

  for (const radius of [1000, 2000, 3000, 5000]) {
    it(`whole county, R = ${radius} m: same villages, same summary, close to the README's figures`, async () => {
      const want = coverageTruth(radius);
      expect(want.ids.length).toBeGreaterThan(0);
      const got = await coverageGaps(radius);
      expect(got.ids).toEqual(want.ids);
      expect(got.summary).toEqual(want.summary);
      const [villages, population] = readme[radius]!;
      expect(Math.abs(got.summary.uncovered_villages - villages)).toBeLessThanOrEqual(2);
      expect(Math.abs(got.summary.uncovered_population - population)).toBeLessThanOrEqual(population * 0.05);
    });
  }

  for (const [town, name, radius] of [
    ["10008130", "仁愛鄉", 5000],
    ["10008010", "南投市", 1000],
    ["10008120", "信義鄉", 2000],
  ] as const) {
    it(`one township, ${name} (${town}), R = ${radius} m: only its villages, same set and summary`, async () => {
      const code = town;
      const want = coverageTruth(radius, code);
      expect(want.summary.villages).toBeGreaterThan(want.summary.uncovered_villages);
      expect(want.ids.length).toBeGreaterThan(0);
      const got = await coverageGaps(radius, code);
      expect(got.ids).toEqual(want.ids);
      expect(got.summary).toEqual(want.summary);
    });
  }
});

// Shelter capacity per township: test/questions/nantou-capacity.test.ts.

// ---------------------------------------------------------------------------------------------
// Evacuation plans.

interface Plan {
  affected: { villages: number; population: number };
  assignments: { village_id: number; shelter_id: number; people: number; distance_m: number }[];
  shelters: { shelter_id: number; free_capacity: number; assigned: number }[];
  unassigned: { village_id: number; people: number; reason: string }[];
  total_person_m: number;
}

type Village = Snapshot["villages"][number];
type Shelter = Snapshot["shelters"][number];

/** The truth instance: who must leave, who can receive, which pairs are within reach. */
function evacuationTruth(world: Snapshot, inZone: (p: LonLat) => boolean, maxDistance: number) {
  const affected = world.villages.filter((v) => v.population > 0 && inZone(v.at)).sort((a, b) => a.id - b.id);
  const receiving = world.shelters.filter((x) => x.status === "open" && x.capacity > x.occupancy && !inZone(x.at));
  const pairs: { v: Village; x: Shelter; d: number }[] = [];
  for (const v of affected)
    for (const x of receiving) {
      const d = distance(v, x);
      if (within(d, maxDistance)) pairs.push({ v, x, d });
    }
  const inReach = [...new Set(pairs.map((p) => p.x))].sort((a, b) => a.id - b.id);
  return { affected, receiving, inReach, pairs };
}
type Truth = ReturnType<typeof evacuationTruth>;

/** The transportation instance in index form (villages × shelters in reach), costs in centimetres. */
function instance(t: Truth) {
  const vi = new Map(t.affected.map((v, i) => [v.id, i]));
  const si = new Map(t.inReach.map((x, j) => [x.id, j]));
  return {
    vi,
    si,
    supply: t.affected.map((v) => v.population),
    capacity: t.inReach.map((x) => x.capacity - x.occupancy),
    arcs: t.pairs.map((p) => ({ from: vi.get(p.v.id)!, to: si.get(p.x.id)!, cost: Math.round(p.d * 100) })),
  };
}

/** Maximum flow value of the same network (test/support/max_flow.ts): how many people can be moved at all. */
function mostMoved(supply: number[], capacity: number[], arcs: { from: number; to: number }[]): number {
  const n = supply.length;
  const S = n + capacity.length;
  const T = S + 1;
  const edges = [
    ...supply.map((c, i) => ({ from: S, to: i, cap: c })),
    ...capacity.map((c, j) => ({ from: n + j, to: T, cap: c })),
    ...arcs.map((a) => ({ from: a.from, to: n + a.to, cap: Infinity })),
  ];
  return maxFlow(T + 1, edges, S, T);
}

/**
 * Optimality certificate of the API's plan: no cycle of negative cost in its residual graph
 * (Bellman-Ford). Every residual arc gets `slack` metres added, so only a cycle cheaper by more
 * than `slack` per arc counts — rounding the costs to centimetres cannot produce one.
 * Returns the cost (metres) of a negative cycle found, or null.
 */
function negativeResidualCycle(t: Truth, plan: Plan, slack = 0.01): number | null {
  const { vi, si, supply, capacity } = instance(t);
  const n = supply.length;
  const S = n + capacity.length;
  const T = S + 1;
  const edges: { u: number; v: number; cost: number }[] = [];
  const sent = new Array<number>(n).fill(0);
  const received = new Array<number>(capacity.length).fill(0);
  const flow = new Map<string, number>();
  for (const a of plan.assignments) {
    const i = vi.get(a.village_id)!;
    const j = si.get(a.shelter_id)!;
    sent[i]! += a.people;
    received[j]! += a.people;
    flow.set(`${i}:${j}`, (flow.get(`${i}:${j}`) ?? 0) + a.people);
  }
  supply.forEach((c, i) => {
    if (sent[i]! < c) edges.push({ u: S, v: i, cost: 0 });
    if (sent[i]! > 0) edges.push({ u: i, v: S, cost: 0 });
  });
  capacity.forEach((c, j) => {
    if (received[j]! < c) edges.push({ u: n + j, v: T, cost: 0 });
    if (received[j]! > 0) edges.push({ u: T, v: n + j, cost: 0 });
  });
  for (const p of t.pairs) {
    const i = vi.get(p.v.id)!;
    const j = si.get(p.x.id)!;
    edges.push({ u: i, v: n + j, cost: p.d });
    if ((flow.get(`${i}:${j}`) ?? 0) > 0) edges.push({ u: n + j, v: i, cost: -p.d });
  }
  const V = T + 1;
  const dist = new Array<number>(V).fill(0);
  const pred = new Array<number>(V).fill(-1);
  let last = -1;
  for (let round = 0; round < V; round++) {
    last = -1;
    edges.forEach((e, k) => {
      if (dist[e.u]! + e.cost + slack < dist[e.v]!) {
        dist[e.v] = dist[e.u]! + e.cost + slack;
        pred[e.v] = k;
        last = e.v;
      }
    });
    if (last === -1) return null;
  }
  for (let i = 0; i < V; i++) last = edges[pred[last]!]!.u;
  let cost = 0;
  for (let v = last; ; ) {
    const e = edges[pred[v]!]!;
    cost += e.cost;
    v = e.u;
    if (v === last) break;
  }
  return cost;
}

async function evacuationPlan(body: unknown): Promise<Plan> {
  const res = await w.fetch(`${w.base}/api/v1/evacuation-plan`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const plan = await res.json();
  expect(res.status, JSON.stringify(plan)).toBe(200);
  return plan;
}

/** Every promise of a plan, checked against the truth instance; the optimum too when `optimum`. */
function expectPlan(plan: Plan, t: Truth, maxDistance: number, optimum: boolean) {
  const population = new Map(t.affected.map((v) => [v.id, v.population]));
  const free = new Map(t.receiving.map((x) => [x.id, x.capacity - x.occupancy]));
  const villagesInReach = new Set(t.pairs.map((p) => p.v.id));

  expect(plan.affected).toEqual({ villages: t.affected.length, population: sum(t.affected.map((v) => v.population)) });

  // each assignment: an affected village, a receiving shelter within reach, the right distance
  const sent = new Map<number, number>();
  const received = new Map<number, number>();
  const seen = new Set<string>();
  for (const a of plan.assignments) {
    const v = t.affected.find((x) => x.id === a.village_id);
    const x = t.receiving.find((y) => y.id === a.shelter_id);
    expect(v, `assignment from village ${a.village_id}, which is not affected`).toBeDefined();
    expect(x, `assignment to shelter ${a.shelter_id}, which cannot receive`).toBeDefined();
    expect(Number.isInteger(a.people) && a.people > 0, `assignment ${JSON.stringify(a)}: people`).toBe(true);
    const d = distance(v!, x!);
    expect(within(d, maxDistance), `village ${a.village_id} → shelter ${a.shelter_id} is ${d} m > ${maxDistance} m`).toBe(true);
    expect(Math.abs(a.distance_m - d)).toBeLessThanOrEqual(0.001);
    expect(seen.has(`${a.village_id}:${a.shelter_id}`), "one row per pair").toBe(false);
    seen.add(`${a.village_id}:${a.shelter_id}`);
    sent.set(a.village_id, (sent.get(a.village_id) ?? 0) + a.people);
    received.set(a.shelter_id, (received.get(a.shelter_id) ?? 0) + a.people);
  }

  // no shelter over its free capacity; the shelter list tells each shelter's free capacity and load
  for (const [id, people] of received) expect(people, `shelter ${id} load`).toBeLessThanOrEqual(free.get(id)!);
  expect(plan.shelters.map((x) => x.shelter_id).sort(byId)).toEqual(t.inReach.map((x) => x.id));
  for (const x of plan.shelters) {
    expect(x.free_capacity, `shelter ${x.shelter_id} free capacity`).toBe(free.get(x.shelter_id));
    expect(x.assigned, `shelter ${x.shelter_id} assigned`).toBe(received.get(x.shelter_id) ?? 0);
  }

  // every affected village: sent + unassigned = population, and the reason is right
  const unassigned = new Map<number, { people: number; reason: string }>();
  for (const u of plan.unassigned) {
    expect(population.has(u.village_id), `unassigned village ${u.village_id} is not affected`).toBe(true);
    expect(unassigned.has(u.village_id), `village ${u.village_id} listed twice as unassigned`).toBe(false);
    expect(u.people).toBeGreaterThan(0);
    unassigned.set(u.village_id, u);
  }
  for (const v of t.affected) {
    const out = sent.get(v.id) ?? 0;
    const left = unassigned.get(v.id);
    expect(out, `village ${v.id} sends more than its population`).toBeLessThanOrEqual(v.population);
    expect(out + (left?.people ?? 0), `village ${v.id}: sent + unassigned`).toBe(v.population);
    if (left) expect(left.reason, `village ${v.id}`).toBe(villagesInReach.has(v.id) ? "no_capacity_left" : "no_shelter_in_reach");
  }

  // as many people as can be moved at all
  const inst = instance(t);
  const assigned = sum(plan.assignments.map((a) => a.people));
  const most = mostMoved(inst.supply, inst.capacity, inst.arcs);
  expect(assigned, "people moved = the maximum flow").toBe(most);

  // and, among such plans, the fewest person-metres
  const personMetres = sum(
    plan.assignments.map((a) => a.people * distance(t.affected.find((v) => v.id === a.village_id)!, t.receiving.find((x) => x.id === a.shelter_id)!)),
  );
  expect(Math.abs(plan.total_person_m - personMetres)).toBeLessThanOrEqual(Math.max(0.01, personMetres * 1e-9));
  expect(negativeResidualCycle(t, plan), "a cheaper plan exists: negative-cost cycle in the residual graph").toBeNull();
  if (optimum) {
    const flows = cycleCancelling(inst.supply, inst.capacity, inst.arcs);
    expect(sum(flows), "cycle-cancelling moves the maximum flow too").toBe(most);
    const best = sum(flows.map((f, k) => f * inst.arcs[k]!.cost)) / 100;
    expect(Math.abs(personMetres - best), `person-metres ${personMetres} vs optimum ${best}`).toBeLessThanOrEqual(best * 1e-4);
  }
}

interface Circle {
  name: string;
  village: string;
  radius: number;
  maxDistance: number;
  optimum: boolean;
  noReach?: number;
  spare?: boolean;
}

const circles: Circle[] = [
  { name: "南投市 崇文里, r 300 m, reach 3 km: capacity to spare", village: "10008010007", radius: 300, maxDistance: 3000, optimum: true, spare: true },
  { name: "水里鄉 中央村, r 1 km, reach 5 km: capacity to spare", village: "10008110004", radius: 1000, maxDistance: 5000, optimum: true, spare: true },
  { name: "南投市 龍泉里, r 1 km, reach 3 km: city centre, capacity short", village: "10008010001", radius: 1000, maxDistance: 3000, optimum: true },
  { name: "埔里鎮 東門里, r 1.5 km, reach 3 km: town centre, capacity short", village: "10008020001", radius: 1500, maxDistance: 3000, optimum: true },
  { name: "集集鎮 集集里, r 2 km, reach 5 km", village: "10008050001", radius: 2000, maxDistance: 5000, optimum: true },
  {
    name: "草屯鎮 玉峰里, r 3 km, reach 3 km: one village with no shelter in reach",
    village: "10008030001",
    radius: 3000,
    maxDistance: 3000,
    optimum: true,
    noReach: 1,
  },
  {
    name: "信義鄉 愛國村, r 6 km, reach 4 km: mountains, three villages with no shelter in reach",
    village: "10008120005",
    radius: 6000,
    maxDistance: 4000,
    optimum: true,
    noReach: 3,
  },
  { name: "仁愛鄉 南豐村, r 8 km, reach 6 km: mountains", village: "10008130010", radius: 8000, maxDistance: 6000, optimum: true, noReach: 1 },
  {
    name: "南投市 軍功里, r 8 km, reach 10 km: 68 villages × 65 shelters (feasibility, max flow, no negative cycle)",
    village: "10008010010",
    radius: 8000,
    maxDistance: 10_000,
    optimum: false,
  },
];

function circleTruth(world: Snapshot, c: Circle) {
  const centre = world.villages.find((v) => v.id === villageId.get(c.village))!;
  const centrePoint = { id: -1, at: centre.at };
  const truth = evacuationTruth(world, (p) => within(geodesicDistance(centrePoint.at, p), c.radius), c.maxDistance);
  return { centre, truth };
}

describe("evacuation plans: feasible, moving the most people, at the fewest person-metres", () => {
  for (const c of circles) {
    it(`circle around ${c.name}`, async () => {
      const { centre, truth } = circleTruth(s, c);
      // the case is what its name says
      expect(truth.affected.length).toBeGreaterThan(0);
      expect(truth.affected.some((v) => v.id === centre.id)).toBe(true);
      expect(truth.pairs.length).toBeGreaterThan(0);
      expect(truth.affected.filter((v) => !truth.pairs.some((p) => p.v === v)).length).toBe(c.noReach ?? 0);
      const capacity = sum(truth.inReach.map((x) => x.capacity - x.occupancy));
      const people = sum(truth.affected.map((v) => v.population));
      expect(capacity > people).toBe(c.spare ?? false);
      if (c.optimum) expect(truth.affected.length * truth.inReach.length).toBeLessThanOrEqual(40 * 40);

      const plan = await evacuationPlan({ area: { lon: centre.at[0], lat: centre.at[1], radius_m: c.radius }, max_distance_m: c.maxDistance });
      expectPlan(plan, truth, c.maxDistance, c.optimum);
      if (c.spare) expect(plan.unassigned).toEqual([]);
    });
  }

  for (const [town, name, maxDistance, optimum] of [
    ["10008050", "集集鎮", 5000, true],
    ["10008070", "鹿谷鄉", 8000, false],
  ] as const) {
    it(`the township polygon of ${name} (${town}) from townships.geojson, reach ${maxDistance / 1000} km${optimum ? "" : " (feasibility, max flow, no negative cycle)"}`, async () => {
      const area = townGeometry.get(town)!;
      expect(area).toBeDefined();
      const truth = evacuationTruth(s, (p) => booleanPointInPolygon(p, area), maxDistance);
      // the zone holds exactly the township's villages (their points are inside their township)
      expect(truth.affected.map((v) => v.id)).toEqual(
        s.villages
          .filter((v) => v.township_code === town)
          .map((v) => v.id)
          .sort(byId),
      );
      expect(truth.inReach.length).toBeGreaterThan(0);
      if (optimum) expect(truth.affected.length * truth.inReach.length).toBeLessThanOrEqual(40 * 40);
      expectPlan(await evacuationPlan({ area, max_distance_m: maxDistance }), truth, maxDistance, optimum);
    });
  }
});

// Last, because it edits the world: shelters closed, full or partly occupied, and a village emptied.
describe("evacuation plans after edits: closed, full and occupied shelters do not receive; empty villages do not leave", () => {
  async function patch(layer: string, id: number, properties: Record<string, unknown>) {
    const current = await w.fetch(`${w.base}/api/v1/layers/${layer}/features/${id}`);
    expect(current.status).toBe(200);
    await current.arrayBuffer();
    const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": current.headers.get("etag")! },
      body: JSON.stringify({ properties }),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  it("集集鎮 集集里, r 2 km, reach 5 km, with four shelters and one village edited", async () => {
    const c = circles.find((x) => x.village === "10008050001")!;
    const before = circleTruth(s, c).truth;
    const byLoad = [...before.inReach].sort((a, b) => b.capacity - a.capacity || a.id - b.id);
    expect(byLoad.length).toBeGreaterThanOrEqual(4);
    const [closed, full, occupied, partly] = byLoad as [Shelter, Shelter, Shelter, Shelter];
    expect(partly.capacity).toBeGreaterThan(7);
    const emptied = before.affected.find((v) => v.id !== villageId.get(c.village))!;
    await patch("shelters", closed.id, { status: "closed" });
    await patch("shelters", full.id, { status: "full" });
    await patch("shelters", occupied.id, { occupancy: occupied.capacity });
    await patch("shelters", partly.id, { occupancy: partly.capacity - 7 });
    await patch("villages", emptied.id, { population: 0 });

    const after = await snapshot(w.db);
    const { centre, truth } = circleTruth(after, c);
    expect(truth.affected.map((v) => v.id)).toEqual(before.affected.filter((v) => v.id !== emptied.id).map((v) => v.id));
    const stillReceiving = before.pairs.filter((p) => p.v.id !== emptied.id && ![closed.id, full.id, occupied.id].includes(p.x.id)).map((p) => p.x.id);
    expect(truth.inReach.map((x) => x.id)).toEqual([...new Set(stillReceiving)].sort(byId));
    expect(truth.inReach.some((x) => x.id === partly.id)).toBe(true);

    const plan = await evacuationPlan({ area: { lon: centre.at[0], lat: centre.at[1], radius_m: c.radius }, max_distance_m: c.maxDistance });
    expectPlan(plan, truth, c.maxDistance, true);
    const listed = plan.shelters.map((x) => x.shelter_id);
    for (const id of [closed.id, full.id, occupied.id]) expect(listed).not.toContain(id);
    expect(plan.shelters.find((x) => x.shelter_id === partly.id)?.free_capacity).toBe(7);
    expect(plan.assignments.some((a) => a.village_id === emptied.id) || plan.unassigned.some((u) => u.village_id === emptied.id)).toBe(false);
  });
});
