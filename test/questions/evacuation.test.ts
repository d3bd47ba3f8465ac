import { describe, expect, it } from "vitest";
import * as turf from "@turf/turf";
import { startWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { cycleCancelling, destination, geodesicDistance, within, type LonLat } from "../support/truth.ts";
import { prng } from "../support/prng.ts";
import { useDemoWorld } from "../support/demo_world.ts";

interface Plan {
  affected: { villages: number; population: number };
  assignments: { village_id: number; shelter_id: number; people: number; distance_m: number }[];
  shelters: { shelter_id: number; free_capacity: number; assigned: number }[];
  unassigned: { village_id: number; people: number; reason: string }[];
  total_person_m: number;
}

async function plan(w: World, body: object): Promise<Plan> {
  const res = await w.fetch(`${w.base}/api/v1/evacuation-plan`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

/**
 * Check a plan against brute force: who is affected, who may receive, feasibility row by row, the
 * maximum number of people moved and (where the instance is small enough) the least person-metres.
 */
function check(p: Plan, s: Snapshot, inside: (at: LonLat) => boolean, maxDistance: number, exactCost: boolean) {
  const affected = s.villages.filter((v) => v.population > 0 && inside(v.at));
  expect(p.affected).toEqual({ villages: affected.length, population: affected.reduce((a, v) => a + v.population, 0) });
  const receiving = s.shelters.filter((x) => x.status === "open" && x.capacity > x.occupancy && !inside(x.at));
  const pairs = affected.flatMap((v) => receiving.map((x) => ({ v, x, d: geodesicDistance(v.at, x.at) }))).filter((e) => within(e.d, maxDistance));

  const sent = new Map<number, number>();
  const received = new Map<number, number>();
  for (const a of p.assignments) {
    const pair = pairs.find((e) => e.v.id === a.village_id && e.x.id === a.shelter_id);
    expect(pair, `village ${a.village_id} → shelter ${a.shelter_id} is not an allowed pair`).toBeDefined();
    expect(a.people).toBeGreaterThan(0);
    // to the millimetre: up to 30 km the plan derives the geodesic from the chord (within 0.4 mm)
    expect(Math.abs(a.distance_m - pair!.d)).toBeLessThan(0.001);
    sent.set(a.village_id, (sent.get(a.village_id) ?? 0) + a.people);
    received.set(a.shelter_id, (received.get(a.shelter_id) ?? 0) + a.people);
  }
  for (const x of receiving) expect(received.get(x.id) ?? 0).toBeLessThanOrEqual(x.capacity - x.occupancy);
  for (const r of p.shelters) expect(r.assigned).toBe(received.get(r.shelter_id) ?? 0);
  for (const v of affected) {
    const left = p.unassigned.find((u) => u.village_id === v.id)?.people ?? 0;
    expect((sent.get(v.id) ?? 0) + left).toBe(v.population);
    if (left > 0) {
      const reason = pairs.some((e) => e.v.id === v.id) ? "no_capacity_left" : "no_shelter_in_reach";
      expect(p.unassigned.find((u) => u.village_id === v.id)!.reason).toBe(reason);
    }
  }

  const vi = new Map(affected.map((v, i) => [v.id, i]));
  const xi = new Map(receiving.map((x, j) => [x.id, j]));
  const arcs = pairs.map((e) => ({ from: vi.get(e.v.id)!, to: xi.get(e.x.id)!, cost: Math.round(e.d * 100) }));
  if (!exactCost) return;
  const best = cycleCancelling(
    affected.map((v) => v.population),
    receiving.map((x) => x.capacity - x.occupancy),
    arcs,
  );
  const moved = [...sent.values()].reduce((a, b) => a + b, 0);
  expect(moved).toBe(best.reduce((a, b) => a + b, 0));
  const bestCost = best.reduce((a, f, k) => a + f * pairs[k]!.d, 0);
  expect(Math.abs(p.total_person_m - bestCost)).toBeLessThanOrEqual(Math.max(1, bestCost * 1e-4));
}

describe("evacuation plans on the demo county", () => {
  const demo = useDemoWorld();

  it.each([
    [104.3, 30.85, 3000, 10000],
    [104.45, 30.82, 4000, 8000],
    [104.2, 30.9, 6000, 12000],
    [104.42, 30.83, 2500, 3000],
    [104.35, 30.86, 2000, 45000], // beyond 30 km the geodesic is computed, not derived from the chord
  ])("a circle at %d,%d of %d m, shelters within %d m", async (lon, lat, radius, maxDistance) => {
    const p = await plan(demo.world, { area: { lon, lat, radius_m: radius }, max_distance_m: maxDistance });
    expect(p.affected.villages).toBeGreaterThan(0);
    check(p, demo.snapshot, (at) => within(geodesicDistance([lon, lat], at), radius), maxDistance, p.affected.villages <= 40);
  });

  it("a hazard's zone (a point hazard buffered by its influence radius)", async () => {
    const { rows } = await demo.world.db.raw(
      "SELECT id::int, ST_X(geom) AS x, ST_Y(geom) AS y, influence_radius_m AS r FROM hazards WHERE GeometryType(geom) = 'POINT' AND influence_radius_m >= 1000 ORDER BY id LIMIT 3",
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const h of rows) {
      const p = await plan(demo.world, { area: { hazard_id: h.id }, max_distance_m: 15000 });
      check(p, demo.snapshot, (at) => within(geodesicDistance([h.x, h.y], at), h.r), 15000, p.affected.villages <= 40);
    }
  });

  it("a drawn polygon", async () => {
    const polygon = turf.bboxPolygon([104.25, 30.8, 104.33, 30.88]).geometry;
    const p = await plan(demo.world, { area: polygon, max_distance_m: 10000 });
    check(p, demo.snapshot, (at) => turf.booleanPointInPolygon(at, polygon), 10000, p.affected.villages <= 40);
  });

  it("refuses an invalid polygon, an unknown hazard and a negative radius", async () => {
    const bad = async (body: object, status: number, path?: string) => {
      const res = await demo.world.fetch(`${demo.world.base}/api/v1/evacuation-plan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(status);
      if (path) expect(JSON.stringify((await res.json()).errors)).toContain(path);
    };
    await bad(
      {
        area: {
          type: "Polygon",
          coordinates: [
            [
              [104, 30],
              [104.1, 30.1],
              [104.1, 30],
              [104, 30.1],
              [104, 30],
            ],
          ],
        },
      },
      400,
      "area",
    );
    await bad({ area: { hazard_id: 999999 } }, 404);
    await bad({ area: { lon: 104, lat: 30, radius_m: -5 } }, 400, "area");
    await bad({ area: { lon: 104, lat: 30, radius_m: 5 }, max_distance_m: -1 }, 400, "max_distance_m");
  });
});

describe("evacuation plans on small random worlds: the exact optimum", () => {
  it("≤ 8 villages × 6 shelters, 12 worlds", async () => {
    const rnd = prng(99);
    for (let world = 0; world < 12; world++) {
      const w = await startWorld();
      try {
        const centre: LonLat = [104 + rnd(), 30 + rnd()];
        const post = (layer: string, at: LonLat, properties: object) =>
          w.fetch(`${w.base}/api/v1/layers/${layer}/features`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: at }, properties }),
          });
        const nv = 1 + Math.floor(rnd() * 8);
        const ns = 1 + Math.floor(rnd() * 6);
        for (let i = 0; i < nv; i++)
          await post("villages", destination(centre, rnd() * 360, rnd() * 2000), { name: `v${i}`, population: Math.floor(rnd() * 800) });
        for (let j = 0; j < ns; j++) {
          await post("shelters", destination(centre, rnd() * 360, 2500 + rnd() * 6000), {
            name: `s${j}`,
            capacity: Math.floor(rnd() * 900),
            occupancy: Math.floor(rnd() * 100),
            status: rnd() < 0.85 ? "open" : "closed",
          });
        }
        const maxDistance = 3000 + rnd() * 6000;
        const p = await plan(w, { area: { lon: centre[0], lat: centre[1], radius_m: 2000 }, max_distance_m: maxDistance });
        check(p, await snapshot(w.db), (at) => within(geodesicDistance(centre, at), 2000), maxDistance, true);
      } finally {
        await w.close();
      }
    }
  });
});
