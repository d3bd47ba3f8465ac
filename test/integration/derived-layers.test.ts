import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as turf from "@turf/turf";
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from "geojson";
import { startDemoWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { destination, geodesicDistance, within, type LonLat } from "../support/truth.ts";
import { usable } from "../support/usable.ts";

// The derived layers against brute force on the demo county. Hazard zones follow the exposure
// question (everything within influence_radius_m of the hazard); line hazards are left out of the
// truth because plain TypeScript has no exact geodesic distance to a line.

let w: World;
let s: Snapshot;
interface Hazard {
  id: number;
  name: string;
  risk_level: number;
  r: number;
  g: Point | Polygon | MultiPolygon;
}
let hazards: Hazard[];

beforeAll(async () => {
  w = await startDemoWorld();
  await w.db("hazards").whereRaw("GeometryType(geom) IN ('LINESTRING', 'MULTILINESTRING')").delete();
  // polygons without a radius, so "inside" is exactly point-in-polygon
  await w.db("hazards").whereRaw("GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON')").update({ influence_radius_m: 0 });
  s = await snapshot(w.db);
  hazards = (await w.db.raw("SELECT id::int, name, risk_level, influence_radius_m AS r, ST_AsGeoJSON(geom)::json AS g FROM hazards ORDER BY id")).rows;
});
afterAll(() => w.close());

async function all<P>(layer: string): Promise<Feature<Point | MultiPolygon, P>[]> {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features?limit=10000`);
  expect(res.status).toBe(200);
  return ((await res.json()) as FeatureCollection<Point | MultiPolygon, P>).features;
}

function inZone(h: Hazard, at: LonLat): boolean {
  return h.g.type === "Point" ? within(geodesicDistance(h.g.coordinates as LonLat, at), h.r) : turf.booleanPointInPolygon(at, h.g);
}

const nearest = (at: LonLat, xs: { at: LonLat }[]) => (xs.length ? Math.min(...xs.map((x) => geodesicDistance(at, x.at))) : null);

function expectMetres(got: number | null, truth: number | null) {
  if (truth === null) return expect(got).toBeNull();
  expect(Math.abs(got! - truth)).toBeLessThanOrEqual(Math.max(1, truth * 0.001));
}

describe("village-risk", () => {
  it("every village, with the hazards whose zones contain it and the exact distance to usable help", async () => {
    const rows = await all<Record<string, never>>("village-risk");
    expect(rows.map((f) => f.id).sort()).toEqual(s.villages.map((v) => v.id).sort());
    const help = usable(s);
    let atRisk = 0;
    for (const f of rows) {
      const v = s.villages.find((x) => x.id === f.id)!;
      const p = f.properties as Record<string, unknown>;
      const hits = hazards.filter((h) => inZone(h, v.at)).sort((a, b) => a.risk_level - b.risk_level || a.id - b.id);
      expect(p.hazard_count, `village ${v.id}`).toBe(hits.length);
      expect(p.hazard_names).toEqual(hits.map((h) => h.name));
      expect(p.max_risk_level).toBe(hits.length ? hits[0]!.risk_level : null);
      expect(p.population).toBe(v.population);
      const shelter = nearest(v.at, help.shelters);
      expectMetres(p.nearest_shelter_m as number | null, shelter);
      expectMetres(p.nearest_depot_m as number | null, nearest(v.at, help.depots));
      expectMetres(p.nearest_team_m as number | null, nearest(v.at, help.teams));
      // one county, with usable resources of every kind: no distance is beyond the 200 km reach
      expect([p.nearest_shelter_note, p.nearest_depot_note, p.nearest_team_note]).toEqual([null, null, null]);
      expect(p.covered).toBe(shelter !== null && within(shelter, 5000));
      if (hits.length) atRisk++;
    }
    expect(atRisk).toBeGreaterThan(5); // the demo county has villages in hazard zones: the check above bit
  });

  it("follows an edit at once: a shelter opened beside a village makes it covered", async () => {
    const uncovered = (await all<{ covered: boolean }>("village-risk")).find((f) => !f.properties.covered)!;
    const at = (uncovered.geometry as Point).coordinates as LonLat;
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "Feature",
        geometry: { type: "Point", coordinates: destination(at, 90, 1200) },
        properties: { name: "临时安置点", capacity: 300 },
      }),
    });
    expect(res.status).toBe(201);
    const after = await (await w.fetch(`${w.base}/api/v1/layers/village-risk/features/${uncovered.id}`)).json();
    expect(after.properties.covered).toBe(true);
    expectMetres(after.properties.nearest_shelter_m, 1200);
  });

  it("is read-only and has no tiles", async () => {
    const post = await w.fetch(`${w.base}/api/v1/layers/village-risk/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(post.status).toBe(405);
    expect((await w.fetch(`${w.base}/tiles/village-risk/10/800/400.mvt`)).status).toBe(404);
    const { layers } = await (await w.fetch(`${w.base}/api/v1/layers`)).json();
    expect(
      layers
        .filter((l: { read_only: boolean }) => l.read_only)
        .map((l: { name: string }) => l.name)
        .sort(),
    ).toEqual(["hazard-zones", "village-risk"]);
  });
});

describe("hazard-zones", () => {
  it("one zone per hazard with an area; a point's zone holds what is just inside its radius and not what is just outside", async () => {
    const zones = await all<{ risk_level: number; kind: string }>("hazard-zones");
    const withArea = hazards.filter((h) => h.r > 0 || h.g.type !== "Point");
    expect(zones.map((z) => z.id).sort()).toEqual(withArea.map((h) => h.id).sort());
    for (const z of zones) {
      const h = hazards.find((x) => x.id === z.id)!;
      expect(z.geometry.type).toBe("MultiPolygon");
      expect(z.properties.risk_level).toBe(h.risk_level);
      if (h.g.type !== "Point") continue;
      const centre = h.g.coordinates as LonLat;
      for (let azimuth = 0; azimuth < 360; azimuth += 30) {
        // a buffer is a polygon of 32 segments per circle: its edges dip at most 0.5 % inside the circle
        expect(turf.booleanPointInPolygon(destination(centre, azimuth, h.r * 0.99), z.geometry as MultiPolygon), `hazard ${h.id} ${azimuth}°`).toBe(true);
        expect(turf.booleanPointInPolygon(destination(centre, azimuth, h.r * 1.01), z.geometry as MultiPolygon), `hazard ${h.id} ${azimuth}°`).toBe(false);
      }
    }
  });

  it("a point or line hazard without a radius has no zone, and is stored like any other", async () => {
    for (const geometry of [
      { type: "Point", coordinates: [104.2, 30.8] },
      {
        type: "LineString",
        coordinates: [
          [104.2, 30.8],
          [104.25, 30.82],
        ],
      },
    ]) {
      const res = await w.fetch(`${w.base}/api/v1/layers/hazards/features`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "Feature", geometry, properties: { name: "无半径隐患点", kind: "landslide", risk_level: 3 } }),
      });
      expect(res.status).toBe(201);
      const { id } = await res.json();
      expect((await w.fetch(`${w.base}/api/v1/layers/hazard-zones/features/${id}`)).status).toBe(404);
    }
  });
});
