// Shelter capacity per township on the demo county, against an independent maximum flow (Dinic, written
// here) over village–shelter pairs within the radius by GeographicLib geodesics, and township membership
// by turf point-in-polygon: the total sheltered is the most anyone could shelter, townships add up to it,
// no place is counted twice, and the reasons for the unsheltered are right.
import { describe, expect, it } from "vitest";
import type { MultiPolygon } from "geojson";
import { useDemoWorld } from "../support/demo_world.ts";
import { capacityTruth, expectCapacity, type CapacityAnswer } from "../support/capacity_truth.ts";
import { startWorld } from "../support/world.ts";
import { MAX_ALLOCATION_VILLAGES } from "../../server/questions/shelter_capacity.ts";

let polygons: { admin_code: string; id: number; geom: MultiPolygon }[];
// What the demo lacks: a closed shelter, a half-full one, one short of area (1.5 m² a person), and a
// village that belongs to no township, next to a shelter.
const demo = useDemoWorld({
  prepare: async (db) => {
    const ids = (await db("shelters").orderBy("id").select("id")).map((r) => Number(r.id));
    await db("shelters").where({ id: ids[0] }).update({ status: "closed" });
    await db("shelters")
      .where({ id: ids[1] })
      .update({ occupancy: db.raw("capacity / 2") });
    await db("shelters")
      .where({ id: ids[2] })
      .update({ effective_area_m2: db.raw("capacity * 1.2") });
    await db("shelters")
      .where({ id: ids[3] })
      .update({ effective_area_m2: db.raw("capacity * 2") });
    await db.raw(
      `INSERT INTO villages (name, geom, population, township_code)
      SELECT '无乡镇村', ST_Translate(geom, 0.001, 0), 800, NULL FROM shelters WHERE id = ?`,
      [ids[4]!],
    );
    polygons = (await db.raw("SELECT id::int, admin_code, ST_AsGeoJSON(geom)::json AS geom FROM townships WHERE admin_code IS NOT NULL")).rows;
  },
});

const get = (path: string) => demo.world.fetch(`${demo.world.base}/api/v1/shelter-capacity?${path}`);

describe("shelter capacity: one allocation over the county", () => {
  it.each([2000, 5000, 10000])("radius %d m", async (radius) => {
    const res = await get(`radius_m=${radius}`);
    expect(res.status).toBe(200);
    const got = (await res.json()) as CapacityAnswer;
    const truth = capacityTruth(demo.snapshot, polygons, radius);
    expectCapacity(got, truth);
    expect(got.radius_m).toBe(radius);
    // the demo is short of places at small radii and has remote villages: both reasons occur
    if (radius === 2000) {
      expect(got.total.unsheltered).toBeGreaterThan(0);
      expect(got.townships.some((t) => t.unsheltered_reasons.no_shelter_in_reach > 0)).toBe(true);
    }
    // the area standard is a warning: the shelter short of area is named, its places still count
    const short = demo.snapshot.shelters.find((x) => x.effective_area_m2 !== null && x.effective_area_m2 < 1.5 * x.capacity && x.status === "open")!;
    expect(got.townships.flatMap((t) => t.below_area_standard_ids)).toContain(short.id);
    // the village with no township is counted in a row of its own, never dropped
    const none = got.townships.find((t) => t.township === null)!;
    expect(none).toMatchObject({ name: null, villages: 1, population: 800 });
    expect(none.sheltered).toBeGreaterThan(0);
  });

  it("one township: its row, from one allocation with the townships that compete for its shelters", async () => {
    const truth = capacityTruth(demo.snapshot, polygons, 5000);
    const full = (await (await get("radius_m=5000")).json()) as CapacityAnswer;
    for (const { admin_code: code } of demo.snapshot.townships) {
      const res = await get(`radius_m=5000&township=${code}`);
      expect(res.status).toBe(200);
      const one = (await res.json()) as CapacityAnswer;
      expect(one.townships).toHaveLength(1);
      const row = one.townships[0]!;
      const inFull = full.townships.find((t) => t.township === code)!;
      // what does not depend on the flow is as in the county's answer
      const { sheltered: _s, unsheltered: _u, unsheltered_reasons, places_used: _p, places_serving_others: _o, ...fixed } = inFull;
      expect(row).toMatchObject(fixed);
      expect(row.unsheltered_reasons.no_shelter_in_reach).toBe(unsheltered_reasons.no_shelter_in_reach);
      expect(row.sheltered + row.unsheltered).toBe(row.population);
      expect(row.unsheltered_reasons.no_place_left).toBe(row.unsheltered - row.unsheltered_reasons.no_shelter_in_reach);
      expect(one.total).toEqual({
        villages: row.villages,
        population: row.population,
        sheltered: row.sheltered,
        unsheltered: row.unsheltered,
        places: row.places,
      });
      // the area: the township and every township with a village within reach of a shelter its villages reach
      const reached = new Set(truth.pairs.filter((p) => truth.villages.find((v) => v.id === p.village)!.township === code).map((p) => p.shelter));
      const rivals = new Set([code, ...truth.pairs.filter((p) => reached.has(p.shelter)).map((p) => truth.villages.find((v) => v.id === p.village)!.township)]);
      expect(new Set(one.area.townships)).toEqual(rivals);
      expect(one.area.sheltered).toBe(truth.maxShelteredOver([...rivals]));
      expect(row.sheltered).toBeLessThanOrEqual(truth.maxShelteredOver([code]));
    }
  });

  it("an unknown township is 404 problem+json; a malformed one 400", async () => {
    const unknown = await get("radius_m=5000&township=999999999000");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect((await unknown.json()).detail).toMatch(/999999999000/);
    const bad = await get("radius_m=5000&township=12");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/township/);
  });
});

describe("shelter capacity over more villages than one allocation is solved for", () => {
  it("refuses the whole area (422 naming township, and the limit), and still answers per township", async () => {
    const w = await startWorld();
    try {
      await w.db.raw(`INSERT INTO townships (name, admin_code, geom)
        VALUES ('大乡', '110101001000', ST_Multi(ST_MakeEnvelope(116, 39, 117, 40, 4326)))`);
      // one more village than the limit, 100 m apart in a grid inside the township
      await w.db.raw(
        `INSERT INTO villages (name, geom, population, township_code)
         SELECT 'v' || i, ST_SetSRID(ST_MakePoint(116.1 + (i % 300) * 0.001, 39.1 + (i / 300) * 0.001), 4326), 10, '110101001000'
         FROM generate_series(0, ?) AS i`,
        [MAX_ALLOCATION_VILLAGES],
      );
      const whole = await w.fetch(`${w.base}/api/v1/shelter-capacity?radius_m=1000`);
      expect(whole.status).toBe(422);
      expect(whole.headers.get("content-type")).toMatch(/application\/problem\+json/);
      const problem = await whole.json();
      expect(problem.errors[0].path).toEqual(["township"]);
      expect(problem.detail).toMatch(String(MAX_ALLOCATION_VILLAGES));
      const one = await w.fetch(`${w.base}/api/v1/shelter-capacity?radius_m=1000&township=110101001000`);
      expect(one.status).toBe(200);
      expect((await one.json()).total).toMatchObject({ villages: MAX_ALLOCATION_VILLAGES + 1, sheltered: 0, places: 0 });
    } finally {
      await w.close();
    }
  });
});
