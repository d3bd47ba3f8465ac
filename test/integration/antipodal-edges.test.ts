import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

// Issue 14, finding 8, where else a drawn shape arrives: a feature whose edge joins antipodal points
// made PostGIS fail ("Antipodal edge detected") and the API answer 500. It is refused with a 400
// naming the geometry; a line across the antimeridian (the short way, as geography reads it) is kept.

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.close());

const hazard = (geometry: unknown) =>
  w.fetch(`${w.base}/api/v1/layers/hazards/features`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "Feature", geometry, properties: { name: "边", kind: "reservoir", risk_level: 2, influence_radius_m: 100 } }),
  });

describe("an edge between antipodal points", () => {
  it.each([
    [
      "the whole globe as a polygon",
      {
        type: "Polygon",
        coordinates: [
          [
            [-180, -90],
            [180, -90],
            [180, 90],
            [-180, 90],
            [-180, -90],
          ],
        ],
      },
    ],
    [
      "a line to the far side of the Earth",
      {
        type: "LineString",
        coordinates: [
          [104, 30],
          [-76, -30],
        ],
      },
    ],
    [
      "a line from pole to pole",
      {
        type: "MultiLineString",
        coordinates: [
          [
            [0, 1],
            [1, 1],
          ],
          [
            [10, -90],
            [10, 90],
          ],
        ],
      },
    ],
  ])("%s → 400 naming the geometry", async (_, geometry) => {
    const res = await hazard(geometry);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors).toEqual([{ path: ["geometry", "coordinates"], message: expect.stringMatching(/antipodal/) }]);
    expect(await w.db("hazards").count({ n: "*" })).toEqual([{ n: "0" }]);
  });

  it("a line across the antimeridian is kept", async () => {
    const res = await hazard({
      type: "LineString",
      coordinates: [
        [175, -50],
        [-175, -52],
      ],
    });
    expect(res.status).toBe(201);
  });
});
