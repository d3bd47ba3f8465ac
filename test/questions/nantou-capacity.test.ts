// Shelter capacity on a real county — Nantou (南投縣, Taiwan: 13 townships, 262 villages, 387 shelters with
// 45,433 planned places), loaded through the API — against an independent maximum flow over the
// village–shelter pairs by GeographicLib geodesics (test/support/capacity_truth.ts). Counting every
// shelter within reach once per township made the county's places 46,190 at 5 km, more than it has;
// one allocation never counts a place twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MultiPolygon } from "geojson";
import { startWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { loadNantou } from "../support/nantou.ts";
import { capacityTruth, expectCapacity, type CapacityAnswer } from "../support/capacity_truth.ts";

let w: World;
let s: Snapshot;
let polygons: { admin_code: string; id: number; geom: MultiPolygon }[];
beforeAll(async () => {
  w = await startWorld();
  await loadNantou(w);
  s = await snapshot(w.db);
  polygons = (await w.db.raw("SELECT id::int, admin_code, ST_AsGeoJSON(geom)::json AS geom FROM townships WHERE admin_code IS NOT NULL")).rows;
}, 300_000);
afterAll(async () => {
  await w?.close();
});

async function capacity(query: string): Promise<CapacityAnswer> {
  const res = await w.fetch(`${w.base}/api/v1/shelter-capacity?${query}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

describe("Nantou shelter capacity: one allocation of the county's free places", () => {
  for (const radius of [1000, 3000, 5000]) {
    it(`all 13 townships, R = ${radius} m`, async () => {
      const truth = capacityTruth(s, polygons, radius);
      const got = await capacity(`radius_m=${radius}`);
      expectCapacity(got, truth);
      expect(got.townships.filter((t) => t.township !== null)).toHaveLength(13);
      // every shelter is open and empty: the places are the planned 45,433, counted once; nobody is
      // sheltered in a place out of reach of every village
      expect(got.total.places).toBe(45_433);
      const inReach = new Set(truth.pairs.map((p) => p.shelter));
      const placesInReach = truth.usable.filter((x) => inReach.has(x.id)).reduce((a, x) => a + x.free, 0);
      expect(got.total.sheltered).toBeLessThanOrEqual(placesInReach);
      expect(got.total.population).toBe(489_509);
      // a county far short of places: people are left for both reasons
      expect(got.townships.some((t) => t.unsheltered_reasons.no_place_left > 0)).toBe(true);
      // the shelters outside every township (3022 with its longitude typo, 4151 in the sea) are the
      // "no township" row's places, and no village reaches them
      const none = got.townships.find((t) => t.township === null)!;
      expect(none).toMatchObject({ villages: 0, population: 0, places_used: 0 });
      expect(none.shelters).toBeGreaterThanOrEqual(2);
    });
  }

  it("one township, 水里鄉 (100081100000), R = 3000 m: its row, solved with its rivals for the same shelters", async () => {
    const code = "10008110";
    const truth = capacityTruth(s, polygons, 3000);
    const one = await capacity(`radius_m=3000&township=${code}`);
    const full = await capacity("radius_m=3000");
    expect(one.townships.map((t) => t.township)).toEqual([code]);
    const row = one.townships[0]!;
    const inFull = full.townships.find((t) => t.township === code)!;
    for (const k of ["name", "villages", "population", "shelters", "places", "below_area_standard_ids"] as const) expect(row[k], k).toEqual(inFull[k]);
    expect(row.unsheltered_reasons.no_shelter_in_reach).toBe(inFull.unsheltered_reasons.no_shelter_in_reach);
    const townshipOf = new Map(truth.villages.map((v) => [v.id, v.township]));
    const reached = new Set(truth.pairs.filter((p) => townshipOf.get(p.village) === code).map((p) => p.shelter));
    const rivals = new Set([code, ...truth.pairs.filter((p) => reached.has(p.shelter)).map((p) => townshipOf.get(p.village)!)]);
    expect(new Set(one.area.townships)).toEqual(rivals);
    expect(one.area.sheltered).toBe(truth.maxShelteredOver([...rivals]));
    expect(row.sheltered).toBeLessThanOrEqual(truth.maxShelteredOver([code]));
    expect(row.sheltered + row.unsheltered).toBe(row.population);
  });
});
