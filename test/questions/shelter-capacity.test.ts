import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { geodesicDistance, within } from "../support/truth.ts";

let w: World;
let s: Snapshot;
beforeAll(async () => {
  w = await startDemoWorld();
  s = await snapshot(w.db);
});
afterAll(() => w.close());

/** Per township: population; distinct shelters within the radius of any of its villages; 1.5 m²/person. */
function truth(radius: number) {
  return s.townships.map((t) => {
    const villages = s.villages.filter((v) => v.township_code === t.admin_code);
    const population = villages.reduce((a, v) => a + v.population, 0);
    const reach = s.shelters.filter((x) => villages.some((v) => within(geodesicDistance(v.at, x.at), radius)));
    const capacity = reach.reduce((a, x) => a + x.capacity, 0);
    const effective = reach.reduce((a, x) => a + (x.effective_area_m2 === null ? x.capacity : Math.min(x.capacity, Math.floor(x.effective_area_m2 / 1.5))), 0);
    const below = reach.filter((x) => x.effective_area_m2 !== null && x.effective_area_m2 < 1.5 * x.capacity).map((x) => x.id).sort((a, b) => a - b);
    return {
      township: t.admin_code, name: t.name, villages: villages.length, population, shelters: reach.length, capacity,
      effective_capacity: effective, deficit: Math.max(0, population - capacity), effective_deficit: Math.max(0, population - effective),
      shelters_below_area_standard: below.length, below_area_standard_ids: below,
    };
  });
}

describe("shelter capacity per township against brute force", () => {
  it.each([3000, 5000, 10000])("radius %d m", async (radius) => {
    const res = await w.fetch(`${w.base}/api/v1/shelter-capacity?radius_m=${radius}`);
    expect(res.status).toBe(200);
    const { townships } = await res.json();
    const want = truth(radius);
    expect(townships.length).toBe(want.length);
    for (const t of want) {
      const got = townships.find((x: { township: string }) => x.township === t.township);
      expect(got).toMatchObject(t);
      expect(got.ratio).toBeCloseTo(t.capacity / t.population, 9);
    }
    // least covered first
    const ratios = townships.map((t: { ratio: number }) => t.ratio);
    expect(ratios).toEqual([...ratios].sort((a, b) => a - b));
  });

  it("one township only", async () => {
    const code = s.townships[3]!.admin_code;
    const { townships } = await (await w.fetch(`${w.base}/api/v1/shelter-capacity?radius_m=5000&township=${code}`)).json();
    expect(townships).toHaveLength(1);
    expect(townships[0]).toMatchObject(truth(5000).find((t) => t.township === code)!);
  });
});
