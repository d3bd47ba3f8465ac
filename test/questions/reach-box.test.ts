import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { destination, type LonLat } from "../support/truth.ts";

// geodesic_reach_box(zone, r) (migration 010) must hold every point within r geodesic metres of the
// zone: the questions find villages by it and nothing outside it. Checked against GeographicLib: from
// points along the zone's edges (drawn as geography draws them, great circles), go r metres in every
// direction; each point reached must lie in the box.

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

async function reachBox(zone: GeoJSON.Geometry, r: number): Promise<Box> {
  const { rows } = await w.db.raw(
    `SELECT ST_XMin(b) AS west, ST_YMin(b) AS south, ST_XMax(b) AS east, ST_YMax(b) AS north
     FROM geodesic_reach_box(ST_GeomFromGeoJSON(?)::geography, ?) b`,
    [JSON.stringify(zone), r],
  );
  return rows[0];
}

/** Points along the great circle from a to b (spherical interpolation of unit vectors). */
function greatCircle(a: LonLat, b: LonLat, steps: number): LonLat[] {
  type Vector = [number, number, number];
  const unit = ([lon, lat]: LonLat): Vector => {
    const [l, p] = [(lon * Math.PI) / 180, (lat * Math.PI) / 180];
    return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)];
  };
  const [u, v] = [unit(a), unit(b)];
  const omega = Math.acos(Math.min(1, u[0] * v[0] + u[1] * v[1] + u[2] * v[2]));
  return Array.from({ length: steps + 1 }, (_, i) => {
    const t = i / steps;
    const [s, q] = omega === 0 ? [1 - t, t] : [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
    const [x, y, z] = u.map((uk, k) => s * uk + q * v[k]!) as Vector;
    return [(Math.atan2(y, x) * 180) / Math.PI, (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI];
  });
}

type Zone = GeoJSON.Point | GeoJSON.LineString | GeoJSON.Polygon;

function boundary(zone: Zone): LonLat[] {
  if (zone.type === "Point") return [zone.coordinates as LonLat];
  const line = (zone.type === "LineString" ? zone.coordinates : zone.coordinates[0]) as LonLat[];
  return line.slice(1).flatMap((b, i) => greatCircle(line[i]!, b, 200));
}

const inBox = (b: Box, [lon, lat]: LonLat) => lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north;

const square = (west: number, south: number, east: number, north: number): GeoJSON.Polygon => ({
  type: "Polygon",
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ],
});

const ZONES: [string, Zone][] = [
  ["a point on the equator", { type: "Point", coordinates: [120.5, 0] }],
  ["a point in Nantou", { type: "Point", coordinates: [120.97, 23.9] }],
  ["a point at 60°N", { type: "Point", coordinates: [30, 60] }],
  ["a point at 85°S", { type: "Point", coordinates: [-70, -85] }],
  ["a point beside the antimeridian", { type: "Point", coordinates: [179.99, -16.5] }],
  ["a point 5 km from the north pole", { type: "Point", coordinates: [10, 89.955] }],
  ["a county-sized polygon", square(120.6, 23.4, 121.3, 24.3)],
  ["a polygon whose top edge bulges poleward (70°N vertices, ~73°N mid-edge)", square(0, 65, 60, 70)],
  ["a polygon across the equator", square(100, -3, 104, 2)],
  [
    "a pipeline across the antimeridian at 50°S",
    {
      type: "LineString",
      coordinates: [
        [175, -50],
        [-175, -52],
        [-170, -49],
      ],
    },
  ],
];

describe("geodesic_reach_box holds everything within reach of the zone", () => {
  for (const [name, zone] of ZONES) {
    it(name, async () => {
      for (const r of [0.001, 100, 5000, 50_000, 400_000]) {
        const box = await reachBox(zone, r);
        for (const from of boundary(zone)) {
          for (let azimuth = 0; azimuth < 360; azimuth += 5) {
            const p = destination(from, azimuth, r);
            if (!inBox(box, p)) throw new Error(`${JSON.stringify(p)}, ${r} m from ${JSON.stringify(from)}, lies outside ${JSON.stringify(box)}`);
          }
        }
      }
    });
  }

  it("a zone around the north pole reaches the pole, and every longitude", async () => {
    const ring: GeoJSON.Polygon = {
      type: "Polygon",
      coordinates: [
        [
          [0, 85],
          [90, 85],
          [180, 85],
          [-90, 85],
          [0, 85],
        ],
      ],
    };
    const { rows } = await w.db.raw("SELECT ST_Covers(ST_GeomFromGeoJSON(?)::geography, 'SRID=4326;POINT(0 90)'::geography) AS covers", [JSON.stringify(ring)]);
    expect(rows[0].covers).toBe(true);
    const box = await reachBox(ring, 10);
    expect([box.west, box.east, box.north]).toEqual([-180, 180, 90]);
    expect(box.south).toBeGreaterThan(84.99);
    expect(box.south).toBeLessThan(85);
  });
});

describe("geodesic_reach_box is tight where the villages are", () => {
  it("a 5 km reach around a point in Nantou is within 1 % of the 5 km circle's own extent", async () => {
    const at: LonLat = [120.97, 23.9];
    const box = await reachBox({ type: "Point", coordinates: at }, 5000);
    const [north, south, west] = [0, 180, 270].map((azimuth) => destination(at, azimuth, 5000)) as [LonLat, LonLat, LonLat];
    expect((box.north - at[1]) / (north[1] - at[1])).toBeLessThan(1.01);
    expect((at[1] - box.south) / (at[1] - south[1])).toBeLessThan(1.01);
    // the widest point of the circle is a little north of east at this latitude
    const widest = Math.max(...Array.from({ length: 181 }, (_, i) => destination(at, i, 5000)[0]));
    expect((box.east - at[0]) / (widest - at[0])).toBeLessThan(1.01);
    expect((at[0] - box.west) / (at[0] - west[0])).toBeLessThan(1.01);
  });
});
