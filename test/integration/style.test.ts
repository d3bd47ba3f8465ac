import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VectorTile } from "@mapbox/vector-tile";
import { PbfReader } from "pbf";
import { validateStyleMin } from "@maplibre/maplibre-gl-style-spec";
import type { StyleSpecification } from "maplibre-gl";
import { startDemoWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startDemoWorld();
});
afterAll(() => w.close());

/** Slippy-map tile of a lon/lat at zoom z (the standard formula, not the server's). */
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

/** Every string in a JSON value that looks like a URL. */
function urlsIn(v: unknown): string[] {
  if (typeof v === "string") return /^(https?:)?\/\//.test(v) ? [v] : [];
  if (Array.isArray(v)) return v.flatMap(urlsIn);
  if (v && typeof v === "object") return Object.values(v).flatMap(urlsIn);
  return [];
}

describe("the map style (GET /styles/hazmap.json)", () => {
  let style: StyleSpecification & { metadata: Record<string, unknown> };
  beforeAll(async () => {
    // no sign-in needed for the style itself: it holds no data
    const res = await fetch(`${w.base}/styles/hazmap.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    style = await res.json();
  });

  it("is a valid MapLibre style (the style spec's own validator)", () => {
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.version).toBe(8);
    expect(style.layers.length).toBeGreaterThan(10);
  });

  it("names only the product: every URL in it starts with the product's address", () => {
    const urls = urlsIn(style);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url === w.base || url.startsWith(`${w.base}/`), url).toBe(true);
    expect(style.glyphs).toBeUndefined(); // labels are drawn with local fonts: no glyph server anywhere
    expect(style.sprite).toBeUndefined();
  });

  it("draws only tile layers that /tiles/all.json lists, from a source of the style", async () => {
    const tj = await (await w.fetch(`${w.base}/tiles/all.json`)).json();
    const listed = new Set((tj.vector_layers as { id: string }[]).map((l) => l.id));
    for (const layer of style.layers) {
      if (layer.type === "background") continue;
      expect(Object.keys(style.sources), layer.id).toContain(layer.source);
      expect(listed.has(layer["source-layer"]!), `${layer.id}: ${layer["source-layer"]}`).toBe(true);
      expect((layer.metadata as Record<string, string>)["hazmap:layer"], layer.id).toBeTruthy();
    }
    expect(style.sources.hazmap).toMatchObject({ type: "vector", tiles: tj.tiles, maxzoom: tj.maxzoom });
  });

  it("the tiles its URLs name decode and hold every tile layer it draws", async () => {
    const used = new Set(style.layers.flatMap((l) => ("source-layer" in l && l["source-layer"] ? [l["source-layer"]] : [])));
    const template = (style.sources.hazmap as { tiles: string[] }).tiles[0]!;
    const { rows } = await w.db.raw(`SELECT DISTINCT ON (t) t, ST_X(p) AS x, ST_Y(p) AS y FROM (
      SELECT 'hazard' AS t, ST_PointOnSurface(geom) AS p, id FROM hazards WHERE ST_Dimension(geom) = 2
      UNION ALL SELECT 'township', ST_PointOnSurface(geom), id FROM townships
      UNION ALL SELECT 'shelter', geom, id FROM shelters
      UNION ALL SELECT 'water', ST_PointOnSurface(geom), id FROM water_areas WHERE kind <> 'river') s ORDER BY t, id`);
    const seen = new Set<string>();
    for (const r of rows) {
      for (const z of [10, 13]) {
        const [x, y] = tileOf(r.x, r.y, z);
        const res = await w.fetch(template.replace("{z}", String(z)).replace("{x}", String(x)).replace("{y}", String(y)));
        expect(res.status).toBe(200);
        const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
        for (const [name, layer] of Object.entries(tile.layers)) if (layer.length > 0) seen.add(name);
      }
    }
    for (const name of used) expect(seen.has(name), name).toBe(true);
  });

  it("carries the legend and the data layer of each drawn layer, which the web app's toggles go by", () => {
    const legend = style.metadata["hazmap:legend"] as { layers: Record<string, string>; risk: Record<string, string>; keys: Record<string, unknown[]> };
    const drawn = new Set(style.layers.map((l) => (l.metadata as Record<string, string> | undefined)?.["hazmap:layer"]).filter(Boolean));
    expect([...drawn].sort()).toEqual(Object.keys(legend.layers).sort());
    // every data layer drawn has its symbols in the legend
    expect([...drawn].sort()).toEqual(Object.keys(legend.keys).sort());
    for (const keys of Object.values(legend.keys)) expect(keys.length).toBeGreaterThan(0);
    expect(Object.keys(legend.risk)).toEqual(["1", "2", "3", "4"]);
    expect(style.metadata["hazmap:public-url"]).toBe(w.base);
  });
});
