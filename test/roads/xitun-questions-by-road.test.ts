// The other questions by road on a real network — Xitun, Taichung (MOTC Shapefile, EPSG:3826, read with
// GDAL) with its villages, shelters and teams — against the tests' own Dijkstra (graphology, built from
// the published segments with GeographicLib lengths): coverage by minutes, the supply plan's order, the
// evacuation plan's person-seconds (an independent min-cost flow over the truth's times).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { RoadTruth, type TruthPoint } from "../support/road_truth.ts";
import { cycleCancelling, distanceToGeometry, geodesicDistance, type LonLat } from "../support/truth.ts";
import {
  loadXitunRoads,
  readXitunSegments,
  readXitunShelters,
  readXitunVillages,
  truthJoin,
  truthSegments,
  type Place,
  type XitunSegment,
} from "../support/xitun_roads.ts";

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
    villages.push({
      ...v,
      population,
      id: await insert("INSERT INTO villages (name, population, geom) VALUES (?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [v.name, population, ...v.at]),
    });
  }
  shelters = [];
  for (const s of await readXitunShelters())
    shelters.push({
      ...s,
      id: await insert("INSERT INTO shelters (name, capacity, geom) VALUES (?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [s.name, s.capacity, ...s.at]),
    });
  // a team on standby at every fifth village
  teams = [];
  for (const v of villages.filter((_, i) => i % 5 === 0))
    teams.push({
      name: `${v.name}救援队`,
      at: v.at,
      id: await insert("INSERT INTO teams (name, geom) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [`${v.name}救援队`, ...v.at]),
    });
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
    const id = await insert("INSERT INTO villages (name, population, geom) VALUES ('山顶村', 50, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [
      north.at[0],
      north.at[1] + 0.05,
    ]);
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
      // each pick's route runs from its depot to the incident
      for (const p of plan.picks as { depot_id: number; route: { type: string; coordinates: LonLat[] } }[]) {
        expect(p.route.type).toBe("LineString");
        expect(geodesicDistance(p.route.coordinates[0]!, depots.find((d) => d.id === p.depot_id)!.at)).toBeLessThan(0.01);
        expect(geodesicDistance(p.route.coordinates.at(-1)!, incident.at)).toBeLessThan(0.01);
      }
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

/** Metres from p to the segment a–b, planar about p (a first sieve before the geodesic). */
function roughDistance(p: LonLat, a: LonLat, b: LonLat): number {
  const kx = 111_320 * Math.cos((p[1] * Math.PI) / 180);
  const ky = 110_574;
  const [ax, ay, bx, by] = [(a[0] - p[0]) * kx, (a[1] - p[1]) * ky, (b[0] - p[0]) * kx, (b[1] - p[1]) * ky];
  const dx = bx - ax;
  const dy = by - ay;
  const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

describe("evacuation plan by road on Xitun", () => {
  it("moves as many people, in as few person-seconds, as an independent min-cost flow over the truth's times, the area's roads used only to leave it", async () => {
    const centre = villages[12]!.at;
    const radius = 1200;
    const maxMinutes = 8;
    // few free places, so that the assignment is not everyone to their quickest shelter
    await w.db.raw("UPDATE shelters SET capacity = 150 + (id % 4) * 100, occupancy = 0");
    try {
      const res = await w.fetch(`${w.base}/api/v1/evacuation-plan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ area: { lon: centre[0], lat: centre[1], radius_m: radius }, max_minutes: maxMinutes }),
      });
      const plan = await res.json();
      expect(res.status, JSON.stringify(plan)).toBe(200);
      expect(plan.by).toBe("road");

      // the truth: villages inside, shelters outside, the area's roads a barrier except to leave it
      const inside = villages.filter((v) => geodesicDistance(centre, v.at) <= radius);
      const outside = shelters.filter((s) => geodesicDistance(centre, s.at) > radius);
      expect(plan.affected.villages).toBe(inside.length);
      expect(inside.length).toBeGreaterThan(2);
      const blocked = new Set(
        segments
          .filter((s) => s.coords.some((c, i) => i > 0 && roughDistance(centre, s.coords[i - 1]!, c) <= radius + 50))
          .filter((s) => distanceToGeometry(centre, { type: "LineString", coordinates: s.coords }).d <= radius)
          .map((s) => String(s.index)),
      );
      expect(blocked.size).toBeGreaterThan(10);
      const places: Record<string, Place> = {};
      inside.forEach((v, i) => (places[`v${i}`] = v));
      outside.forEach((s, j) => (places[`s${j}`] = s));
      const points: Record<string, TruthPoint> = {};
      for (const [name, p] of Object.entries(places)) {
        const joined = truthJoin(segments, p.at);
        if (joined.offRoadM <= REACH_M) points[name] = joined;
      }
      const truth = new RoadTruth(truthSegments(segments), points, blocked);
      const arcs: { from: number; to: number; cost: number; s: number }[] = [];
      inside.forEach((_, i) => {
        const times = truth.pointSeconds(`v${i}`);
        outside.forEach((_, j) => {
          const s = times.get(`s${j}`) ?? Infinity;
          if (s <= maxMinutes * 60) arcs.push({ from: i, to: j, cost: Math.round(s * 100), s });
        });
      });
      expect(arcs.length).toBeGreaterThan(inside.length);
      const capacity = outside.map((s) => 150 + (s.id % 4) * 100);
      const flows = cycleCancelling(
        inside.map((v) => v.population),
        capacity,
        arcs,
      );
      const moved = flows.reduce((a, b) => a + b, 0);
      const personSeconds = flows.reduce((sum, f, k) => sum + f * arcs[k]!.s, 0);
      const people = inside.reduce((s, v) => s + v.population, 0);
      // capacity binds: not everyone can be moved
      expect(moved).toBeGreaterThan(0);
      expect(moved).toBeLessThan(people);
      expect(plan.unassigned.reduce((s: number, u: { people: number }) => s + u.people, 0)).toBe(people - moved);
      const planMoved = plan.assignments.reduce((s: number, a: { people: number }) => s + a.people, 0);
      expect(planMoved).toBe(moved);
      // the same optimum, to the centisecond per person (costs are whole centiseconds on both sides)
      expect(Math.abs(plan.total_person_s - personSeconds), `${plan.total_person_s} vs ${personSeconds}`).toBeLessThanOrEqual(people * 0.01 + 1);
      // each assignment: its time the truth's, within the limit, with straight and road distances
      for (const a of plan.assignments) {
        const i = inside.findIndex((v) => v.id === a.village_id);
        const j = outside.findIndex((s) => s.id === a.shelter_id);
        const want = truth.pointSeconds(`v${i}`).get(`s${j}`)!;
        expect(Math.abs(a.travel_time_s - want), `${a.village_id} → ${a.shelter_id}`).toBeLessThan(1);
        expect(a.travel_time_s).toBeLessThanOrEqual(maxMinutes * 60);
        expect(Math.abs(a.distance_m - geodesicDistance(inside[i]!.at, outside[j]!.at))).toBeLessThan(0.01);
        expect(a.road_distance_m).toBeGreaterThanOrEqual(a.distance_m - 1);
        // its route: from the village to the shelter, as long as the road distance (±1 %)
        const line = a.route.coordinates as LonLat[];
        expect(a.route.type).toBe("LineString");
        expect(geodesicDistance(line[0]!, inside[i]!.at)).toBeLessThan(0.01);
        expect(geodesicDistance(line.at(-1)!, outside[j]!.at)).toBeLessThan(0.01);
        const length = line.slice(1).reduce((sum, c, k) => sum + geodesicDistance(line[k]!, c), 0);
        expect(Math.abs(length - a.road_distance_m), `route ${a.village_id} → ${a.shelter_id}`).toBeLessThan(a.road_distance_m * 0.01 + 1);
      }
      // without the barrier some village would be quicker: the area matters (else this test shows nothing of it)
      const free = new RoadTruth(truthSegments(segments), points);
      const quicker = arcs.some((arc) => free.pointSeconds(`v${arc.from}`).get(`s${arc.to}`)! < arc.s - 1);
      expect(quicker).toBe(true);
    } finally {
      for (const s of shelters) await w.db.raw("UPDATE shelters SET capacity = ? WHERE id = ?", [s.capacity, s.id]);
    }
  });
});
