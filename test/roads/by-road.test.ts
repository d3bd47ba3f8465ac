// The questions by road on a small network drawn here: which way the answer goes by default and says so,
// what it says of places the roads do not reach, one load of the network shared by questions asked
// together, a service area's bands, and answers in step with road edits made in plain SQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { destination, geodesicDistance, type LonLat } from "../support/truth.ts";
import { configureRoads, DEFAULT_ROAD_SETTINGS } from "../../server/roads/settings.ts";
import { travelTimes } from "../../server/roads/travel_times.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 60_000);
afterAll(() => w?.close());

const HERE: LonLat = [104.0, 30.0];
const east = (m: number): LonLat => destination(HERE, 90, m);

/** An answer, as much of it as these tests read. */
interface Body {
  by: string;
  by_reason: { reason: string; nearest_road_m: number; reach_m: number };
  origin_not_reachable: { reason: string };
  not_reachable: { count: number } & Record<string, unknown>;
  resources: number;
  features: {
    geometry: { coordinates: LonLat };
    properties: {
      name: string;
      by: string;
      travel_time_s: number;
      road_distance_m: number;
      off_road_m: number;
      distance_m: number;
      minutes: number;
      road_m: number;
      cell_m: number;
    };
  }[];
}

async function get(path: string): Promise<{ status: number; body: Body }> {
  const res = await w.fetch(`${w.base}/api/v1/${path}`);
  return { status: res.status, body: await res.json() };
}

const line = (points: LonLat[]) => `ST_Multi(ST_SetSRID(ST_MakeLine(ARRAY[${points.map(([x, y]) => `ST_MakePoint(${x}, ${y})`).join(", ")}]), 4326))`;

describe("by road on a small network", () => {
  beforeAll(async () => {
    // one county road of 6 km running east from HERE, at 50 km/h; a shelter beside its far end, one 3 km off it
    await w.db.raw(`INSERT INTO roads (name, road_class, geom) VALUES ('县道', 'county', ${line([HERE, east(6000)])})`);
    await w.db.raw(
      "INSERT INTO shelters (name, capacity, geom) VALUES ('路边', 100, ST_SetSRID(ST_MakePoint(?, ?), 4326)), ('山里', 100, ST_SetSRID(ST_MakePoint(?, ?), 4326))",
      [...east(6000), ...destination(east(3000), 0, 3000)],
    );
  });

  it("answers by road by default where the point joins the network, saying how many candidates it could not reach and why", async () => {
    const { status, body } = await get(`nearest?lon=${HERE[0]}&lat=${HERE[1]}&layer=shelters`);
    expect(status).toBe(200);
    expect(body.by).toBe("road");
    expect(body.features.map((f) => f.properties.name)).toEqual(["路边"]);
    const f = body.features[0]!.properties;
    // 6 km at 50 km/h, the shelter on the road's end
    expect(Math.abs(f.travel_time_s - 6000 / (50 / 3.6))).toBeLessThan(0.5);
    expect(Math.abs(f.road_distance_m - 6000)).toBeLessThan(1);
    expect(body.not_reachable).toEqual({ count: 1, beyond_reach: 1, no_roads: 0, no_route: 0 });
  });

  it("answers straight by default where no road is within reach, saying why; by=road says the point is not reachable", async () => {
    const far = destination(HERE, 180, 5000);
    const straight = await get(`nearest?lon=${far[0]}&lat=${far[1]}&layer=shelters`);
    expect(straight.body.by).toBe("straight");
    expect(straight.body.by_reason.reason).toBe("beyond_reach");
    expect(Math.abs(straight.body.by_reason.nearest_road_m - 5000)).toBeLessThan(1);
    expect(straight.body.by_reason.reach_m).toBe(2000);
    expect(straight.body.features).toHaveLength(2);
    expect(straight.body.features[0]!.properties.by).toBe("straight");
    const road = await get(`nearest?lon=${far[0]}&lat=${far[1]}&layer=shelters&by=road`);
    expect(road.body.by).toBe("road");
    expect(road.body.features).toEqual([]);
    expect(road.body.origin_not_reachable.reason).toBe("beyond_reach");
  });

  it("keeps today's filters by road: a depot's stock, a hazard's zone", async () => {
    const depots = (
      await w.db.raw(
        "INSERT INTO depots (name, geom) VALUES ('近库', ST_SetSRID(ST_MakePoint(?, ?), 4326)), ('远库', ST_SetSRID(ST_MakePoint(?, ?), 4326)) RETURNING id",
        [...east(1000), ...east(4000)],
      )
    ).rows.map((r: { id: number }) => Number(r.id));
    await w.db.raw("INSERT INTO depot_stock (depot_id, item_code, quantity) VALUES (?, 'tent', 5), (?, 'tent', 50)", depots);
    const tents = await get(`nearest?lon=${HERE[0]}&lat=${HERE[1]}&layer=depots&item=tent&min_quantity=10`);
    expect(tents.body.by).toBe("road");
    expect(tents.body.features.map((f) => f.properties.name)).toEqual(["远库"]);
    const any = await get(`nearest?lon=${HERE[0]}&lat=${HERE[1]}&layer=depots`);
    expect(any.body.features.map((f) => f.properties.name)).toEqual(["近库", "远库"]);
    // asked from a hazard whose zone holds the shelter by the road: none by road (the other is beyond reach)
    const [{ id }] = (
      await w.db.raw(
        "INSERT INTO hazards (name, kind, risk_level, influence_radius_m, geom) VALUES ('油库', 'fuel_station', 2, 300, ST_SetSRID(ST_MakePoint(?, ?), 4326)) RETURNING id",
        east(5900),
      )
    ).rows;
    const fromHazard = await get(`nearest?hazard_id=${id}&layer=shelters&by=road`);
    expect(fromHazard.body.features).toEqual([]);
    expect(fromHazard.body.not_reachable.count).toBe(1);
    await w.db.raw("DELETE FROM hazards");
    await w.db.raw("DELETE FROM depots");
  });

  it("reaches as far as ROAD_REACH_M says, covering the leg off road at OFF_ROAD_KMH", async () => {
    configureRoads(w.serverDb, { reachM: 5000, offRoadKmh: 4 });
    try {
      const { body } = await get(`nearest?lon=${HERE[0]}&lat=${HERE[1]}&layer=shelters`);
      expect(body.not_reachable.count).toBe(0);
      const hills = body.features.find((f) => f.properties.name === "山里")!.properties;
      // 3 km along the road, then 3 km off it at 4 km/h
      expect(Math.abs(hills.off_road_m - 3000)).toBeLessThan(1);
      expect(Math.abs(hills.travel_time_s - (3000 / (50 / 3.6) + 3000 / (4 / 3.6)))).toBeLessThan(1);
    } finally {
      configureRoads(w.serverDb, DEFAULT_ROAD_SETTINGS);
    }
  });

  it("travelTimes: every place to every place, with the reason a place is not reachable", async () => {
    const hills = destination(east(3000), 0, 3000);
    const place = ([lon, lat]: LonLat) => ({ lon, lat });
    const t = await travelTimes(w.db, { from: [HERE, east(6000)].map(place), to: [east(3000), hills, HERE].map(place) });
    expect(Math.abs(t.seconds[0]![0]! - 3000 / (50 / 3.6))).toBeLessThan(0.5);
    expect(Math.abs(t.seconds[1]![2]! - 6000 / (50 / 3.6))).toBeLessThan(0.5);
    expect(Math.abs(t.metres[1]![0]! - 3000)).toBeLessThan(1);
    expect(t.seconds[0]![1]).toBe(Infinity);
    expect(t.toNotReachable.map((r) => r?.reason ?? null)).toEqual([null, "beyond_reach", null]);
    expect(t.fromNotReachable).toEqual([null, null]);
    // within a time limit only
    const near = await travelTimes(w.db, { from: [place(HERE)], to: [east(1000), east(5000)].map(place), maxSeconds: 120 });
    expect(near.seconds[0]![0]).toBeLessThan(120);
    expect(near.seconds[0]![1]).toBe(Infinity);
  });

  it("loads the network once for questions asked together after a change, and answers the change", async () => {
    await w.db.raw("UPDATE roads SET speed_kmh = 30");
    let loads = 0;
    const count = (q: { name?: string }) => q.name?.startsWith("road_network_") && loads++;
    w.serverDb.on("query", count);
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => get(`nearest?lon=${HERE[0]}&lat=${HERE[1]}&layer=shelters`)));
      for (const a of answers) expect(Math.abs(a.body.features[0]!.properties.travel_time_s - 6000 / (30 / 3.6))).toBeLessThan(0.5);
    } finally {
      w.serverDb.off("query", count);
    }
    expect(loads).toBe(1);
  });

  it("a service area is the area reached in each break: along the road from the resource, then on foot for the time left", async () => {
    const [{ id }] = (await w.db.raw("INSERT INTO teams (name, geom) VALUES ('救援队', ST_SetSRID(ST_MakePoint(?, ?), 4326)) RETURNING id", HERE)).rows;
    const { status, body } = await get(`service-area?layer=teams&id=${id}&minutes=4,8`);
    expect(status).toBe(200);
    expect(body.features.map((f) => f.properties.minutes)).toEqual([8, 4]);
    // the truth of this straight road at 30 km/h from HERE: reach a point s metres along it, then walk
    // (5 km/h, at most 2 km) straight to the place; `stretch` says how much more a walk may be counted
    const road = 30 / 3.6;
    const walk = 5 / 3.6;
    const seconds = (p: LonLat, limit: number, stretch = 1) => {
      let best = Infinity;
      for (let s = 0; s <= Math.min(6000, limit * road); s += 5) {
        const d = geodesicDistance(p, east(s));
        if (d <= 2000) best = Math.min(best, s / road + (stretch * d) / walk);
      }
      return best;
    };
    const probes = Array.from({ length: 25 }, (_, k) => k * 250).flatMap((s) =>
      [0, 100, 300, 600]
        .flatMap((off) => (off === 0 ? [east(s)] : [destination(east(s), 0, off), destination(east(s), 180, off)]))
        .map((at) => ({ at, off: geodesicDistance(at, east(s)) })),
    );
    for (const f of body.features) {
      const limit = f.properties.minutes * 60;
      expect(Math.abs(f.properties.road_m - limit * road)).toBeLessThan(1);
      const inside = (
        await w.db.raw(
          "SELECT array_agg(ST_Intersects(a, ST_SetSRID(ST_MakePoint(x, y), 4326)) ORDER BY i) AS inside FROM ST_SetSRID(ST_GeomFromGeoJSON(?), 4326) a, unnest(?::float8[], ?::float8[]) WITH ORDINALITY p(x, y, i)",
          [JSON.stringify(f.geometry), probes.map((p) => p.at[0]), probes.map((p) => p.at[1])],
        )
      ).rows[0].inside as boolean[];
      // within the cells: a point on the road is inside when reached 1.5 cells' walk early, any point 2.2
      // cells' (the walk on the grid up to 3 % longer); outside when not reached until 2.2 cells' walk late
      const cellS = f.properties.cell_m / walk;
      let surelyIn = 0;
      let surelyOut = 0;
      probes.forEach((p, i) => {
        if (seconds(p.at, limit, 1.03) + (p.off < 1 ? 1.5 : 2.2) * cellS <= limit) {
          surelyIn++;
          expect(inside[i], `${f.properties.minutes} min: probe ${i}, ${Math.round(p.off)} m off the road`).toBe(true);
        } else if (seconds(p.at, limit + 2.2 * cellS) > limit + 2.2 * cellS) {
          surelyOut++;
          expect(inside[i], `${f.properties.minutes} min: probe ${i}, ${Math.round(p.off)} m off the road`).toBe(false);
        }
      });
      expect(surelyIn).toBeGreaterThan(5);
      expect(surelyOut).toBeGreaterThan(20);
    }
    // all usable teams: the same, with no unreachable ones
    const all = await get("service-area?layer=teams&minutes=4");
    expect(all.body.resources).toBe(1);
    expect(all.body.not_reachable).toEqual([]);
    expect(Math.abs(all.body.features[0]!.properties.road_m - 2000)).toBeLessThan(1);
  });

  it("a road deleted in plain SQL leaves the point unreachable by road at the next question", async () => {
    await w.db.raw("DELETE FROM roads");
    const { body } = await get(`nearest?lon=${HERE[0]}&lat=${HERE[1]}&layer=shelters`);
    expect(body.by).toBe("straight");
    expect(body.by_reason.reason).toBe("no_roads");
    expect(geodesicDistance(HERE, body.features[0]!.geometry.coordinates)).toBeCloseTo(body.features[0]!.properties.distance_m, 2);
  });
});
