import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as turf from "@turf/turf";
import { startWorld, type World } from "../support/world.ts";
import { prng } from "../support/prng.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

const post = (layer: string, feature: unknown) =>
  w.fetch(`${w.base}/api/v1/layers/${layer}/features`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(feature) });

describe("bbox filter equals a brute-force filter over all features", () => {
  const rnd = prng(42);
  const at = (x0: number, x1: number) => Math.round((x0 + rnd() * (x1 - x0)) * 1e5) / 1e5;

  beforeAll(async () => {
    const writes: Promise<Response>[] = [];
    for (let i = 0; i < 300; i++) {
      writes.push(
        post("shelters", {
          type: "Feature",
          geometry: { type: "Point", coordinates: [at(104, 104.6), at(30.6, 31.1)] },
          properties: { name: `s${i}`, capacity: 100 },
        }),
      );
    }
    // a point exactly on a bbox edge and corner
    writes.push(post("shelters", { type: "Feature", geometry: { type: "Point", coordinates: [104.2, 30.8] }, properties: { name: "edge", capacity: 1 } }));
    for (let i = 0; i < 60; i++) {
      const [x, y, r] = [at(104, 104.6), at(30.6, 31.1), 0.005 + rnd() * 0.03];
      const geometry =
        i % 3 === 0
          ? {
              type: "LineString",
              coordinates: [
                [x, y],
                [at(104, 104.6), at(30.6, 31.1)],
              ],
            }
          : turf.circle([x, y], r * 111, { steps: 12, units: "kilometers" }).geometry;
      writes.push(post("hazards", { type: "Feature", geometry, properties: { name: `h${i}`, kind: "flood_zone", risk_level: 1 + (i % 4) } }));
    }
    for (const res of await Promise.all(writes)) expect(res.status).toBe(201);
  });

  async function all(layer: string) {
    return (await (await w.fetch(`${w.base}/api/v1/layers/${layer}/features?limit=10000`)).json()).features as GeoJSON.Feature[];
  }

  it("for points and for polygons/lines, over 40 random boxes", async () => {
    const shelters = await all("shelters");
    const hazards = await all("hazards");
    expect(shelters.length).toBe(301);
    const boxes: [number, number, number, number][] = [
      [104.2, 30.8, 104.35, 30.95],
      [104.2, 30.7, 104.2, 30.8],
    ];
    for (let i = 0; i < 38; i++) {
      const [a, b, c, d] = [at(103.95, 104.65), at(30.55, 31.15), at(103.95, 104.65), at(30.55, 31.15)];
      boxes.push([Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)]);
    }
    let nonEmpty = 0;
    for (const box of boxes) {
      const [x0, y0, x1, y1] = box;
      const expectedShelters = shelters
        .filter((f) => {
          const [x, y] = (f.geometry as GeoJSON.Point).coordinates as [number, number];
          return x >= x0 && x <= x1 && y >= y0 && y <= y1;
        })
        .map((f) => f.id);
      const boxPolygon =
        x0 === x1 || y0 === y1
          ? turf.lineString([
              [x0, y0],
              [x1, y1],
            ])
          : turf.bboxPolygon(box);
      const expectedHazards = hazards.filter((f) => turf.booleanIntersects(boxPolygon, f)).map((f) => f.id);
      const got = async (layer: string) =>
        ((await (await w.fetch(`${w.base}/api/v1/layers/${layer}/features?limit=10000&bbox=${box.join(",")}`)).json()).features as GeoJSON.Feature[]).map(
          (f) => f.id,
        );
      expect((await got("shelters")).sort(), `shelters in ${box}`).toEqual(expectedShelters.sort());
      expect((await got("hazards")).sort(), `hazards in ${box}`).toEqual(expectedHazards.sort());
      if (expectedShelters.length && expectedHazards.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it("pages with limit/offset and reports numberMatched", async () => {
    const box = "104.1,30.7,104.5,31.0";
    const first = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features?bbox=${box}&limit=50`)).json();
    const pages = [first];
    for (let offset = 50; offset < first.numberMatched; offset += 50) {
      pages.push(await (await w.fetch(`${w.base}/api/v1/layers/shelters/features?bbox=${box}&limit=50&offset=${offset}`)).json());
    }
    const ids = pages.flatMap((p) => p.features.map((f: { id: number }) => f.id));
    expect(new Set(ids).size).toBe(first.numberMatched);
    expect(pages.every((p) => p.numberMatched === first.numberMatched)).toBe(true);
    expect(pages.at(-1).numberReturned).toBe(first.numberMatched - 50 * (pages.length - 1));
  });

  it("combines bbox with attribute filters", async () => {
    const box = [104.0, 30.6, 104.3, 30.9];
    const hazards = await all("hazards");
    const expected = hazards
      .filter((f) => [1, 2].includes(f.properties!.risk_level) && turf.booleanIntersects(turf.bboxPolygon(box as [number, number, number, number]), f))
      .map((f) => f.id)
      .sort();
    const got = (await (await w.fetch(`${w.base}/api/v1/layers/hazards/features?limit=10000&bbox=${box.join(",")}&risk_level=1,2`)).json()).features
      .map((f: { id: number }) => f.id)
      .sort();
    expect(got).toEqual(expected);
  });
});
