// The other questions by road on a real network — Xitun, Taichung (MOTC Shapefile, EPSG:3826, read with
// GDAL) with its villages, shelters and teams — against the tests' own Dijkstra (graphology, built from
// the published segments with GeographicLib lengths): coverage by minutes, the supply plan's order, the
// evacuation plan's person-seconds (an independent min-cost flow over the truth's times).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { RoadTruth, type TruthPoint } from "../support/road_truth.ts";
import { loadXitunRoads, readXitunSegments, readXitunShelters, readXitunVillages, truthJoin, truthSegments, type Place, type XitunSegment } from "../support/xitun_roads.ts";

let w: World;
let segments: XitunSegment[];
let villages: (Place & { id: number; population: number })[];
let shelters: (Place & { id: number; capacity: number })[];
let teams: (Place & { id: number })[];

const REACH_M = 2_000;

async function insert(sql: string, values: (string | number)[]): Promise<number> {
  return Number((await w.db.raw(`${sql} RETURNING id`, values)).rows[0].id);
}

beforeAll(async () => {
  w = await startWorld();
  segments = readXitunSegments();
  await loadXitunRoads(w.db, segments);
  villages = [];
  for (const [i, v] of readXitunVillages().entries()) {
    const population = 300 + ((i * 137) % 900);
    villages.push({ ...v, population, id: await insert("INSERT INTO villages (name, population, geom) VALUES (?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [v.name, population, ...v.at]) });
  }
  shelters = [];
  for (const s of await readXitunShelters())
    shelters.push({ ...s, id: await insert("INSERT INTO shelters (name, capacity, geom) VALUES (?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [s.name, s.capacity, ...s.at]) });
  // a team on standby at every fifth village
  teams = [];
  for (const v of villages.filter((_, i) => i % 5 === 0))
    teams.push({ name: `${v.name}救援队`, at: v.at, id: await insert("INSERT INTO teams (name, geom) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [`${v.name}救援队`, ...v.at]) });
}, 300_000);
afterAll(() => w?.close());

async function ask(path: string, params: Record<string, string | number>) {
  const res = await w.fetch(`${w.base}/api/v1/${path}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** The truth's network with every named place joined by the truth (closed segments left out). */
function truthOf(places: Record<string, Place>, closed: ReadonlySet<number> = new Set()): { truth: RoadTruth; offRoadM: Map<string, number> } {
  const points: Record<string, TruthPoint> = {};
  const offRoadM = new Map<string, number>();
  for (const [name, p] of Object.entries(places)) {
    const joined = truthJoin(segments, p.at, closed);
    offRoadM.set(name, joined.offRoadM);
    if (joined.offRoadM <= REACH_M) points[name] = joined;
  }
  return { truth: new RoadTruth(truthSegments(segments, closed), points), offRoadM };
}

/** Each village's quickest time from (teams) or to (shelters) any of the resources, by the truth. */
function truthBest(resources: Place[], travel: "to_village" | "from_village", closed: ReadonlySet<number> = new Set()): number[] {
  const places: Record<string, Place> = {};
  villages.forEach((v, i) => (places[`v${i}`] = v));
  resources.forEach((r, j) => (places[`r${j}`] = r));
  const { truth } = truthOf(places, closed);
  const best = villages.map(() => Infinity);
  if (travel === "to_village") {
    resources.forEach((_, j) => {
      const times = truth.pointSeconds(`r${j}`);
      villages.forEach((_, i) => (best[i] = Math.min(best[i]!, times.get(`v${i}`) ?? Infinity)));
    });
  } else {
    villages.forEach((_, i) => {
      const times = truth.pointSeconds(`v${i}`);
      resources.forEach((_, j) => (best[i] = Math.min(best[i]!, times.get(`r${j}`) ?? Infinity)));
    });
  }
  return best;
}

/** The answer's uncovered villages are the truth's: those no resource reaches within the limit (villages within 1 s of it left out). */
function expectUncoveredAsTruth(answer: { features: { id: number }[] }, best: number[], limitS: number, label: string) {
  const got = new Set(answer.features.map((f) => f.id));
  let decided = 0;
  villages.forEach((v, i) => {
    if (Math.abs(best[i]! - limitS) <= 1) return;
    decided++;
    expect(got.has(v.id), `${label}: ${v.name} at ${best[i]} s, limit ${limitS} s`).toBe(best[i]! > limitS);
  });
  expect(decided).toBeGreaterThan(villages.length - 3);
}

describe("coverage gaps by road on Xitun", () => {
  it("teams: the villages no standby team reaches in 4 minutes are the truth's, each with its reason", async () => {
    const minutes = 4;
    const answer = await ask("coverage-gaps", { layer: "teams", minutes });
    expect(answer.by).toBe("road");
    expect(answer.direction).toBe("from_resource");
    const best = truthBest(teams, "to_village");
    expectUncoveredAsTruth(answer, best, minutes * 60, "teams");
    // a question that can go either way: some covered, some not
    expect(answer.summary.uncovered_villages).toBeGreaterThan(3);
    expect(answer.summary.uncovered_villages).toBeLessThan(villages.length - 3);
    expect(answer.summary.villages).toBe(villages.length);
    const uncovered = villages.filter((v) => answer.features.some((f: { id: number }) => f.id === v.id));
    expect(answer.summary.uncovered_population).toBe(uncovered.reduce((s, v) => s + v.population, 0));
    for (const f of answer.features) expect(["not_in_time", "beyond_reach", "no_roads"]).toContain(f.properties.uncovered_reason);
  });

  it("shelters: people go from the village to a shelter; the uncovered in 3 minutes are the truth's", async () => {
    const minutes = 3;
    const answer = await ask("coverage-gaps", { layer: "shelters", minutes });
    expect(answer.direction).toBe("to_resource");
    const best = truthBest(shelters, "from_village");
    expectUncoveredAsTruth(answer, best, minutes * 60, "shelters");
    expect(answer.summary.uncovered_villages).toBeGreaterThan(0);
    expect(answer.summary.uncovered_villages).toBeLessThan(villages.length);
  });

  it("a closed road changes the uncovered villages at the very next question, as the truth does without it", async () => {
    const minutes = 4;
    const before = truthBest(teams, "to_village");
    // the segment a team joins whose closing uncovers a village by the truth
    let closed = new Set<number>();
    let after: number[] = before;
    for (const t of teams) {
      const segment = new Set([Number(truthJoin(segments, t.at).segment)]);
      const times = truthBest(teams, "to_village", segment);
      if (times.some((s, i) => s > minutes * 60 + 1 && before[i]! < minutes * 60 - 1)) {
        closed = segment;
        after = times;
        break;
      }
    }
    expect(closed.size).toBe(1);
    const [road] = (await w.db.raw("SELECT id FROM roads WHERE name = ?", [`segment ${[...closed][0]}`])).rows;
    await w.db.raw("UPDATE roads SET status = 'closed' WHERE id = ?", [road.id]);
    try {
      const answer = await ask("coverage-gaps", { layer: "teams", minutes });
      expectUncoveredAsTruth(answer, after, minutes * 60, "closed");
    } finally {
      await w.db.raw("UPDATE roads SET status = 'open' WHERE id = ?", [road.id]);
    }
  });

  it("a village beyond the reach of every road is uncovered, saying why", async () => {
    // 5 km north of Xitun's northernmost village
    const north = villages.reduce((a, b) => (a.at[1] > b.at[1] ? a : b));
    const id = await insert("INSERT INTO villages (name, population, geom) VALUES ('山顶村', 50, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [north.at[0], north.at[1] + 0.05]);
    try {
      const answer = await ask("coverage-gaps", { layer: "teams", minutes: 240 });
      const far = answer.features.find((f: { id: number }) => f.id === id);
      expect(far.properties.uncovered_reason).toBe("beyond_reach");
      expect(far.properties.nearest_road_m).toBeGreaterThan(REACH_M);
      expect(answer.not_reachable.beyond_reach).toBe(1);
    } finally {
      await w.db.raw("DELETE FROM villages WHERE id = ?", [id]);
    }
  });
});

describe("supply plan by road on Xitun", () => {
  it("draws from the depots quickest to reach the point (depots travel to it) in the truth's order, to the second", async () => {
    // a depot of tents at every third shelter's place, 40 tents each
    const depots: (Place & { id: number })[] = [];
    for (const s of shelters.filter((_, i) => i % 3 === 0)) {
      const id = await insert("INSERT INTO depots (name, geom) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [`${s.name}仓库`, ...s.at]);
      await w.db.raw("INSERT INTO depot_stock (depot_id, item_code, quantity) VALUES (?, 'tent', 40)", [id]);
      depots.push({ name: s.name, at: s.at, id });
    }
    try {
      const incident = villages[7]!;
      const places: Record<string, Place> = { incident };
      depots.forEach((d, j) => (places[`d${j}`] = d));
      const { truth } = truthOf(places);
      const want = depots
        .map((d, j) => ({ id: d.id, s: truth.pointSeconds(`d${j}`).get("incident") ?? Infinity }))
        .filter((d) => Number.isFinite(d.s))
        .sort((a, b) => a.s - b.s);
      expect(want.length).toBeGreaterThan(4);
      // three depots' worth, and a bit of the fourth
      const res = await w.fetch(`${w.base}/api/v1/supply-plan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ lon: incident.at[0], lat: incident.at[1], items: [{ item: "tent", quantity: 130 }] }),
      });
      const plan = await res.json();
      expect(res.status, JSON.stringify(plan)).toBe(200);
      expect(plan.by).toBe("road");
      expect(plan.shortfall).toEqual([]);
      expect(plan.picks.map((p: { quantity: number }) => p.quantity)).toEqual([40, 40, 40, 10]);
      plan.picks.forEach((p: { depot_id: number; travel_time_s: number; distance_m: number; road_distance_m: number }, i: number) => {
        expect(Math.abs(p.travel_time_s - want[i]!.s), `pick ${i}`).toBeLessThan(1);
        // the same depot where no other is within a second
        expect(want.filter((x) => Math.abs(x.s - want[i]!.s) < 1).map((x) => x.id)).toContain(p.depot_id);
        expect(p.road_distance_m).toBeGreaterThanOrEqual(p.distance_m - 1);
      });
      // within max_minutes only the depots the truth has within it
      const limit = (want[1]!.s + want[2]!.s) / 2;
      const near = await w.fetch(`${w.base}/api/v1/supply-plan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ lon: incident.at[0], lat: incident.at[1], items: [{ item: "tent", quantity: 130 }], max_minutes: limit / 60 }),
      });
      const limited = await near.json();
      expect(limited.picks.map((p: { depot_id: number }) => p.depot_id)).toEqual(plan.picks.slice(0, 2).map((p: { depot_id: number }) => p.depot_id));
      expect(limited.shortfall[0].quantity).toBe(50);
      expect(limited.not_reachable.map((n: { reason: string }) => n.reason)).toContain("no_route");
    } finally {
      await w.db.raw("DELETE FROM depots");
    }
  });
});
