// "A village is covered" means one thing in every answer: a usable resource (a shelter open with free
// places, a team on standby, a depot holding stock) within the radius. A small world puts every kind of
// unusable resource — closed, full by status, full by numbers, capacity 0, deployed, no stock rows, only
// empty rows — right beside the villages farthest from the usable ones, then asks coverage-gaps,
// village-risk and site-suggestions side by side and checks each against brute force (GeographicLib).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FeatureCollection, Point } from "geojson";
import { startWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { POINT_TO_POINT_M, destination, geodesicDistance, type LonLat } from "../support/truth.ts";
import { uncovered, usable } from "../support/usable.ts";
import { prng } from "../support/prng.ts";
import { createDb } from "../../server/db.ts";

const CENTRE: LonLat = [104.2, 30.8];
const RADIUS = 3000;
/** village_risk.covered's radius (a usable shelter within 5 km). */
const COVERED_WITHIN_M = 5000;

let w: World;
let s: Snapshot;
/** The village each unusable resource sits beside, by what makes it unusable. */
const besides = new Map<string, number>();

async function post(layer: string, at: LonLat, properties: object): Promise<{ id: number }> {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: at }, properties }),
  });
  expect(res.status).toBe(201);
  return res.json();
}

async function putStock(depot: number, rows: object[]) {
  const res = await w.fetch(`${w.base}/api/v1/depots/${depot}/stock`, {
    method: "PUT",
    headers: { "content-type": "application/json", "If-Match": '"1"' },
    body: JSON.stringify({ rows }),
  });
  expect(res.status).toBe(200);
}

const byId = (a: number, b: number) => a - b;
const ids = (xs: { id: number }[]) => xs.map((x) => x.id).sort(byId);

async function gaps(layer: string, radius: number) {
  const res = await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=${layer}&radius_m=${radius}`);
  expect(res.status).toBe(200);
  const body = await res.json();
  return { ids: ids(body.features), summary: body.summary };
}

async function risk() {
  const res = await w.fetch(`${w.base}/api/v1/layers/village-risk/features?limit=10000`);
  expect(res.status).toBe(200);
  return ((await res.json()) as FeatureCollection<Point, Record<string, unknown>>).features;
}

/** Every village a greedy run of site suggestions covers, when allowed enough sites to cover them all. */
async function suggested(layer: string, radius: number) {
  const res = await w.fetch(`${w.base}/api/v1/site-suggestions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ layer, radius_m: radius, count: 50 }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { suggestions: { covered_village_ids: number[] }[]; uncovered_population: number };
  expect(body.suggestions.length).toBeLessThan(50); // it stopped because nothing was left, not for want of sites
  return { ids: body.suggestions.flatMap((x) => x.covered_village_ids).sort(byId), uncovered_population: body.uncovered_population };
}

beforeAll(async () => {
  w = await startWorld();
  const random = prng(2026);
  const around = (r: number): LonLat => destination(CENTRE, random() * 360, r * Math.sqrt(random()));
  for (let i = 0; i < 36; i++) await post("villages", around(15_000), { name: `村${i}`, population: 50 + Math.floor(random() * 900) });
  const usableShelters = [
    await post("shelters", around(6000), { name: "开放1", capacity: 300, occupancy: 100 }),
    await post("shelters", around(6000), { name: "开放2", capacity: 200 }),
  ];
  await post("teams", around(6000), { name: "待命队", team_type: "fire_rescue", headcount: 20 });
  const stocked = await post("depots", around(6000), { name: "有库存", level: "township" });
  await putStock(stocked.id, [{ item: "tent", quantity: 40 }]);
  expect(usableShelters).toHaveLength(2);

  // the villages farthest from every usable resource get an unusable one 300 m away
  s = await snapshot(w.db);
  const help = [...s.shelters, ...s.teams, ...s.depots];
  const far = [...s.villages].sort(
    (a, b) => Math.min(...help.map((x) => geodesicDistance(b.at, x.at))) - Math.min(...help.map((x) => geodesicDistance(a.at, x.at))),
  );
  const unusable: [kind: string, layer: string, properties: object][] = [
    ["closed", "shelters", { name: "关闭", capacity: 500, status: "closed" }],
    ["status full", "shelters", { name: "已满(状态)", capacity: 500, status: "full" }],
    ["no free places", "shelters", { name: "已满(人数)", capacity: 80, occupancy: 80 }],
    ["capacity 0", "shelters", { name: "零容量", capacity: 0 }],
    ["deployed", "teams", { name: "已出动", team_type: "medical", headcount: 8, status: "deployed" }],
    ["no stock rows", "depots", { name: "空库", level: "village" }],
    ["only empty rows", "depots", { name: "零库存", level: "village" }],
  ];
  for (const [k, [kind, layer, properties]] of unusable.entries()) {
    const village = far[k]!;
    const { id } = await post(layer, destination(village.at, 45, 300), properties);
    if (kind === "only empty rows")
      await putStock(id, [
        { item: "tent", quantity: 0 },
        { item: "quilt", quantity: 0 },
      ]);
    besides.set(kind, village.id);
  }
  s = await snapshot(w.db);
}, 120_000);
afterAll(() => w?.close());

describe("one meaning of covered: every answer agrees with brute force over usable resources", () => {
  for (const layer of ["shelters", "teams", "depots"] as const) {
    it(`${layer}: coverage-gaps and site-suggestions give the same uncovered villages, and the unusable ones cover none`, async () => {
      const want = uncovered(s.villages, usable(s)[layer], RADIUS);
      const wantIds = ids(want);
      // the test bites: counting every resource of the layer would cover the villages the unusable ones sit beside
      const countingAll = ids(uncovered(s.villages, s[layer], RADIUS));
      const beside = [...besides.entries()].filter(([kind]) =>
        ({ shelters: ["closed", "status full", "no free places", "capacity 0"], teams: ["deployed"], depots: ["no stock rows", "only empty rows"] })[
          layer
        ].includes(kind),
      );
      for (const [kind, village] of beside) {
        expect(wantIds, kind).toContain(village);
        expect(countingAll, kind).not.toContain(village);
      }

      const got = await gaps(layer, RADIUS);
      expect(got.ids).toEqual(wantIds);
      expect(got.summary).toEqual({
        villages: s.villages.length,
        population: s.villages.reduce((a, v) => a + v.population, 0),
        uncovered_villages: want.length,
        uncovered_population: want.reduce((a, v) => a + v.population, 0),
      });

      const sites = await suggested(layer, RADIUS);
      expect(sites.ids).toEqual(wantIds);
      expect(sites.uncovered_population).toBe(got.summary.uncovered_population);
    });
  }

  it("village-risk's covered is coverage-gaps' answer for shelters within 5 km", async () => {
    const want = ids(uncovered(s.villages, usable(s).shelters, COVERED_WITHIN_M));
    const rows = await risk();
    expect(
      rows
        .filter((f) => f.properties.covered === false)
        .map((f) => Number(f.id))
        .sort(byId),
    ).toEqual(want);
    expect(rows.filter((f) => f.properties.covered === true)).toHaveLength(s.villages.length - want.length);
    expect((await gaps("shelters", COVERED_WITHIN_M)).ids).toEqual(want);
    expect(want).toContain(besides.get("closed"));
  });

  it("follows an edit: reopening the closed shelter covers the village beside it in every answer", async () => {
    const village = besides.get("closed")!;
    const closed = (await w.db("shelters").where({ status: "closed" }).first("id", "version"))!;
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/features/${closed.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": `"${closed.version}"` },
      body: JSON.stringify({ properties: { status: "open" } }),
    });
    expect(res.status).toBe(200);
    s = await snapshot(w.db);
    const want = ids(uncovered(s.villages, usable(s).shelters, RADIUS));
    expect(want).not.toContain(village);
    expect((await gaps("shelters", RADIUS)).ids).toEqual(want);
    expect((await suggested("shelters", RADIUS)).ids).toEqual(want);
    const row = (await risk()).find((f) => f.id === village)!;
    expect(row.properties.covered).toBe(true);
    expect(Math.abs((row.properties.nearest_shelter_m as number) - 300)).toBeLessThan(0.01);
  });

  it("open_only is refused, naming it, not silently ignored", async () => {
    const get = await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=3000&open_only=true`);
    expect(get.status).toBe(400);
    expect(get.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await get.json()).errors).toEqual([{ path: ["open_only"], message: expect.stringMatching(/withdrawn.*usable/) }]);
    const post = await w.fetch(`${w.base}/api/v1/site-suggestions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ layer: "shelters", radius_m: 3000, count: 3, open_only: false }),
    });
    expect(post.status).toBe(400);
    expect((await post.json()).errors.map((e: { path: string[] }) => e.path)).toEqual([["open_only"]]);
  });
});

describe("far is not near: the nearest beyond the reach is null, with the reason", () => {
  it("a village 250 km from everything gets null distances marked beyond_reach; one 150 km away gets metres", async () => {
    const remote = await post("villages", destination(CENTRE, 90, 250_000), { name: "远村", population: 40 });
    const outlying = await post("villages", destination(CENTRE, 270, 150_000), { name: "外村", population: 40 });
    const rows = await risk();
    const p = rows.find((f) => f.id === remote.id)!.properties;
    expect(p).toMatchObject({
      nearest_shelter_m: null,
      nearest_shelter_note: "beyond_reach",
      nearest_depot_m: null,
      nearest_depot_note: "beyond_reach",
      nearest_team_m: null,
      nearest_team_note: "beyond_reach",
      covered: false,
    });
    s = await snapshot(w.db);
    const help = usable(s);
    const truth = (at: LonLat, xs: { at: LonLat }[]) => Math.min(...xs.map((x) => geodesicDistance(at, x.at)));
    const q = rows.find((f) => f.id === outlying.id)!.properties;
    const at = s.villages.find((v) => v.id === outlying.id)!.at;
    for (const [kind, xs] of [
      ["shelter", help.shelters],
      ["depot", help.depots],
      ["team", help.teams],
    ] as const) {
      expect(truth(at, xs)).toBeGreaterThan(130_000); // far, but within the 200 km reach
      expect(Math.abs((q[`nearest_${kind}_m`] as number) - truth(at, xs))).toBeLessThanOrEqual(POINT_TO_POINT_M);
      expect(q[`nearest_${kind}_note`]).toBeNull();
    }
  });

  it("none usable at all is 'none', not a distance to an unusable one", async () => {
    await w.db("teams").update({ status: "deployed" });
    for (const f of await risk()) expect(f.properties, `village ${f.id}`).toMatchObject({ nearest_team_m: null, nearest_team_note: "none" });
    await w.db("teams").where({ name: "待命队" }).update({ status: "standby" });
  });

  it("the reach is a setting (NEAREST_REACH_M): 300 km reaches the remote village, 100 km not the outlying one", async () => {
    const remote = (await w.db("villages").where({ name: "远村" }).first("id"))!.id;
    const outlying = (await w.db("villages").where({ name: "外村" }).first("id"))!.id;
    const read = async (reach: number) => {
      const db = createDb({ DATABASE_URL: w.appUrl, DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 60_000, NEAREST_REACH_M: reach });
      try {
        return await db("village_risk").whereIn("id", [remote, outlying]).orderBy("id").select("id", "nearest_depot_m", "nearest_depot_note");
      } finally {
        await db.destroy();
      }
    };
    const [far, near] = await read(300_000).then((rows) => [rows.find((r) => r.id === remote), rows.find((r) => r.id === outlying)]);
    expect(far.nearest_depot_note).toBeNull();
    expect(far.nearest_depot_m).toBeGreaterThan(240_000);
    expect(near.nearest_depot_m).toBeGreaterThan(130_000);
    const tight = await read(100_000);
    expect(tight.map((r) => [r.nearest_depot_m, r.nearest_depot_note])).toEqual([
      [null, "beyond_reach"],
      [null, "beyond_reach"],
    ]);
  });
});
