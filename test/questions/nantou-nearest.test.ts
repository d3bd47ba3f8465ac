// Issue 13, part 1, on a real county: a chemical plant (3 km zone) and a pipeline (500 m) placed in
// Nantou (南投縣) among its 387 real shelters, loaded through the API. Asked from a hazard, no shelter
// inside its zone is ever answered; asked from a point, every shelter in a zone says so. Truth: brute
// force over every shelter with GeographicLib geodesics (test/support/truth.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { snapshot, type Snapshot } from "../support/snapshot.ts";
import { POINT_TO_POINT_M, bearing, distanceToGeometry, geodesicDistance, within, type LonLat } from "../support/truth.ts";
import { loadNantou } from "../support/nantou.ts";

let w: World;
let s: Snapshot;
let plant: { id: number; g: GeoJSON.Point; r: number };
let pipeline: { id: number; g: GeoJSON.LineString; r: number };

async function postHazard(name: string, g: GeoJSON.Geometry, kind: string, r: number) {
  const res = await w.fetch(`${w.base}/api/v1/layers/hazards/features`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "Feature", geometry: g, properties: { name, kind, risk_level: 1, influence_radius_m: r } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()).id as number;
}

beforeAll(async () => {
  w = await startWorld();
  await loadNantou(w);
  s = await snapshot(w.db);
  // the plant stands at the real shelter with the most other shelters within 3 km: where the danger of
  // sending people into the zone is greatest
  const crowd = (a: LonLat) => s.shelters.filter((x) => geodesicDistance(a, x.at) <= 3000).length;
  const site = s.shelters.map((x) => ({ at: x.at, n: crowd(x.at) })).sort((a, b) => b.n - a.n)[0]!;
  plant = { id: 0, g: { type: "Point", coordinates: site.at }, r: 3000 };
  plant.id = await postHazard("南投化工厂", plant.g, "chemical_plant", plant.r);
  // a pipeline through the three villages nearest the plant
  const line = s.villages
    .map((v) => ({ at: v.at, d: geodesicDistance(site.at, v.at) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((v) => v.at);
  pipeline = { id: 0, g: { type: "LineString", coordinates: line }, r: 500 };
  pipeline.id = await postHazard("输气管线", pipeline.g, "other", pipeline.r);
}, 300_000);
afterAll(async () => {
  await w?.close();
});

const usable = (x: Snapshot["shelters"][number]) => x.status === "open" && x.capacity > x.occupancy;

async function ask(query: string) {
  const res = await w.fetch(`${w.base}/api/v1/nearest?${query}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.features as {
    id: number;
    properties: { name: string; distance_m: number; bearing_deg: number | null; in_hazard_zones: { id: number; name: string; risk_level: number }[] };
  }[];
}

describe("Nantou: nearest shelters never send people into the danger", () => {
  it("the premise: many real shelters lie inside the plant's 3 km zone", () => {
    expect(s.shelters.filter((x) => usable(x) && within(geodesicDistance(plant.g.coordinates as LonLat, x.at), plant.r)).length).toBeGreaterThan(10);
  });

  for (const which of ["plant", "pipeline"] as const) {
    it(`asked from the ${which}: the nearest usable shelters outside its zone, as brute force`, async () => {
      const h = which === "plant" ? plant : pipeline;
      const outside = s.shelters
        .filter(usable)
        .map((x) => ({ id: x.id, at: x.at, ...distanceToGeometry(x.at, h.g) }))
        .filter((x) => !within(x.d, h.r))
        .sort((a, b) => a.d - b.d || a.id - b.id)
        .slice(0, 20);
      const got = await ask(`hazard_id=${h.id}&layer=shelters&limit=20`);
      expect(got.map((f) => f.id)).toEqual(outside.map((x) => x.id));
      got.forEach((f, i) => {
        // from the plant (a point) GeographicLib's own; from the pipeline's edges PostGIS is near it (see nearest.test.ts)
        expect(Math.abs(f.properties.distance_m - outside[i]!.d)).toBeLessThanOrEqual(
          which === "plant" ? POINT_TO_POINT_M : Math.max(1, outside[i]!.d * 0.001),
        );
        expect(f.properties.distance_m).toBeGreaterThan(h.r);
        const b = bearing(outside[i]!.nearest, outside[i]!.at);
        expect(Math.abs(((f.properties.bearing_deg! - b + 540) % 360) - 180)).toBeLessThan(1);
      });
    });
  }

  it("asked from the plant's own site, the nearest shelters are in its zone and say so (against both hazards)", async () => {
    const at = plant.g.coordinates as LonLat;
    const got = await ask(`lon=${at[0]}&lat=${at[1]}&layer=shelters&limit=10`);
    expect(got).toHaveLength(10);
    for (const f of got) {
      const x = s.shelters.find((y) => y.id === f.id)!;
      const zones = [
        ...(within(geodesicDistance(at, x.at), plant.r) ? [{ id: plant.id, name: "南投化工厂", risk_level: 1 }] : []),
        ...(within(distanceToGeometry(x.at, pipeline.g).d, pipeline.r) ? [{ id: pipeline.id, name: "输气管线", risk_level: 1 }] : []),
      ].sort((a, b) => a.id - b.id);
      expect(f.properties.in_hazard_zones).toEqual(zones);
    }
    expect(got.every((f) => f.properties.in_hazard_zones.some((z) => z.id === plant.id))).toBe(true);
  });
});
