// An incident's stock in reach by road on a real network — Xitun, Taichung (MOTC Shapefile, EPSG:3826,
// read with GDAL) — against the tests' own Dijkstra (graphology, built from the published segments with
// GeographicLib lengths, test/support/road_truth.ts), never the product's search: the depots counted in
// reach are exactly those the truth brings to the area's point within the minutes, and their stock sums.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { RoadTruth, type TruthPoint } from "../support/road_truth.ts";
import type { LonLat } from "../support/truth.ts";
import {
  loadXitunRoads,
  readXitunSegments,
  readXitunShelters,
  readXitunVillages,
  truthJoin,
  truthSegments,
  type XitunSegment,
} from "../support/xitun_roads.ts";

let w: World;
let segments: XitunSegment[];
/** A depot at each of Xitun's shelters: quilts 2^j (the sum in reach names the very depots), tents and water varied. */
let depots: { id: number; at: LonLat; stock: Record<string, number> }[];

/** How far a point may be from a road to join it (the product's default, ROAD_REACH_M). */
const REACH_M = 2_000;

beforeAll(async () => {
  w = await startWorld();
  segments = readXitunSegments();
  await loadXitunRoads(w.db, segments);
  depots = [];
  for (const [j, s] of (await readXitunShelters()).slice(0, 20).entries()) {
    const stock = { quilt: 2 ** j, tent: 3 + ((j * 7) % 11), water: 50 + j * 13 };
    const { rows } = await w.db.raw("INSERT INTO depots (name, geom) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326)) RETURNING id", [
      `${s.name}仓库`,
      ...s.at,
    ]);
    for (const [item, quantity] of Object.entries(stock)) await w.db("depot_stock").insert({ depot_id: rows[0].id, item_code: item, quantity });
    depots.push({ id: Number(rows[0].id), at: s.at, stock });
  }
}, 300_000);
afterAll(() => w?.close());

describe("an incident's needs: stock in reach by road on Xitun", () => {
  it("counts exactly the depots the truth brings to the area's point within the minutes, and sums their stock", async () => {
    // a circle of 800 m round one of Xitun's villages
    const centre = readXitunVillages()[12]!.at;
    const res = await w.fetch(`${w.base}/api/v1/incidents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "西屯淹水", kind: "flood", level: 3, area: { lon: centre[0], lat: centre[1], radius_m: 800 } }),
    });
    expect(res.status).toBe(201);
    const incident = (await res.json()).id as number;
    // the area's point, as PostGIS defines it (ST_PointOnSurface), which the needs ask from
    const [here] = (await w.db.raw("SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM incidents, ST_PointOnSurface(geom) p WHERE id = ?", [incident])).rows;

    // the truth: each depot's seconds to the point, travelling on the published segments
    const points: Record<string, TruthPoint> = {};
    for (const [name, at] of [["here", [here.lon, here.lat] as LonLat], ...depots.map((d, j): [string, LonLat] => [`d${j}`, d.at])] as const) {
      const joined = truthJoin(segments, at);
      if (joined.offRoadM <= REACH_M) points[name] = joined;
    }
    expect(points.here).toBeDefined();
    const truth = new RoadTruth(truthSegments(segments), points);
    const seconds = depots.map((_, j) => truth.seconds(`d${j}`, "here"));
    const sorted = seconds.filter(Number.isFinite).sort((a, b) => a - b);
    expect(sorted.length).toBeGreaterThan(10);

    // limits half way between two depots' times (none within a second of it): a few, a half, most
    const limits = [3, Math.floor(sorted.length / 2), sorted.length - 2].map((k) => (sorted[k - 1]! + sorted[k]!) / 2);
    for (const limitS of limits) {
      expect(seconds.every((s) => Math.abs(s - limitS) > 1)).toBe(true);
      const needs = await (await w.fetch(`${w.base}/api/v1/incidents/${incident}/needs?people=100&by=road&reach_minutes=${limitS / 60}`)).json();
      expect(needs).toMatchObject({ by: "road", reach: { minutes: limitS / 60 } });
      const within = depots.filter((_, j) => seconds[j]! <= limitS);
      const inReach = Object.fromEntries(needs.items.map((i: { item: string; in_reach: number }) => [i.item, i.in_reach]));
      // quilts 2^j: the sum names each depot counted
      const counted = depots.filter((_, j) => (inReach.quilt & (2 ** j)) !== 0);
      expect(counted.map((d) => d.id)).toEqual(within.map((d) => d.id));
      for (const item of ["quilt", "tent", "water"]) expect(inReach[item], `${item} within ${limitS} s`).toBe(within.reduce((s, d) => s + d.stock[item]!, 0));
    }
  }, 120_000);
});
