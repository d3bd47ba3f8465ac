// WKT cells in CSV imports are read by PostGIS: every type and notation it knows, each refusal a row's
// error naming the row, Z/M ordinates dropped with a warning rather than silently.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

async function importCsv(layer: string, lines: string[]) {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/import?format=csv`, {
    method: "POST",
    body: lines.join("\n"),
    headers: { "content-type": "text/csv" },
  });
  return { status: res.status, body: await res.json() };
}

async function stored(layer: string): Promise<Record<string, unknown>> {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features?limit=10000`);
  const features: { geometry: unknown; properties: { code: string } }[] = (await res.json()).features;
  return Object.fromEntries(features.map((f) => [f.properties.code, f.geometry]));
}

const hazard = (code: string, wkt: string) => `${code},${code},洪涝风险区,2,"${wkt}"`;
const HAZARD_HEADER = "name,code,kind,risk_level,wkt";

describe("WKT cells", () => {
  it("go in in every notation PostGIS reads, Z and M dropped with a warning", async () => {
    await w.db.raw("TRUNCATE hazards CASCADE");
    const { status, body } = await importCsv("hazards", [
      HAZARD_HEADER,
      hazard("lower", "point ( 110.5 30.25 )"),
      hazard("ewkt", "SRID=4326;POINT(110.001 -2.5E+1)"),
      hazard("z", "POINT Z (110 30 100)"),
      hazard("m", "POINTM(111 31 7)"),
      hazard("line", "LINESTRING(110 30, 110.5 30.25, 111 31)"),
      hazard("hole", "POLYGON((110 30,111 30,111 31,110 31,110 30),(110.2 30.2,110.4 30.2,110.4 30.4,110.2 30.2))"),
      hazard("lines", "MULTILINESTRING((1 2,3 4),(5 6,7 8))"),
      hazard("polys", "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))"),
    ]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ inserted: 8, errors: [], warnings: ["2 WKT cells have Z or M ordinates: only longitude and latitude are kept"] });
    expect(await stored("hazards")).toEqual({
      lower: { type: "Point", coordinates: [110.5, 30.25] },
      ewkt: { type: "Point", coordinates: [110.001, -25] },
      z: { type: "Point", coordinates: [110, 30] },
      m: { type: "Point", coordinates: [111, 31] },
      line: {
        type: "LineString",
        coordinates: [
          [110, 30],
          [110.5, 30.25],
          [111, 31],
        ],
      },
      hole: {
        type: "Polygon",
        coordinates: [
          [
            [110, 30],
            [111, 30],
            [111, 31],
            [110, 31],
            [110, 30],
          ],
          [
            [110.2, 30.2],
            [110.4, 30.2],
            [110.4, 30.4],
            [110.2, 30.2],
          ],
        ],
      },
      lines: {
        type: "MultiLineString",
        coordinates: [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
      },
      polys: {
        type: "MultiPolygon",
        coordinates: [
          [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
          [
            [
              [2, 2],
              [3, 2],
              [3, 3],
              [2, 2],
            ],
          ],
        ],
      },
    });
  });

  it("that PostGIS refuses, or the layer does not take, are each their row's error, and nothing is written", async () => {
    await w.db.raw("TRUNCATE hazards CASCADE");
    const good = (i: number) => hazard(`ok${i}`, `POINT(110.${i} 30)`);
    const { status, body } = await importCsv("hazards", [
      HAZARD_HEADER,
      good(1),
      hazard("short", "POLYGON((1 2, 3 4)"), // row 3
      good(2),
      good(3),
      hazard("circle", "CIRCLE(1 2)"), // row 6
      hazard("empty", "POINT EMPTY"), // row 7
      good(4),
      hazard("collection", "GEOMETRYCOLLECTION(POINT(110 30),LINESTRING(110 30,111 31))"), // row 9
      hazard("multipoint", "MULTIPOINT((110 30),(111 31))"), // row 10
      hazard("mercator", "SRID=3857;POINT(12245143 3503549)"), // row 11
      hazard("junk", "POINT(110 30) and more"), // row 12
      good(5),
    ]);
    expect(status).toBe(422);
    expect(body.errors).toEqual([
      { row: 3, field: "geometry", message: "invalid WKT: geometry requires more points (at character 23)" },
      { row: 6, field: "geometry", message: "invalid WKT: parse error - invalid geometry (at character 2)" },
      { row: 7, field: "geometry", message: "invalid WKT: the geometry is EMPTY: a feature needs a location" },
      { row: 9, field: "geometry", message: expect.stringMatching(/ not GeometryCollection$/) },
      { row: 10, field: "geometry", message: expect.stringMatching(/ not MultiPoint$/) },
      { row: 11, field: "geometry", message: "invalid WKT: SRID=3857 is not read here: give the coordinates without SRID, in the import's CRS" },
      { row: 12, field: "geometry", message: "invalid WKT: parse error - invalid geometry (at character 18)" },
    ]);
    expect(await stored("hazards")).toEqual({});
  });

  it("of a point layer refuse lines, and a blank WKT cell falls back to lon/lat", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const { status, body } = await importCsv("shelters", ["name,code,capacity,lon,lat,wkt", `A,A,10,,,"LINESTRING(110 30,111 31)"`, `B,B,10,110,30,`]);
    expect(status).toBe(422);
    expect(body.errors).toEqual([{ row: 2, field: "geometry", message: "must be one of Point for this layer, not LineString" }]);
  });
});
