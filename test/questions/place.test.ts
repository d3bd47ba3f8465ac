import { describe, expect, it } from "vitest";
import * as turf from "@turf/turf";
import { useDemoWorld } from "../support/demo_world.ts";
import { geodesicDistance, type LonLat } from "../support/truth.ts";
import { prng } from "../support/prng.ts";

const demo = useDemoWorld();

interface Place {
  village: { id: number; name: string; distance_m: number; lon: number; lat: number } | null;
  township: { admin_code: string | null; name: string } | null;
}

async function place(at: LonLat): Promise<Place> {
  const res = await demo.world.fetch(`${demo.world.base}/api/v1/place?lon=${at[0]}&lat=${at[1]}`);
  expect(res.status).toBe(200);
  return res.json();
}

/** The townships' areas as GeoJSON, read plainly: the containment is turf's, not PostGIS's. */
async function townshipAreas() {
  const { rows } = await demo.world.db.raw("SELECT admin_code, name, ST_AsGeoJSON(geom)::json AS geom FROM townships WHERE geom IS NOT NULL");
  return rows as { admin_code: string; name: string; geom: GeoJSON.MultiPolygon }[];
}

describe("GET /place: the nearest village and the township holding the point", () => {
  it("agrees with brute force (geodesic distances to every village, point-in-polygon over every township) at 40 random points", async () => {
    const areas = await townshipAreas();
    const random = prng(17);
    const xs = demo.snapshot.villages.map((v) => v.at[0]);
    const ys = demo.snapshot.villages.map((v) => v.at[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    let inside = 0;
    for (let i = 0; i < 40; i++) {
      const at: LonLat = [x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)];
      const got = await place(at);
      const nearest = demo.snapshot.villages.map((v) => ({ v, d: geodesicDistance(at, v.at) })).sort((a, b) => a.d - b.d || a.v.id - b.v.id)[0]!;
      expect(got.village!.id, `village nearest ${at}`).toBe(nearest.v.id);
      expect(got.village!.distance_m).toBeCloseTo(nearest.d, 3);
      const holding = areas.filter((t) => turf.booleanPointInPolygon(at, t.geom)).sort((a, b) => a.admin_code.localeCompare(b.admin_code));
      if (holding.length) inside++;
      expect(got.township?.name ?? null, `township at ${at}`).toBe(holding[0]?.name ?? null);
    }
    expect(inside).toBeGreaterThan(20); // the demo county tiles its box: most random points lie in a township
  });

  it("names the village itself when the point is on it, and no township outside the county", async () => {
    const v = demo.snapshot.villages[7]!;
    const on = await place(v.at);
    expect(on.village).toMatchObject({ id: v.id, distance_m: 0 });
    expect(on.township?.admin_code).toBe(v.township_code);
    const far = await place([100, 20]);
    expect(far.township).toBeNull();
    expect(far.village).not.toBeNull();
  });

  it("refuses a point off the Earth, naming the field", async () => {
    const res = await demo.world.fetch(`${demo.world.base}/api/v1/place?lon=200&lat=30`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ errors: [{ path: ["lon"] }] });
  });
});
