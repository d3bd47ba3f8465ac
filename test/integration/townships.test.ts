// Townships from what people have (issue 13 part 4): administrative codes of 6–12 digits (a 12-digit one
// keeps the structure of 统计用区划代码), a village naming its township by code or by name (Simplified or
// Traditional, through the API and a CSV import), and a township known without its polygon: stored, listed,
// exported, tiled and served by OGC API with a null geometry, and counted as such for the map.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startWorld, type World } from "../support/world.ts";

const run = promisify(execFile);

let w: World;
let dir: string;
beforeAll(async () => {
  w = await startWorld();
  dir = mkdtempSync(join(tmpdir(), "hazmap-townships-test-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w?.close();
});

const square = (x: number, y: number, d = 0.05) => ({
  type: "Polygon",
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});
const point = (x: number, y: number) => ({ type: "Point", coordinates: [x, y] });

async function post(layer: string, properties: Record<string, unknown>, geometry?: unknown) {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "Feature", ...(geometry === undefined ? {} : { geometry }), properties }),
  });
  return { status: res.status, type: res.headers.get("content-type"), etag: res.headers.get("etag"), body: await res.json() };
}

async function patch(layer: string, id: number, body: unknown) {
  const current = await w.fetch(`${w.base}/api/v1/layers/${layer}/features/${id}`);
  expect(current.status).toBe(200);
  await current.arrayBuffer();
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", "If-Match": current.headers.get("etag")! },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function importCsv(layer: string, csv: string) {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/import?format=csv`, { method: "POST", body: csv, headers: { "content-type": "text/csv" } });
  return { status: res.status, body: await res.json() };
}

// Taiwan's 8-digit MOI township codes (Nantou), a mainland 12-digit 统计用区划代码 and a 9-digit county list's code
const TOWNS = [
  { name: "南投市", admin_code: "10008010", at: [120.6, 23.9] },
  { name: "埔里鎮", admin_code: "10008020", at: [120.9, 23.95] },
  { name: "青山镇", admin_code: "510199101000", at: [104.1, 30.7] },
  { name: "白石乡", admin_code: "510199201", at: [104.3, 30.7] },
] as const;

describe("administrative codes of 6–12 digits", () => {
  it("takes Taiwan's 8-digit township and 11-digit village codes, a 12-digit 统计用区划代码 and a 9-digit code", async () => {
    for (const t of TOWNS) {
      const r = await post("townships", { name: t.name, admin_code: t.admin_code }, square(t.at[0], t.at[1]));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.properties.admin_code).toBe(t.admin_code);
    }
    const v = await post("villages", { name: "龍泉里", admin_code: "10008010001", township_code: "10008010", population: 1048 }, point(120.62, 23.92));
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    expect(v.body.properties).toMatchObject({ admin_code: "10008010001", township_code: "10008010" });
    const cn = await post("villages", { name: "石桥村", admin_code: "510199101201", township_code: "510199101000", population: 900 }, point(104.12, 30.72));
    expect(cn.status, JSON.stringify(cn.body)).toBe(201);
  });

  it("refuses codes too short, too long or not digits, and a 12-digit code without 统计用区划代码's structure, naming the field", async () => {
    const bad: [layer: string, code: string][] = [
      ["townships", "10008"],
      ["townships", "1000801000000"],
      ["townships", "1000801A"],
      ["townships", "510199101001"], // a village's code given as a township's
      ["townships", "510199000000"], // a county's code: no township part
      ["villages", "510199101000"], // a township's code given as a village's
      ["villages", "510199000201"], // no township part
    ];
    for (const [layer, admin_code] of bad) {
      const r = await post(
        layer,
        { name: "x", admin_code, ...(layer === "villages" ? { population: 1 } : {}) },
        layer === "villages" ? point(104, 30) : square(104, 30),
      );
      expect(r.status, `${layer} ${admin_code}`).toBe(400);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body.errors).toEqual([{ path: ["properties", "admin_code"], message: expect.stringMatching(/6–12 digits/) }]);
    }
    const r = await post("villages", { name: "x", township_code: "510199101001", population: 1 }, point(104, 30));
    expect(r.body.errors).toEqual([{ path: ["properties", "township_code"], message: expect.stringMatching(/township code of 6–12 digits/) }]);
  });

  it("the database holds the same rule, whoever writes", async () => {
    const rejects = (sql: string) => expect(w.db.raw(sql)).rejects.toThrow(/admin_code_check/);
    await rejects(`INSERT INTO townships (name, admin_code) VALUES ('x', '12345')`);
    await rejects(`INSERT INTO townships (name, admin_code) VALUES ('x', '510199101001')`);
    await rejects(`INSERT INTO villages (name, geom, population, admin_code) VALUES ('x', ST_SetSRID(ST_MakePoint(104, 30), 4326), 1, '510199101000')`);
    await w.db.raw(`INSERT INTO townships (name, admin_code) VALUES ('x', '123456')`);
    await w.db.raw(`DELETE FROM townships WHERE admin_code = '123456'`);
  });

  it("scopes the questions to a township of 8 digits", async () => {
    const res = await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=1000&township=10008010`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(["龍泉里"]);
    const bad = await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=1000&township=510199101001`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([{ path: ["township"], message: expect.stringMatching(/6–12 digits/) }]);
  });
});

describe("a village names its township by code or by name", () => {
  const cases: [given: string, code: string][] = [
    ["南投市", "10008010"],
    ["埔里鎮", "10008020"], // as the township is written
    ["埔里镇", "10008020"], // Simplified, for a township written in Traditional
    ["青山鎮", "510199101000"], // Traditional, for a township written in Simplified
    [" 白石 乡 ", "510199201"], // blanks
    ["510199101000", "510199101000"], // a code in the name column
  ];
  for (const [given, code] of cases) {
    it(`through the API: ${JSON.stringify(given)} → ${code}`, async () => {
      const r = await post("villages", { name: `村 ${given}`, township_name: given, population: 10 }, point(120.6, 23.9));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.properties.township_code).toBe(code);
      expect(r.body.properties).not.toHaveProperty("township_name"); // resolved, not stored
    });
  }

  it("PATCH moves a village to the township it names", async () => {
    const r = await post("villages", { name: "移村", township_code: "10008010", population: 10 }, point(120.6, 23.9));
    const p = await patch("villages", r.body.id, { properties: { township_name: "埔里鎮" } });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.properties.township_code).toBe("10008020");
    // null is "not given", as for any optional attribute: alone, it changes nothing
    const nothing = await patch("villages", r.body.id, { properties: { township_name: null } });
    expect(nothing.status).toBe(400);
    expect(nothing.body.errors).toEqual([{ path: ["properties"], message: expect.stringMatching(/nothing to change/) }]);
    const kept = await patch("villages", r.body.id, { properties: { township_name: null, population: 11 } });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    expect(kept.body.properties).toMatchObject({ township_code: "10008020", population: 11 });
  });

  it("refuses a name no township has, one that several have, and a name that contradicts the code, naming township_name", async () => {
    await post("townships", { name: "重名镇", admin_code: "510199102000" }, square(104.5, 30.7));
    await post("townships", { name: "重名鎮", admin_code: "510199103000" }, square(104.6, 30.7));
    const refused: [Record<string, unknown>, RegExp][] = [
      [{ township_name: "不存在镇" }, /no township is named 不存在镇/],
      [{ township_name: "重名镇" }, /2 townships are named 重名镇 \(510199102000, 510199103000\)/],
      [{ township_name: "南投市", township_code: "10008020" }, /names township 10008010, but township_code is 10008020/],
    ];
    for (const [properties, message] of refused) {
      const r = await post("villages", { name: "x", population: 1, ...properties }, point(120.6, 23.9));
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([{ path: ["properties", "township_name"], message: expect.stringMatching(message) }]);
    }
    const count = await w.db("villages").where({ name: "x" }).count<{ n: string }[]>("* as n");
    expect(Number(count[0]!.n)).toBe(0);
  });

  it("imports a CSV whose 乡镇 column names townships, in either script; refuses the whole file for an unknown one (422, row and field)", async () => {
    const csv = "名称,人口,乡镇,经度,纬度\n甲村,100,南投市,120.61,23.91\n乙村,200,埔里镇,120.91,23.96\n丙村,300,青山鎮,104.11,30.71\n";
    const ok = await importCsv("villages", csv);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ inserted: 3, errors: [] });
    const got = await w.db("villages").whereIn("name", ["甲村", "乙村", "丙村"]).orderBy("name").select("name", "township_code");
    expect(Object.fromEntries(got.map((r: { name: string; township_code: string }) => [r.name, r.township_code]))).toEqual({
      甲村: "10008010",
      乙村: "10008020",
      丙村: "510199101000",
    });

    const traditionalHeader = "名稱,人口,鄉鎮,經度,緯度\n丁村,1,南投市,120.61,23.91\n".replace("名稱", "名称").replace("經度", "经度").replace("緯度", "纬度");
    const t = await importCsv("villages", traditionalHeader);
    expect(t.status, JSON.stringify(t.body)).toBe(200);
    expect((await w.db("villages").where({ name: "丁村" }).first("township_code")).township_code).toBe("10008010");

    const bad = await importCsv(
      "villages",
      "名称,人口,所属乡镇,经度,纬度\n戊村,1,南投市,120.61,23.91\n己村,1,不存在镇,120.61,23.91\n庚村,1,重名镇,120.61,23.91\n",
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      { row: 3, field: "township_name", message: expect.stringMatching(/no township is named 不存在镇/) },
      { row: 4, field: "township_name", message: expect.stringMatching(/2 townships are named 重名镇/) },
    ]);
    expect(await w.db("villages").where({ name: "戊村" }).first()).toBeUndefined();
  });

  it("publishes township_name in the villages schema as write-only", async () => {
    const { layers } = await (await w.fetch(`${w.base}/api/v1/layers`)).json();
    const villages = layers.find((l: { name: string }) => l.name === "villages");
    expect(villages.schema.properties.township_name).toMatchObject({
      anyOf: [expect.objectContaining({ type: "string", maxLength: 200 }), { type: "null" }],
      writeOnly: true,
      "x-label": { zh: "所属乡镇", en: "Township" },
    });
  });
});

describe("a township without a polygon", () => {
  let id: number;
  it("is created without a geometry, or with a null one, and read back with geometry null", async () => {
    const r = await post("townships", { name: "无界乡", admin_code: "510199202000" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.geometry).toBeNull();
    id = r.body.id;
    const n = await post("townships", { name: "空几何乡", admin_code: "510199203000" }, null);
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    expect(n.body.geometry).toBeNull();
    // a layer whose geometry is not optional still needs one
    const v = await post("villages", { name: "x", population: 1 }, null);
    expect(v.status).toBe(400);
    expect(v.body.errors[0].path).toEqual(["geometry"]);
  });

  it("holds villages, and is counted as without geometry for the map", async () => {
    const v = await post("villages", { name: "无界村", township_name: "无界乡", population: 500 }, point(104.4, 30.9));
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    expect(v.body.properties.township_code).toBe("510199202000");
    const { layers } = await (await w.fetch(`${w.base}/api/v1/layers`)).json();
    const t = layers.find((l: { name: string }) => l.name === "townships");
    expect(t.without_geometry).toBe(Number((await w.db("townships").whereNull("geom").count<{ n: string }[]>("* as n"))[0]!.n));
    expect(t.without_geometry).toBe(2);
    expect(layers.find((l: { name: string }) => l.name === "villages")).not.toHaveProperty("without_geometry");
  });

  it("is listed (not by a bbox, which it cannot meet) and served by OGC API with a null geometry", async () => {
    const all = await (await w.fetch(`${w.base}/api/v1/layers/townships/features?limit=1000`)).json();
    expect(all.features.find((f: { id: number }) => f.id === id)).toMatchObject({ geometry: null, properties: { name: "无界乡" } });
    const inBox = await (await w.fetch(`${w.base}/api/v1/layers/townships/features?bbox=-180,-90,180,90`)).json();
    expect(inBox.features.some((f: { id: number }) => f.id === id)).toBe(false);
    const item = await w.fetch(`${w.base}/ogc/collections/townships/items/${id}?f=json`);
    expect(item.status).toBe(200);
    expect(await item.json()).toMatchObject({ id, geometry: null });
    const items = await w.fetch(`${w.base}/ogc/collections/townships/items?limit=1000`);
    expect(items.status).toBe(200);
    expect((await items.json()).features.find((f: { id: number }) => f.id === id).geometry).toBeNull();
    const html = await w.fetch(`${w.base}/ogc/collections/townships/items/${id}?f=html`);
    expect(html.status).toBe(200);
    expect(await html.text()).toContain("无界乡");
    const collection = await w.fetch(`${w.base}/ogc/collections/townships`);
    expect(collection.status).toBe(200);
  });

  it("leaves vector tiles to the townships that have a polygon", async () => {
    const res = await w.fetch(`${w.base}/tiles/townships/0/0/0.mvt`);
    expect(res.status).toBe(200);
    const tile = Buffer.from(await res.arrayBuffer());
    expect(tile.length).toBeGreaterThan(0);
    const names = ["南投市", "青山镇"].map((n) => tile.includes(Buffer.from(n)));
    expect(names).toEqual([true, true]);
    expect(tile.includes(Buffer.from("无界乡"))).toBe(false);
  });

  for (const format of ["geojson", "csv", "kml", "shp", "gpkg"] as const) {
    it(`is exported as ${format}, read back by GDAL with no geometry`, async () => {
      const res = await w.fetch(`${w.base}/api/v1/layers/townships/export?format=${format}`);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status, body.toString().slice(0, 300)).toBe(200);
      const file = join(dir, `townships-${format}.${format === "shp" ? "zip" : format}`);
      writeFileSync(file, body);
      const source = format === "shp" ? `/vsizip/${file}` : file;
      const options = format === "csv" ? ["-oo", "GEOM_POSSIBLE_NAMES=wkt", "-oo", "KEEP_GEOM_COLUMNS=NO"] : [];
      const { stdout } = await run("ogr2ogr", ["-f", "GeoJSON", ...options, "/vsistdout/", source], { maxBuffer: 1 << 26 });
      const features = (JSON.parse(stdout) as { features: { geometry: unknown; properties: Record<string, unknown> }[] }).features;
      const byName = new Map(features.map((f) => [String(f.properties.name ?? f.properties.Name), f])); // KML's <name> is GDAL's Name
      expect(byName.get("无界乡")?.geometry ?? null).toBeNull();
      expect(byName.get("南投市")?.geometry).toMatchObject({ type: expect.stringMatching(/Polygon/) });
      expect(features.length).toBe(Number((await w.db("townships").count<{ n: string }[]>("* as n"))[0]!.n));
    });
  }

  it("gains a polygon by PATCH, and loses it by PATCH with geometry null", async () => {
    const add = await patch("townships", id, { geometry: square(104.4, 30.85, 0.1) });
    expect(add.status, JSON.stringify(add.body)).toBe(200);
    expect(add.body.geometry.type).toBe("MultiPolygon");
    const drop = await patch("townships", id, { geometry: null });
    expect(drop.status, JSON.stringify(drop.body)).toBe(200);
    expect(drop.body.geometry).toBeNull();
  });

  it("is imported from a sheet of codes and names, and a sheet without polygons keeps those already drawn", async () => {
    const r = await importCsv("townships", "code,名称,区划代码\nT-A,南山乡,510199204000\nT-B,北山乡,510199205000\n");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ inserted: 2, errors: [] });
    const wkt = "POLYGON((104 31,104.1 31,104.1 31.1,104 31.1,104 31))";
    const drawn = await importCsv("townships", `code,名称,区划代码,wkt\nT-A,南山乡,510199204000,"${wkt}"\n`);
    expect(drawn.body).toMatchObject({ updated: 1, errors: [] });
    const again = await importCsv("townships", "code,名称,区划代码\nT-A,南山乡,510199204000\nT-B,北山乡,510199205000\n");
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const { rows } = await w.db.raw("SELECT code, ST_AsText(geom) AS wkt FROM townships WHERE code IN ('T-A', 'T-B') ORDER BY code");
    expect(rows).toEqual([
      { code: "T-A", wkt: "MULTIPOLYGON(((104 31,104.1 31,104.1 31.1,104 31.1,104 31)))" },
      { code: "T-B", wkt: null },
    ]);
  });

  it("contains nothing for a clerk whose township it is", async () => {
    const clerk = await w
      .db("users")
      .insert({ username: "clerk.wujie", password_hash: "x", roles: ["clerk"], townships: ["510199202000"] })
      .returning("id");
    const { createToken } = await import("../../server/auth/tokens.ts");
    const { token } = await createToken(w.db, Number(clerk[0].id), "test");
    const res = await fetch(`${w.base}/api/v1/layers/shelters/features`, {
      method: "POST",
      headers: { "content-type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ geometry: point(104.45, 30.9), properties: { name: "无界避难所", capacity: 10 } }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toMatch(/outside your townships \(无界乡 510199202000\)/);
  });
});
