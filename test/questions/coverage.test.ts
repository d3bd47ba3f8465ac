import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { destination, type LonLat } from "../support/truth.ts";
import { useDemoWorld } from "../support/demo_world.ts";
import { uncovered, usable } from "../support/usable.ts";

const demo = useDemoWorld();

const get = async (world: World, q: string) => {
  const res = await world.fetch(`${world.base}/api/v1/coverage-gaps?${q}`);
  expect(res.status).toBe(200);
  return res.json();
};

describe("coverage gaps against brute force (usable resources only)", () => {
  it.each([
    ["shelters", 5000],
    ["shelters", 2000],
    ["depots", 8000],
    ["teams", 6000],
    ["shelters", 0],
  ] as const)("%s within %d m: the same villages, the same uncovered population", async (layer, radius) => {
    const got = await get(demo.world, `layer=${layer}&radius_m=${radius}`);
    const want = uncovered(demo.snapshot.villages, usable(demo.snapshot)[layer], radius);
    expect(got.features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b)).toEqual(want.map((v) => v.id).sort((a, b) => a - b));
    expect(got.summary).toEqual({
      villages: demo.snapshot.villages.length,
      population: demo.snapshot.villages.reduce((a, v) => a + v.population, 0),
      uncovered_villages: want.length,
      uncovered_population: want.reduce((a, v) => a + v.population, 0),
    });
    if (radius === 5000) expect(want.length).toBeGreaterThan(0); // the demo county's story: remote villages
  });

  it("within a region (bbox)", async () => {
    const [x0, y0, x1, y1] = [104.1, 30.7, 104.35, 30.95];
    const got = await get(demo.world, `layer=shelters&radius_m=2500&bbox=${x0},${y0},${x1},${y1}`);
    const region = demo.snapshot.villages.filter((v) => v.at[0] >= x0 && v.at[0] <= x1 && v.at[1] >= y0 && v.at[1] <= y1);
    const want = uncovered(region, usable(demo.snapshot).shelters, 2500);
    expect(got.features.map((f: { id: number }) => f.id).sort()).toEqual(want.map((v) => v.id).sort());
    expect(got.summary.villages).toBe(region.length);
    expect(got.summary.uncovered_population).toBe(want.reduce((a, v) => a + v.population, 0));
  });

  it("within one township", async () => {
    for (const t of demo.snapshot.townships.slice(0, 5)) {
      const got = await get(demo.world, `layer=shelters&radius_m=3000&township=${t.admin_code}`);
      const want = uncovered(
        demo.snapshot.villages.filter((v) => v.township_code === t.admin_code),
        usable(demo.snapshot).shelters,
        3000,
      );
      expect(got.features.map((f: { id: number }) => f.id).sort()).toEqual(want.map((v) => v.id).sort());
      expect(got.summary.villages).toBe(demo.snapshot.villages.filter((v) => v.township_code === t.admin_code).length);
    }
  });
});

describe("coverage gaps at the edges", () => {
  let e: World;
  beforeAll(async () => {
    e = await startWorld();
  });
  afterAll(() => e.close());
  const post = (layer: string, at: LonLat, properties: object) =>
    e
      .fetch(`${e.base}/api/v1/layers/${layer}/features`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: at }, properties }),
      })
      .then((r) => r.json());

  it("an empty covering layer leaves every village uncovered; a village exactly at the radius is covered", async () => {
    const shelter: LonLat = [104.2, 30.8];
    const atRadius = destination(shelter, 37, 5000);
    const beyond = destination(shelter, 37, 5000.5);
    const onTop = await post("villages", shelter, { name: "on top", population: 10 });
    const edge = await post("villages", atRadius, { name: "edge", population: 20 });
    const far = await post("villages", beyond, { name: "beyond", population: 30 });
    expect((await get(e, "layer=teams&radius_m=5000")).summary).toEqual({ villages: 3, population: 60, uncovered_villages: 3, uncovered_population: 60 });

    await post("shelters", shelter, { name: "s", capacity: 100 });
    const ids = async (radius: number) => (await get(e, `layer=shelters&radius_m=${radius}`)).features.map((f: { id: number }) => f.id);
    expect(await ids(5000)).toEqual([far.id]);
    expect(await ids(0)).toEqual([edge.id, far.id]);
    expect(await ids(4999)).toEqual([edge.id, far.id]);
    expect(onTop.id).toBeDefined();
  });

  it("refuses bad parameters, naming them", async () => {
    for (const [q, field] of [
      ["layer=shelters&radius_m=-1", "radius_m"],
      ["layer=shelters&radius_m=10&open_only=true", "open_only"],
      ["layer=rivers&radius_m=10", "layer"],
      ["layer=shelters&radius_m=10&township=12", "township"],
      ["layer=shelters", "radius_m"],
    ]) {
      const res = await e.fetch(`${e.base}/api/v1/coverage-gaps?${q}`);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.map((x: { path: string[] }) => x.path[0])).toContain(field);
    }
  });
});
