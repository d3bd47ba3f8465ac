import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAYERS } from "../../server/layers/index.ts";
import { SAMPLES } from "../fixtures/features.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe.each(LAYERS.filter((l) => !l.readOnly).map((l) => l.name))("CRUD round trip: %s", (layer) => {
  it("creates, reads, lists, patches and deletes a feature", async () => {
    const { feature, patch } = SAMPLES[layer]!;
    const created = await w.fetch(`${w.base}/api/v1/layers/${layer}/features`, { method: "POST", ...json(feature) });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toMatch(/^application\/geo\+json/);
    expect(created.headers.get("etag")).toBe('"1"');
    const location = created.headers.get("location")!;
    const body = await created.json();
    expect(location).toBe(`/api/v1/layers/${layer}/features/${body.id}`);
    expect(body.properties).toMatchObject({ ...feature.properties, version: 1 });
    const expectedType =
      { townships: "MultiPolygon", roads: "MultiLineString", waterways: "MultiLineString", water_areas: "MultiPolygon", built_up: "MultiPolygon" }[layer] ??
      (feature.geometry as { type: string }).type;
    expect(body.geometry.type).toBe(expectedType);

    const read = await w.fetch(`${w.base}${location}`);
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe('"1"');
    expect(await read.json()).toEqual(body);

    const list = await (await w.fetch(`${w.base}/api/v1/layers/${layer}/features?limit=10`)).json();
    expect(list.type).toBe("FeatureCollection");
    expect(list.features.map((f: { id: number }) => f.id)).toContain(body.id);
    expect(list.numberReturned).toBe(list.features.length);

    const patched = await w.fetch(`${w.base}${location}`, { method: "PATCH", ...json({ properties: patch }, { "If-Match": '"1"' }) });
    expect(patched.status).toBe(200);
    expect(patched.headers.get("etag")).toBe('"2"');
    const after = await patched.json();
    expect(after.properties).toMatchObject({ ...feature.properties, ...patch, version: 2 });
    expect(after.geometry).toEqual(body.geometry);

    const moved = await w.fetch(`${w.base}${location}`, { method: "DELETE", headers: { "If-Match": '"1"' } });
    expect(moved.status).toBe(412);
    const deleted = await w.fetch(`${w.base}${location}`, { method: "DELETE", headers: { "If-Match": '"2"' } });
    expect(deleted.status).toBe(204);
    expect((await w.fetch(`${w.base}${location}`)).status).toBe(404);
  });
});

describe("layers and operations", () => {
  it("lists every layer with its count, label and schema", async () => {
    const res = await w.fetch(`${w.base}/api/v1/layers`);
    expect(res.status).toBe(200);
    const { layers } = await res.json();
    expect(layers.map((l: { name: string }) => l.name).sort()).toEqual(LAYERS.map((l) => l.name).sort());
    const shelters = layers.find((l: { name: string }) => l.name === "shelters");
    expect(shelters).toMatchObject({ label: { zh: "应急避难场所", en: "Shelters" }, geometry_type: "Point", read_only: false });
    expect(typeof shelters.count).toBe("number");
    expect(shelters.schema.required).toEqual(expect.arrayContaining(["name", "capacity"]));
    expect(shelters.schema.properties.status["x-value-labels"].open).toEqual({ zh: "开放", en: "Open" });
  });

  it("lists with each layer the attributes a commander may change: a shelter's occupancy, a team's and a road's status, nothing else", async () => {
    const { layers } = await (await w.fetch(`${w.base}/api/v1/layers`)).json();
    const byLayer = Object.fromEntries(layers.map((l: { name: string; status_fields: string[] }) => [l.name, l.status_fields]));
    expect(byLayer).toEqual(Object.fromEntries(LAYERS.map((l) => [l.name, { shelters: ["occupancy"], teams: ["status"], roads: ["status"] }[l.name] ?? []])));
  });

  it("moves a feature by patching its geometry", async () => {
    const created = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features`, { method: "POST", ...json(SAMPLES.shelters!.feature) })).json();
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/features/${created.id}`, {
      method: "PATCH",
      ...json({ geometry: { type: "Point", coordinates: [104.3, 30.9, 512] } }, { "If-Match": '"1"' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).geometry).toEqual({ type: "Point", coordinates: [104.3, 30.9] });
  });

  it("serves an OpenAPI document generated from the registry", async () => {
    const doc = await (await w.fetch(`${w.base}/api/v1/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const l of LAYERS) {
      expect(doc.paths[`/api/v1/layers/${l.name}/features`].get).toBeDefined();
      expect(Object.keys(doc.components.schemas[l.name].properties.properties.properties)).toEqual(
        expect.arrayContaining(["name", "code", ...Object.keys(l.fields)]),
      );
    }
    expect(doc.components.schemas.hazards.properties.properties.properties.kind.enum).toContain("debris_flow");
    // the questions, from the schemas their routes parse
    const nearest = doc.paths["/api/v1/nearest"].get.parameters;
    // lon, lat or hazard_id: none is required alone
    expect(nearest.find((p: { name: string }) => p.name === "lon")).toMatchObject({ in: "query", required: false });
    expect(nearest.find((p: { name: string }) => p.name === "hazard_id").schema.description).toMatch(/never answered/);
    expect(nearest.find((p: { name: string }) => p.name === "include_unusable").schema.description).toMatch(/By default only usable shelters/);
    expect(nearest.find((p: { name: string }) => p.name === "layer").schema.enum).toEqual(["depots", "shelters", "teams", "hazards"]);
    expect(doc.paths["/api/v1/evacuation-plan"].post.requestBody.content["application/json"].schema).toBeDefined();
    expect(doc.paths["/api/v1/layers/shelters/import"].post).toBeDefined();
    expect(doc.paths["/api/v1/layers/village-risk/import"]).toBeUndefined(); // derived layers are read-only
  });

  it("answers /healthz and /readyz", async () => {
    expect((await w.fetch(`${w.base}/healthz`)).status).toBe(200);
    expect(await (await w.fetch(`${w.base}/readyz`)).json()).toEqual({ status: "ready" });
  });
});
