import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES } from "../fixtures/features.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

const shelter = SAMPLES.shelters!.feature;
const post = (layer: string, body: unknown) =>
  w.fetch(`${w.base}/api/v1/layers/${layer}/features`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function expectProblem(res: Response, status: number, paths: (string | number)[][]) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = await res.json();
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^\/problems\//), title: expect.any(String) });
  expect(body.errors?.map((e: { path: unknown }) => e.path) ?? []).toEqual(expect.arrayContaining(paths));
  return body;
}

const counts = async () =>
  Object.fromEntries(await Promise.all(["shelters", "hazards", "depot_stock"].map(async (t) => [t, Number((await w.db(t).count("* as n"))[0]!.n)])));

describe("bad input gets a 400 problem naming the field and writes nothing", () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await counts();
  });
  afterAll(async () => {
    expect(await counts()).toEqual(before);
  });

  it("wrong geometry type for the layer", async () => {
    const body = await expectProblem(
      await post("shelters", {
        ...shelter,
        geometry: {
          type: "LineString",
          coordinates: [
            [104, 30],
            [104.1, 30.1],
          ],
        },
      }),
      400,
      [["geometry", "type"]],
    );
    expect(body.errors[0].message).toMatch(/Point/);
  });

  it("coordinates out of range", async () => {
    await expectProblem(await post("shelters", { ...shelter, geometry: { type: "Point", coordinates: [204.1, 30] } }), 400, [["geometry", "coordinates", 0]]);
    await expectProblem(await post("shelters", { ...shelter, geometry: { type: "Point", coordinates: [104.1, -91] } }), 400, [["geometry", "coordinates", 1]]);
  });

  it("an invalid (self-intersecting) polygon", async () => {
    const bowtie = {
      type: "Polygon",
      coordinates: [
        [
          [104, 30],
          [104.1, 30.1],
          [104.1, 30],
          [104, 30.1],
          [104, 30],
        ],
      ],
    };
    const body = await expectProblem(await post("hazards", { ...SAMPLES.hazards!.feature, geometry: bowtie }), 400, [["geometry"]]);
    expect(body.errors[0].message).toMatch(/Self-intersection/);
  });

  it("an unclosed ring", async () => {
    const open = {
      type: "Polygon",
      coordinates: [
        [
          [104, 30],
          [104.1, 30],
          [104.1, 30.1],
          [104, 30.1],
        ],
      ],
    };
    await expectProblem(await post("hazards", { ...SAMPLES.hazards!.feature, geometry: open }), 400, [["geometry", "coordinates", 0]]);
  });

  it("a missing or negative capacity", async () => {
    const { capacity: _, ...noCapacity } = shelter.properties;
    await expectProblem(await post("shelters", { ...shelter, properties: noCapacity }), 400, [["properties", "capacity"]]);
    await expectProblem(await post("shelters", { ...shelter, properties: { ...shelter.properties, capacity: -5 } }), 400, [["properties", "capacity"]]);
    await expectProblem(await post("shelters", { ...shelter, properties: { ...shelter.properties, capacity: "many" } }), 400, [["properties", "capacity"]]);
  });

  it("several bad fields at once are all named", async () => {
    await expectProblem(
      await post("hazards", {
        type: "Feature",
        geometry: { type: "Point", coordinates: [104, 30] },
        properties: { name: " ", kind: "volcano", risk_level: 5, colour: "red" },
      }),
      400,
      [
        ["properties", "name"],
        ["properties", "kind"],
        ["properties", "risk_level"],
        ["properties", "colour"],
      ],
    );
  });

  it("malformed JSON", async () => {
    await expectProblem(await post("shelters", '{"type": "Feature", "geometry": '), 400, [[]]);
  });

  it("a body over 10 MB", async () => {
    const huge = JSON.stringify({ ...shelter, properties: { ...shelter.properties, address: "x".repeat(11 * 1024 * 1024) } });
    const res = await post("shelters", huge);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("an unknown item code in depot stock, leaving the stock as it was", async () => {
    const depot = await (await post("depots", SAMPLES.depots!.feature)).json();
    const url = `${w.base}/api/v1/depots/${depot.id}/stock`;
    const put = (rows: unknown, version: string) =>
      w.fetch(url, { method: "PUT", headers: { "content-type": "application/json", "If-Match": version }, body: JSON.stringify({ rows }) });
    expect((await put([{ item: "tent", quantity: 10 }], '"1"')).status).toBe(200);
    before = await counts();
    const res = await put(
      [
        { item: "quilt", quantity: 5 },
        { item: "unicorn", quantity: 1 },
      ],
      '"2"',
    );
    await expectProblem(res, 400, [["rows", 1, "item"]]);
    const stock = await (await w.fetch(url)).json();
    expect(stock.rows.map((r: { item: string; quantity: number }) => [r.item, r.quantity])).toEqual([["tent", 10]]);
    expect(stock.version).toBe(2);
  });

  it("bad list parameters", async () => {
    await expectProblem(await w.fetch(`${w.base}/api/v1/layers/shelters/features?bbox=105,30,104,31`), 400, [["bbox"]]);
    await expectProblem(await w.fetch(`${w.base}/api/v1/layers/shelters/features?limit=10001`), 400, [["limit"]]);
    await expectProblem(await w.fetch(`${w.base}/api/v1/layers/shelters/features?status=burning`), 400, [["status", 0]]);
    await expectProblem(await w.fetch(`${w.base}/api/v1/layers/shelters/features?colour=red`), 400, [["colour"]]);
  });
});

describe("not found", () => {
  it("unknown layer or id → 404 problem", async () => {
    for (const url of [
      "/api/v1/layers/volcanoes/features",
      "/api/v1/layers/shelters/features/999999",
      "/api/v1/layers/shelters/features/abc",
      "/api/v1/depots/999999/stock",
      "/api/v1/nothing",
    ]) {
      const res = await w.fetch(`${w.base}${url}`);
      expect(res.status, url).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    const patch = await w.fetch(`${w.base}/api/v1/layers/shelters/features/999999`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": '"1"' },
      body: JSON.stringify({ properties: { capacity: 1 } }),
    });
    expect(patch.status).toBe(404);
  });

  it("a duplicate external code is a 409 naming the field", async () => {
    const depot = { ...SAMPLES.depots!.feature, properties: { ...SAMPLES.depots!.feature.properties, code: "dup-1" } };
    expect((await post("depots", depot)).status).toBe(201);
    await expectProblem(await post("depots", depot), 409, [["properties", "code"]]);
  });
});
