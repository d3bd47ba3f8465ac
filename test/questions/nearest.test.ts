import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoWorld, startWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { bearing, geodesicDistance, type LonLat } from "../support/truth.ts";
import { prng } from "../support/prng.ts";
import { ITEMS } from "../../data/items.ts";

let w: World;
let s: Snapshot;
beforeAll(async () => {
  w = await startDemoWorld();
  s = await snapshot(w.db);
});
afterAll(() => w.close());


async function ask(params: Record<string, string | number>) {
  const res = await w.fetch(`${w.base}/api/v1/nearest?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
  expect(res.status).toBe(200);
  return (await res.json()).features as { id: number; properties: { distance_m: number; bearing_deg: number | null; stock?: { item: string; quantity: number } } }[];
}

/** Brute force: every candidate's geodesic distance, sorted, ties by id. */
function truth(from: LonLat, candidates: { id: number; at: LonLat }[], k: number, maxDistance = Infinity) {
  return candidates
    .map((c) => ({ id: c.id, d: geodesicDistance(from, c.at), b: bearing(from, c.at) }))
    .filter((c) => c.d <= maxDistance + 0.001)
    .sort((a, b) => a.d - b.d || a.id - b.id)
    .slice(0, k);
}

function expectSame(got: Awaited<ReturnType<typeof ask>>, want: ReturnType<typeof truth>) {
  expect(got.map((f) => f.id)).toEqual(want.map((t) => t.id));
  got.forEach((f, i) => {
    const d = want[i]!.d;
    expect(Math.abs(f.properties.distance_m - d)).toBeLessThanOrEqual(Math.max(1, d * 0.001));
    if (d > 1) expect(Math.abs(((f.properties.bearing_deg! - want[i]!.b + 540) % 360) - 180)).toBeLessThan(0.01);
  });
}

describe("nearest, against brute-force geodesic distances", () => {
  const rnd = prng(3);
  const points: LonLat[] = Array.from({ length: 25 }, () => [104 + rnd() * 0.6, 30.6 + rnd() * 0.5]);

  it("shelters, depots and teams: same ids in the same order, distances within 0.1 % (or 1 m)", async () => {
    for (const p of points) {
      for (const [layer, rows] of [["shelters", s.shelters], ["depots", s.depots], ["teams", s.teams]] as const) {
        expectSame(await ask({ lon: p[0], lat: p[1], layer, limit: 7 }), truth(p, rows, 7));
      }
    }
  });

  it("depots holding an item in quantity, with the matching stock", async () => {
    for (const p of points.slice(0, 10)) {
      for (const [item, min] of [["tent", 40], ["boat", 1], ["water", 500]] as const) {
        const got = await ask({ lon: p[0], lat: p[1], layer: "depots", item, min_quantity: min, limit: 5 });
        expectSame(got, truth(p, s.depots.filter((d) => (d.stock.get(item) ?? -1) >= min), 5));
        for (const f of got) expect(f.properties.stock).toEqual({ item, quantity: s.depots.find((d) => d.id === f.id)!.stock.get(item), unit_zh: ITEMS.find((i) => i.code === item)!.unit_zh, unit_en: ITEMS.find((i) => i.code === item)!.unit_en });
      }
    }
  });

  it("teams with a specialty on standby; open shelters with free capacity; a maximum distance", async () => {
    for (const p of points.slice(0, 10)) {
      const specialty = s.teams[0]!.specialties[0]!;
      expectSame(
        await ask({ lon: p[0], lat: p[1], layer: "teams", specialty, status: "standby", limit: 5 }),
        truth(p, s.teams.filter((t) => t.specialties.includes(specialty) && t.status === "standby"), 5),
      );
      expectSame(
        await ask({ lon: p[0], lat: p[1], layer: "shelters", min_free_capacity: 1000, limit: 5 }),
        truth(p, s.shelters.filter((x) => x.status === "open" && x.capacity - x.occupancy >= 1000), 5),
      );
      expectSame(await ask({ lon: p[0], lat: p[1], layer: "shelters", max_distance_m: 6000, limit: 20 }), truth(p, s.shelters, 20, 6000));
    }
  });

  it("a point exactly on a shelter comes first at distance 0", async () => {
    const target = s.shelters[5]!;
    const got = await ask({ lon: target.at[0], lat: target.at[1], layer: "shelters", limit: 3 });
    expect(got[0]!.id).toBe(target.id);
    expect(got[0]!.properties.distance_m).toBe(0);
    expectSame(got, truth(target.at, s.shelters, 3));
  });
});

describe("nearest, edge cases on a world of its own", () => {
  let e: World;
  beforeAll(async () => {
    e = await startWorld();
  });
  afterAll(() => e.close());
  const get = async (q: string) => (await (await e.fetch(`${e.base}/api/v1/nearest?${q}`)).json()).features;

  it("an empty layer answers an empty collection", async () => {
    expect(await get("lon=104&lat=30&layer=teams")).toEqual([]);
  });

  it("ties are broken by id; far-apart features across a high latitude rank by true distance", async () => {
    const post = (lon: number, lat: number, name: string) =>
      e.fetch(`${e.base}/api/v1/layers/shelters/features`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [lon, lat] }, properties: { name, capacity: 10 } }) }).then((r) => r.json());
    const a = await post(104.01, 30, "a");
    const b = await post(104.01, 30, "b");
    // At 60°N a degree of longitude is half a degree of latitude: planar KNN in degrees would rank these wrongly.
    const east = await post(105.5, 60, "east");
    const north = await post(104, 60.8, "north");
    expect((await get("lon=104&lat=30&layer=shelters&limit=2")).map((f: { id: number }) => f.id)).toEqual([a.id, b.id]);
    const ranked = truth([104, 60], [{ id: east.id, at: [105.5, 60] }, { id: north.id, at: [104, 60.8] }], 2);
    expect((await get("lon=104&lat=60&layer=shelters&limit=2")).map((f: { id: number }) => f.id)).toEqual(ranked.map((r) => r.id));
    expect(ranked[0]!.id).toBe(east.id);
  });

  it("a cluster of near-ties where the sphere and the spheroid disagree is ranked by the spheroid", async () => {
    // Around 20°N a metre north-south is shorter on the spheroid than on PostGIS's sphere, and east-west
    // longer: 30 shelters due east at ~998 m (sphere) are nearer on the sphere than 30 due north at
    // ~1000 m, which are nearer on the spheroid. The KNN index sees the east ones first.
    const centre: LonLat = [110, 20];
    const R = 6_371_008.8;
    const toDeg = 180 / Math.PI;
    const rows: { id: number; at: LonLat }[] = [];
    const features = Array.from({ length: 60 }, (_, i) => {
      const metres = i < 30 ? 998 + i * 0.02 : 1000 + (i - 30) * 0.02;
      const at: LonLat = i < 30
        ? [centre[0] + (metres / (R * Math.cos(centre[1] / toDeg))) * toDeg, centre[1]]
        : [centre[0], centre[1] + (metres / R) * toDeg];
      return { type: "Feature", geometry: { type: "Point", coordinates: at }, properties: { name: `tie ${i}`, capacity: 10 } };
    });
    const res = await e.fetch(`${e.base}/api/v1/layers/shelters/import?format=geojson`, { method: "POST", headers: { "content-type": "application/geo+json" }, body: JSON.stringify({ type: "FeatureCollection", features }) });
    expect(res.status).toBe(200);
    for (const f of (await (await e.fetch(`${e.base}/api/v1/layers/shelters/features?limit=1000`)).json()).features) {
      rows.push({ id: f.id, at: f.geometry.coordinates });
    }
    for (const k of [1, 5, 12, 40]) {
      const want = truth(centre, rows, k);
      const got = await get(`lon=${centre[0]}&lat=${centre[1]}&layer=shelters&limit=${k}`);
      expect(got.map((f: { id: number }) => f.id)).toEqual(want.map((t) => t.id));
    }
    // the premise: on the spheroid a north one comes first (on the sphere an east one does, by construction)
    expect(rows.find((r) => r.id === truth(centre, rows, 1)[0]!.id)!.at[0]).toBe(centre[0]);
  });
});
