// Honest answers on a real county — Nantou (南投縣: 262 villages, 387 shelters, loaded through the API).
// A bad night: the shelter nearest each village of 信義鄉 is closed (a road cut) and the one nearest each
// village of 南投市 is full. Coverage gaps, village risk and site suggestions must then all count only
// usable shelters, and agree with brute force over GeographicLib distances; depots in another county are
// not "the nearest", and a village whose vulnerable figure is missing makes the exposed total unknown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FeatureCollection, Point } from "geojson";
import { startWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { POINT_TO_POINT_M, geodesicDistance, within, type LonLat } from "../support/truth.ts";
import { uncovered, usable } from "../support/usable.ts";
import { loadNantou } from "../support/nantou.ts";

const XINYI = "10008120"; // 信義鄉
const NANTOU_CITY = "10008010"; // 南投市
/** Real places, for depots of other counties: 金門縣政府 (Kinmen) and 臺中市政府 (Taichung). */
const KINMEN: LonLat = [118.3171, 24.4324];
const TAICHUNG: LonLat = [120.6469, 24.1617];

let w: World;
let s: Snapshot;
const byId = (a: number, b: number) => a - b;
const ids = (xs: { id: number }[]) => xs.map((x) => x.id).sort(byId);
const nearestOf = <T extends { at: LonLat }>(at: LonLat, xs: T[]) =>
  xs.reduce<{ x: T; d: number } | undefined>((best, x) => {
    const d = geodesicDistance(at, x.at);
    return !best || d < best.d ? { x, d } : best;
  }, undefined);

async function send(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await w.fetch(`${w.base}${path}`, { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const answer = await res.json();
  expect(res.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer;
}

async function getJson(path: string) {
  const res = await w.fetch(`${w.base}${path}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

async function risk() {
  return ((await getJson("/api/v1/layers/village-risk/features?limit=10000")) as FeatureCollection<Point, Record<string, unknown>>).features;
}

/** Close (or fill) the shelter nearest each village of a township, through the API as an operator would. */
async function strike(township: string, change: (shelter: Snapshot["shelters"][number]) => object): Promise<number[]> {
  const struck = new Set(s.villages.filter((v) => v.township_code === township).map((v) => nearestOf(v.at, s.shelters)!.x));
  for (const x of struck) {
    const { version } = (await w.db("shelters").where({ id: x.id }).first("version"))!;
    await send("PATCH", `/api/v1/layers/shelters/features/${x.id}`, { properties: change(x) }, { "If-Match": `"${version}"` });
  }
  return ids([...struck]);
}

let closed: number[];
let full: number[];
beforeAll(async () => {
  w = await startWorld();
  await loadNantou(w);
  s = await snapshot(w.db);
  closed = await strike(XINYI, () => ({ status: "closed" }));
  full = await strike(NANTOU_CITY, (x) => ({ occupancy: x.capacity }));
  s = await snapshot(w.db);
}, 300_000);
afterAll(async () => {
  await w?.close();
});

describe("Nantou, a bad night: every answer counts only usable shelters", () => {
  it("the night is as staged: the struck shelters are closed or full, and they mattered", () => {
    expect(closed.length).toBeGreaterThan(3);
    expect(full.length).toBeGreaterThan(3);
    expect(s.shelters.filter((x) => closed.includes(x.id)).every((x) => x.status === "closed")).toBe(true);
    expect(s.shelters.filter((x) => full.includes(x.id)).every((x) => x.occupancy === x.capacity && x.status === "open")).toBe(true);
    // counting every shelter, as coverage-gaps once did by default, would call more villages covered
    expect(uncovered(s.villages, usable(s).shelters, 2000).length).toBeGreaterThan(uncovered(s.villages, s.shelters, 2000).length);
  });

  for (const radius of [1000, 2000, 5000]) {
    it(`coverage-gaps, R = ${radius} m: brute force over usable shelters`, async () => {
      const want = uncovered(s.villages, usable(s).shelters, radius);
      const got = await getJson(`/api/v1/coverage-gaps?layer=shelters&radius_m=${radius}`);
      expect(ids(got.features)).toEqual(ids(want));
      expect(got.summary.uncovered_population).toBe(want.reduce((a, v) => a + v.population, 0));
    });
  }

  it("village-risk: covered is coverage-gaps within 5 km, nearest_shelter_m the nearest usable one", async () => {
    const help = usable(s).shelters;
    const rows = await risk();
    expect(rows).toHaveLength(262);
    for (const f of rows) {
      const v = s.villages.find((x) => x.id === f.id)!;
      const nearest = nearestOf(v.at, help)!;
      expect(Math.abs((f.properties.nearest_shelter_m as number) - nearest.d), `village ${v.id}`).toBeLessThanOrEqual(POINT_TO_POINT_M);
      expect(f.properties.nearest_shelter_note).toBeNull();
      expect(f.properties.covered, `village ${v.id}`).toBe(within(nearest.d, 5000));
    }
    const gaps = await getJson("/api/v1/coverage-gaps?layer=shelters&radius_m=5000");
    expect(
      rows
        .filter((f) => !f.properties.covered)
        .map((f) => Number(f.id))
        .sort(byId),
    ).toEqual(ids(gaps.features));
  });

  it("site-suggestions in 信義鄉 covers exactly the villages coverage-gaps calls uncovered there", async () => {
    const gaps = await getJson(`/api/v1/coverage-gaps?layer=shelters&radius_m=2000&township=${XINYI}`);
    const want = uncovered(
      s.villages.filter((v) => v.township_code === XINYI && v.population > 0),
      usable(s).shelters,
      2000,
    );
    expect(want.length).toBeGreaterThan(0);
    expect(ids(gaps.features)).toEqual(ids(want));
    const sites = await send("POST", "/api/v1/site-suggestions", { layer: "shelters", radius_m: 2000, count: 50, township: XINYI });
    expect(sites.suggestions.length).toBeLessThan(50);
    expect(sites.suggestions.flatMap((x: { covered_village_ids: number[] }) => x.covered_village_ids).sort(byId)).toEqual(ids(want));
    expect(sites.uncovered_population).toBe(gaps.summary.uncovered_population);
  });
});

describe("Nantou: far is not near, unknown is not zero", () => {
  it("no depot: 'none'; Kinmen's depot with stock: beyond reach; Taichung's empty one: not usable; stocked: metres", async () => {
    expect((await risk()).every((f) => f.properties.nearest_depot_m === null && f.properties.nearest_depot_note === "none")).toBe(true);

    const kinmen = await send("POST", "/api/v1/layers/depots/features", {
      type: "Feature",
      geometry: { type: "Point", coordinates: KINMEN },
      properties: { name: "金門縣應急物資儲備庫", level: "county" },
    });
    await send("PUT", `/api/v1/depots/${kinmen.id}/stock`, { rows: [{ item: "tent", quantity: 500 }] }, { "If-Match": '"1"' });
    const taichung = await send("POST", "/api/v1/layers/depots/features", {
      type: "Feature",
      geometry: { type: "Point", coordinates: TAICHUNG },
      properties: { name: "臺中市應急物資儲備庫", level: "county" },
    });
    expect(s.villages.every((v) => geodesicDistance(v.at, KINMEN) > 200_000)).toBe(true);
    for (const f of await risk()) expect(f.properties, `village ${f.id}`).toMatchObject({ nearest_depot_m: null, nearest_depot_note: "beyond_reach" });

    await send("PUT", `/api/v1/depots/${taichung.id}/stock`, { rows: [{ item: "quilt", quantity: 800 }] }, { "If-Match": '"1"' });
    for (const f of await risk()) {
      const d = geodesicDistance(s.villages.find((v) => v.id === f.id)!.at, TAICHUNG);
      expect(d).toBeLessThan(200_000);
      expect(Math.abs((f.properties.nearest_depot_m as number) - d), `village ${f.id}`).toBeLessThanOrEqual(POINT_TO_POINT_M);
      expect(f.properties.nearest_depot_note).toBeNull();
    }
    // coverage by depots within 20 km follows the same rule: only the stocked depots count, and Kinmen is too far
    const want = uncovered(s.villages, [{ at: TAICHUNG }], 20_000);
    expect(ids((await getJson("/api/v1/coverage-gaps?layer=depots&radius_m=20000")).features)).toEqual(ids(want));
  });

  it("a village missing its age figures makes the vulnerable total of a hazard's zone unknown, not smaller", async () => {
    // a flood point at 南投市's centre, 3 km: the figures are the household register's (65+ and 0–14)
    const centre = s.villages.find((v) => v.township_code === NANTOU_CITY)!.at;
    const hazard = await send("POST", "/api/v1/layers/hazards/features", {
      type: "Feature",
      geometry: { type: "Point", coordinates: centre },
      properties: { name: "貓羅溪溢堤", kind: "flood_zone", risk_level: 2, influence_radius_m: 3000 },
    });
    const exposed = s.villages.filter((v) => within(geodesicDistance(centre, v.at), 3000)).map((v) => v.id);
    expect(exposed.length).toBeGreaterThan(2);
    const figure = new Map((await w.db("villages").whereIn("id", exposed).select("id", "vulnerable")).map((r) => [Number(r.id), r.vulnerable as number]));
    const sum = (xs: number[]) => xs.reduce((a, id) => a + figure.get(id)!, 0);
    expect(await getJson(`/api/v1/hazards/${hazard.id}/exposure`)).toMatchObject({
      vulnerable: sum(exposed),
      vulnerable_known: sum(exposed),
      vulnerable_unknown_villages: 0,
    });

    const { version } = (await w.db("villages").where({ id: exposed[0] }).first("version"))!;
    await send("PATCH", `/api/v1/layers/villages/features/${exposed[0]}`, { properties: { vulnerable: null } }, { "If-Match": `"${version}"` });
    expect(await getJson(`/api/v1/hazards/${hazard.id}/exposure`)).toMatchObject({
      vulnerable: null,
      vulnerable_known: sum(exposed.slice(1)),
      vulnerable_unknown_villages: 1,
    });
  });
});
