// The base map's layers (migration 017: waterways, water_areas, built_up, places) over real HTTP and real
// PostGIS: the demo county has them, they are served as features and vector tiles (a county seat kept
// over a village beside it where points crowd), and a bureau imports its own rivers as GeoJSON and as a
// Shapefile in CGCS2000 Gauss-Krüger with a GBK table (truth: GDAL's own reprojection, geodesic metres).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { VectorTile } from "@mapbox/vector-tile";
import { PbfReader } from "pbf";
import yazl from "yazl";
import { startDemoWorld, type World } from "../support/world.ts";
import { geodesicDistance, type LonLat } from "../support/truth.ts";

const run = promisify(execFile);
let w: World;
let dir: string;
beforeAll(async () => {
  w = await startDemoWorld();
  dir = mkdtempSync(join(tmpdir(), "hazmap-base-map-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w?.close();
});

/** Slippy-map tile of a lon/lat at zoom z (the standard formula, not the server's). */
function tileOf([lon, lat]: LonLat, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

async function tileAt(layer: string, at: LonLat, z: number): Promise<VectorTile> {
  const res = await w.fetch(`${w.base}/tiles/${layer}/${z}/${tileOf(at, z).join("/")}.mvt`);
  expect(res.status).toBe(200);
  return new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
}

const namesIn = (vt: VectorTile, layer: string): string[] => {
  const l = vt.layers[layer];
  return l ? Array.from({ length: l.length }, (_, i) => String(l.feature(i).properties.name)) : [];
};

async function getJson<T>(path: string): Promise<T> {
  const res = await w.fetch(`${w.base}${path}`);
  expect(res.status, path).toBe(200);
  return res.json() as Promise<T>;
}

interface Fc {
  numberMatched: number;
  features: { id: number; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
}

describe("the demo county's base map", () => {
  it("is listed with the other layers, labelled in both languages, with its kinds", async () => {
    const { layers } = await getJson<{
      layers: { name: string; label: { zh: string }; geometry_type: string; count: number; schema: { properties: Record<string, { enum?: string[] }> } }[];
    }>("/api/v1/layers");
    const byName = Object.fromEntries(layers.map((l) => [l.name, l]));
    expect(byName.waterways).toMatchObject({ label: { zh: "河流水系" } });
    expect(byName.water_areas).toMatchObject({ label: { zh: "水域" } });
    expect(byName.built_up).toMatchObject({ label: { zh: "建成区" } });
    expect(byName.places).toMatchObject({ label: { zh: "地名" } });
    expect(byName.waterways!.schema.properties.kind!.enum).toEqual(["river", "stream", "canal"]);
    expect(byName.places!.schema.properties.kind!.enum).toEqual(["county_seat", "town", "landmark", "village", "hamlet"]);
    const villages = byName.villages!.count;
    expect(byName.places!.count).toBeGreaterThan(villages);
    expect(byName.waterways!.count).toBeGreaterThanOrEqual(4);
    expect(byName.water_areas!.count).toBeGreaterThanOrEqual(2);
    expect(byName.built_up!.count).toBe(byName.townships!.count - 1);
  });

  it("has its river as a line, its water and the reservoir as areas, and the county seat as a place", async () => {
    const rivers = await getJson<Fc>("/api/v1/layers/waterways/features?kind=river");
    expect(rivers.numberMatched).toBe(1);
    expect(rivers.features[0]!.geometry.type).toBe("MultiLineString");
    const riverName = rivers.features[0]!.properties.name;
    const water = await getJson<Fc>("/api/v1/layers/water_areas/features");
    expect(water.features.map((f) => [f.properties.kind, f.geometry.type])).toEqual(
      expect.arrayContaining([
        ["river", "MultiPolygon"],
        ["reservoir", "MultiPolygon"],
      ]),
    );
    expect(water.features.find((f) => f.properties.kind === "river")!.properties.name).toBe(riverName);
    // the reservoir's water is the reservoir hazard's outline
    const [lake] = (
      await w.db.raw(
        `SELECT count(*)::int AS n FROM water_areas a JOIN hazards h ON h.kind = 'reservoir' AND h.name = a.name
          WHERE a.kind = 'reservoir' AND ST_Equals(a.geom, ST_Multi(h.geom))`,
      )
    ).rows;
    expect(lake.n).toBe(1);
    const seat = await getJson<Fc>("/api/v1/layers/places/features?kind=county_seat");
    expect(seat.features.map((f) => f.properties.name)).toEqual(["示范县"]);
  });

  it("is in the tiles every map reads: the river and its name at the county's zoom, the township seats' names", async () => {
    const seat = (await getJson<Fc>("/api/v1/layers/places/features?kind=county_seat")).features[0]!.geometry.coordinates as LonLat;
    const all = await tileAt("all", seat, 9);
    for (const layer of ["waterways", "water_areas", "built_up", "places"]) expect(all.layers[layer]?.length, layer).toBeGreaterThan(0);
    expect(namesIn(all, "places")).toContain("示范县");
    const river = (await getJson<Fc>("/api/v1/layers/waterways/features?kind=river")).features[0]!;
    expect(namesIn(all, "waterways")).toContain(river.properties.name);
  });

  it("keeps the county seat's name over a village's where two places share a tile's cell, whichever came first", async () => {
    // far from the demo county, so nothing else shares the cell; the village is stored first (lower id)
    const at: LonLat = [100.123, 25.456];
    for (const [name, kind, lon] of [
      ["试点村", "village", at[0]],
      ["试点县城", "county_seat", at[0] + 0.0002],
    ] as const) {
      const res = await w.fetch(`${w.base}/api/v1/layers/places/features`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [lon, at[1]] }, properties: { name, kind } }),
      });
      expect(res.status).toBe(201);
    }
    // at zoom 10 a cell is ~600 m: one place is kept, the county seat
    expect(namesIn(await tileAt("places", at, 10), "places")).toEqual(["试点县城"]);
    // at a street zoom both are drawn
    expect(namesIn(await tileAt("places", at, 17), "places").sort()).toEqual(["试点县城", "试点村"].sort());
  });
});

/** A .zip of the given files (name in the archive → path on disk). */
function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, path] of Object.entries(files)) zip.addFile(path, name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on("error", reject);
  });
}

async function importFile(layer: string, body: Buffer | string, query: string) {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/import?${query}`, {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  return { status: res.status, body: await res.json() };
}

describe("a bureau's own rivers, imported like any layer", () => {
  // 岷江 and a canal of the Dujiangyan system near Chengdu, simplified: the survey a bureau would hold
  const RIVERS: { code: string; name: string; kind: string; line: LonLat[] }[] = [
    {
      code: "HL-001",
      name: "岷江",
      kind: "river",
      line: [
        [103.6052, 31.0036],
        [103.6231, 30.9862],
        [103.6402, 30.9611],
        [103.6655, 30.9218],
      ],
    },
    {
      code: "HL-002",
      name: "走马河",
      kind: "canal",
      line: [
        [103.6235, 30.9995],
        [103.6601, 30.9807],
        [103.7012, 30.9603],
      ],
    },
  ];
  const features = RIVERS.map((r) => ({
    type: "Feature",
    geometry: { type: "LineString", coordinates: r.line },
    properties: { code: r.code, name: r.name, kind: r.kind },
  }));

  async function stored(): Promise<Map<string, { name: string; kind: string; line: LonLat[] }>> {
    const rows: { code: string; name: string; kind: string; g: { coordinates: LonLat[][] } }[] = (
      await w.db.raw("SELECT code, name, kind, ST_AsGeoJSON(geom, 12)::json g FROM waterways WHERE code LIKE 'HL-%'")
    ).rows;
    return new Map(rows.map((r) => [r.code, { name: r.name, kind: r.kind, line: r.g.coordinates[0]! }]));
  }

  it("as GeoJSON: inserted once, unchanged when imported again, a bad kind refused naming its row and field", async () => {
    const body = JSON.stringify({ type: "FeatureCollection", features });
    const first = await importFile("waterways", body, "format=geojson");
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ inserted: 2, errors: [] });
    const again = await importFile("waterways", body, "format=geojson");
    expect(again.body).toMatchObject({ inserted: 0, unchanged: 2, errors: [] });
    const rows = await stored();
    for (const r of RIVERS) expect(rows.get(r.code)).toEqual({ name: r.name, kind: r.kind, line: r.line });

    const bad = await importFile(
      "waterways",
      JSON.stringify({ type: "FeatureCollection", features: [{ ...features[0], properties: { code: "HL-009", name: "某河", kind: "ditch" } }] }),
      "format=geojson",
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ row: 1, field: "kind" })]);
    expect((await stored()).has("HL-009")).toBe(false);
  });

  it("as a Shapefile in CGCS2000 Gauss-Krüger CM 105E (EPSG:4545) with a GBK table: back on GDAL's WGS 84 within 1 cm", async () => {
    await w.db.raw("DELETE FROM waterways WHERE code LIKE 'HL-%'");
    const src = join(dir, "rivers.geojson");
    writeFileSync(src, JSON.stringify({ type: "FeatureCollection", features }));
    await run("ogr2ogr", ["-f", "ESRI Shapefile", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4545", "-lco", "ENCODING=GBK", join(dir, "河流.shp"), src]);
    const zip = await zipOf(Object.fromEntries(["shp", "shx", "dbf", "prj", "cpg"].map((e) => [`河流.${e}`, join(dir, `河流.${e}`)])));
    const r = await importFile("waterways", zip, "format=shapefile");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ inserted: 2, errors: [] });
    // GDAL's own way back to WGS 84 is the truth the import is held to
    const back = join(dir, "rivers_back.geojson");
    await run("ogr2ogr", ["-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=12", back, join(dir, "河流.shp")]);
    const truth = JSON.parse(readFileSync(back, "utf8")).features as { properties: { code: string; name: string }; geometry: { coordinates: LonLat[] } }[];
    const rows = await stored();
    expect([...rows.keys()].sort()).toEqual(["HL-001", "HL-002"]);
    for (const t of truth) {
      const row = rows.get(t.properties.code)!;
      expect(row.name).toBe(t.properties.name);
      expect(row.line).toHaveLength(t.geometry.coordinates.length);
      for (const [i, p] of row.line.entries()) expect(geodesicDistance(p, t.geometry.coordinates[i]!)).toBeLessThan(0.01);
    }
  });
});
