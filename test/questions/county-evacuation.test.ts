// The county-wide allocation the evacuation books print, held to truth computed here: capacities kept,
// everyone accounted for, straight distances geodesic, and without roads as many people placed as an
// independent maximum flow over the brute-force pairs allows.
import { describe, expect, it } from "vitest";
import { useDemoWorld } from "../support/demo_world.ts";
import { usable } from "../support/usable.ts";
import { geodesicDistance, within } from "../support/truth.ts";
import { maxFlow } from "../support/max_flow.ts";
import type { Snapshot } from "../support/snapshot.ts";
import { countyEvacuation, type CountyEvacuation } from "../../server/questions/county_evacuation.ts";

/** What holds of any allocation: no shelter over its free places, every person placed or unassigned, distances geodesic. */
function expectSound(plan: CountyEvacuation, s: Snapshot) {
  const shelters = new Map(usable(s).shelters.map((x) => [x.id, x]));
  const villages = new Map(s.villages.filter((v) => v.population > 0).map((v) => [v.id, v]));
  const received = new Map<number, number>();
  const sent = new Map<number, number>();
  for (const a of plan.assignments) {
    const [v, sh] = [villages.get(a.village_id)!, shelters.get(a.shelter_id)!];
    expect(sh, `shelter ${a.shelter_id} is usable`).toBeDefined();
    expect(Math.abs(a.distance_m - geodesicDistance(v.at, sh.at))).toBeLessThan(0.01);
    expect(within(a.distance_m, 20_000)).toBe(true);
    received.set(a.shelter_id, (received.get(a.shelter_id) ?? 0) + a.people);
    sent.set(a.village_id, (sent.get(a.village_id) ?? 0) + a.people);
  }
  for (const [id, n] of received) expect(n).toBeLessThanOrEqual(shelters.get(id)!.capacity - shelters.get(id)!.occupancy);
  const left = new Map(plan.unassigned.map((u) => [u.village_id, u.people]));
  for (const v of villages.values()) expect((sent.get(v.id) ?? 0) + (left.get(v.id) ?? 0)).toBe(v.population);
}

describe("the county-wide allocation by road", () => {
  const demo = useDemoWorld();
  it("keeps capacities, accounts for everyone, sends people by road within an hour, and names the roads", async () => {
    const plan = await countyEvacuation(demo.world.db);
    expect(plan.by).toBe("road");
    expectSound(plan, demo.snapshot);
    expect(plan.assignments.length).toBeGreaterThan(50);
    for (const a of plan.assignments) {
      expect(a.travel_time_s).toBeLessThanOrEqual(3600);
      // a road route is never shorter than the straight line (1 m for the joins' rounding)
      expect(a.road_distance_m! + 1).toBeGreaterThanOrEqual(a.distance_m);
    }
    const names = new Set((await demo.world.db("roads").select("name")).map((r) => r.name as string));
    const described = [...plan.routes.values()].filter((r) => r.length > 0);
    expect(described.length).toBeGreaterThan(plan.assignments.length / 2);
    for (const route of described) for (const r of route) expect(names.has(r.name)).toBe(true);
  });
});

describe("the county-wide allocation without roads", () => {
  const demo = useDemoWorld({ prepare: (db) => db("roads").delete() });
  it("is straight, and places as many people as a maximum flow over the brute-force pairs within 20 km", async () => {
    const plan = await countyEvacuation(demo.world.db);
    expect(plan.by).toBe("straight");
    expectSound(plan, demo.snapshot);
    const villages = demo.snapshot.villages.filter((v) => v.population > 0);
    const shelters = usable(demo.snapshot).shelters;
    const [S, T] = [villages.length + shelters.length, villages.length + shelters.length + 1];
    const edges = [
      ...villages.map((v, i) => ({ from: S, to: i, cap: v.population })),
      ...shelters.map((s, j) => ({ from: villages.length + j, to: T, cap: s.capacity - s.occupancy })),
      ...villages.flatMap((v, i) =>
        shelters.flatMap((s, j) => (within(geodesicDistance(v.at, s.at), 20_000) ? [{ from: i, to: villages.length + j, cap: v.population }] : [])),
      ),
    ];
    const placed = plan.assignments.reduce((n, a) => n + a.people, 0);
    expect(placed).toBeGreaterThan(0);
    expect(placed).toBe(maxFlow(T + 1, edges, S, T));
  });
});
