// Imports over real HTTP into real PostGIS: encodings, Chinese headers, GCJ-02/BD-09, all-or-nothing
// rejection with the row, field and reason, dry runs, idempotent re-imports, XLSX, GeoJSON, round
// trips through the export, the real Nantou shelters file, and the CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import { startDemoWorld, startWorld, type World } from "../support/world.ts";
import { listenToChanges } from "../support/live_changes.ts";
import { geodesicDistance, type LonLat } from "../support/truth.ts";
import { NANTOU_DIR, parseCsv } from "../support/nantou.ts";
import { gcjToBd, wgsToGcj } from "../support/gcj02.ts";
import { idsIn, rankedPoints, thinnedTruth, tileOf } from "../support/tile_truth.ts";
import { villages as villageLayer } from "../../server/layers/villages.ts";
import type { TiledLayer } from "../../server/layers/layer.ts";

/** True WGS84 positions in mainland China (Beijing, Chengdu, Lhasa, Harbin, Guangzhou). */
const TRUE_POINTS: { code: string; name: string; at: LonLat }[] = [
  { code: "S-BJ", name: "天安门广场避难场所", at: [116.397477, 39.908692] },
  { code: "S-CD", name: "天府广场避难场所", at: [104.065735, 30.657441] },
  { code: "S-LS", name: "布达拉宫广场", at: [91.117212, 29.653149] },
  { code: "S-HB", name: "索菲亚广场", at: [126.628, 45.7705] },
  { code: "S-GZ", name: "海心沙公园", at: [113.3245, 23.1136] },
];

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

async function importFile(world: World, layer: string, body: Buffer | string, query: string) {
  const res = await world.fetch(`${world.base}/api/v1/layers/${layer}/import?${query}`, {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: { "content-type": "application/octet-stream" },
  });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

async function all(
  world: World,
  layer: string,
): Promise<{ id: number; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[]> {
  const res = await world.fetch(`${world.base}/api/v1/layers/${layer}/features?limit=10000`);
  return (await res.json()).features;
}

async function clear(layer: string) {
  await w.db.raw(`TRUNCATE ${layer} CASCADE`);
}

describe("CSV from Chinese web maps", () => {
  it("a GBK CSV with Chinese headers and GCJ-02 coordinates lands within 1 m of the true WGS84 point", async () => {
    await clear("shelters");
    const lines = ["名称,编码,容纳人数,状态,设施,经度,纬度"];
    for (const p of TRUE_POINTS) {
      const [lon, lat] = wgsToGcj(p.at);
      lines.push(`${p.name},${p.code},1200,开放,供水、供电;医疗,${lon.toFixed(8)},${lat.toFixed(8)}`);
    }
    const gbk = iconv.encode(lines.join("\r\n") + "\r\n", "gbk");
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(gbk)).toThrow(); // really not UTF-8
    const { status, body } = await importFile(w, "shelters", gbk, "format=csv&crs=gcj02"); // encoding detected
    expect(status).toBe(200);
    expect(body).toMatchObject({ inserted: 5, updated: 0, unchanged: 0, errors: [], dry_run: false });
    const stored = new Map((await all(w, "shelters")).map((f) => [f.properties.code, f]));
    for (const p of TRUE_POINTS) {
      const f = stored.get(p.code)!;
      // a facility's label is read as its code (供水 → water); a word the registry does not know is kept as written
      expect(f.properties).toMatchObject({ name: p.name, capacity: 1200, status: "open", facilities: ["water", "power", "医疗"] });
      expect(geodesicDistance(f.geometry.coordinates as LonLat, p.at)).toBeLessThan(1);
    }
  });

  it("BD-09 coordinates (Baidu) in a UTF-8 CSV with BOM land within 1 m too", async () => {
    await clear("shelters");
    const lines = ["\uFEFFName,Code,Capacity (persons),lng,LAT"];
    for (const p of TRUE_POINTS) {
      const [lon, lat] = gcjToBd(wgsToGcj(p.at));
      lines.push(`${p.name},${p.code},300,${lon},${lat}`);
    }
    const { status, body } = await importFile(w, "shelters", lines.join("\n"), "format=csv&crs=bd09&encoding=utf-8");
    expect(status).toBe(200);
    expect(body.inserted).toBe(5);
    const stored = new Map((await all(w, "shelters")).map((f) => [f.properties.code, f]));
    for (const p of TRUE_POINTS) expect(geodesicDistance(stored.get(p.code)!.geometry.coordinates as LonLat, p.at)).toBeLessThan(1);
  });
});

describe("one bad row: nothing is written, and the report names that row, field and reason", () => {
  const header = "名称,编码,容纳人数,经度,纬度";
  const good = (i: number) => `避难所${i},C${i},${100 + i},${110 + i / 100},${30 + i / 100}`;
  /** Five good rows with `bad` on line 4 of the file (header = line 1). */
  const sheet = (bad: string) => [header, good(1), good(2), bad, good(4), good(5)].join("\n");

  // an empty point layer is loaded by COPY straight into its table, any other through a staging table
  describe.each([
    { engine: "into an empty table (COPY)", existing: undefined },
    { engine: "beside an existing feature (staged upsert)", existing: "已有避难所,X1,50,111,31" },
  ])("$engine", ({ existing }) => {
    it.each([
      { reason: "bad coordinate", bad: `坏坐标,C9,100,110.5,95.5`, field: "geometry", message: /latitude must be within -90\.\.90/ },
      { reason: "coordinate that is not a number", bad: `坏坐标,C9,100,东经110度,30.1`, field: "geometry", message: /bad coordinate/ },
      { reason: "missing name", bad: `,C9,100,110.5,30.5`, field: "name", message: /is required/ },
      { reason: "negative capacity", bad: `负容量,C9,-5,110.5,30.5`, field: "capacity", message: />=0/ },
      { reason: "duplicate code", bad: `重复编码,C2,100,110.5,30.5`, field: "code", message: /duplicate code "C2": already on row 3/ },
    ])("$reason", async ({ bad, field, message }) => {
      await clear("shelters");
      if (existing) expect((await importFile(w, "shelters", [header, existing].join("\n"), "format=csv")).status).toBe(200);
      const { status, type, body } = await importFile(w, "shelters", sheet(bad), "format=csv");
      expect(status).toBe(422);
      expect(type).toMatch(/^application\/problem\+json/);
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({ row: 4, field });
      expect(body.errors[0].message).toMatch(message);
      expect(body).toMatchObject({ inserted: 0, updated: 0, unchanged: 0 });
      expect((await all(w, "shelters")).map((f) => f.properties.name)).toEqual(existing ? ["已有避难所"] : []);
    });
  });

  it("invalid WKT polygon (self-intersecting)", async () => {
    await clear("hazards");
    const rows = [
      "name,code,kind,risk_level,影响半径(米),wkt",
      `化工厂,H1,化工企业,1,800,"POINT(110.1 30.1)"`,
      `洪涝区,H2,flood_zone,2,,"POLYGON((110 30,110.1 30,110.1 30.1,110 30.1,110 30))"`,
      `蝴蝶形,H3,洪涝风险区,3,,"POLYGON((110 30,110.1 30.1,110.1 30,110 30.1,110 30))"`,
    ];
    const { status, body } = await importFile(w, "hazards", rows.join("\n"), "format=csv");
    expect(status).toBe(422);
    expect(body.errors).toEqual([{ row: 4, field: "geometry", message: expect.stringMatching(/invalid geometry: Self-intersection/) }]);
    expect(await all(w, "hazards")).toHaveLength(0);
    // the same sheet without the bowtie goes in, WKT polygon and all
    const ok = await importFile(w, "hazards", rows.slice(0, 3).join("\n"), "format=csv");
    expect(ok.status).toBe(200);
    const stored = await all(w, "hazards");
    expect(stored.map((f) => [f.properties.code, f.geometry.type, f.properties.kind]).sort()).toEqual([
      ["H1", "Point", "chemical_plant"],
      ["H2", "Polygon", "flood_zone"],
    ]);
  });
});

describe("dry runs and re-imports", () => {
  const csv = ["名称,编码,容纳人数,状态,经度,纬度", ...TRUE_POINTS.map((p) => `${p.name},${p.code},500,开放,${p.at[0]},${p.at[1]}`)].join("\n");

  it("dry_run validates and counts but writes nothing", async () => {
    await clear("shelters");
    const { status, body } = await importFile(w, "shelters", csv, "format=csv&dry_run=true");
    expect(status).toBe(200);
    expect(body).toMatchObject({ dry_run: true, inserted: 5, errors: [] });
    expect(await all(w, "shelters")).toHaveLength(0);
  });

  it("importing the same file twice changes nothing; a changed cell updates that feature only", async () => {
    await clear("shelters");
    expect((await importFile(w, "shelters", csv, "format=csv")).body.inserted).toBe(5);
    const before = await all(w, "shelters");
    const again = await importFile(w, "shelters", csv, "format=csv");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
    expect(await all(w, "shelters")).toEqual(before); // versions and updated_at included

    const edited = csv.replace(`${TRUE_POINTS[1]!.code},500`, `${TRUE_POINTS[1]!.code},650`);
    const third = await importFile(w, "shelters", edited, "format=csv");
    expect(third.body).toMatchObject({ inserted: 0, updated: 1, unchanged: 4 });
    const after = new Map((await all(w, "shelters")).map((f) => [f.properties.code, f.properties]));
    for (const f of before) {
      const changed = f.properties.code === TRUE_POINTS[1]!.code;
      expect(after.get(f.properties.code)).toMatchObject({ capacity: changed ? 650 : 500, version: changed ? 2 : 1 });
    }
  });
});

describe("an import and the low-zoom tiles", () => {
  const villages = villageLayer as TiledLayer;
  /** Every village tile at zooms 0–8 holding the points `at` holds exactly the winner of each cell, asked for right now. */
  async function expectTruth(at: [number, number][]) {
    const points = await rankedPoints(w.db, villages);
    for (const z of [0, 2, 4, 6, 7, 8]) {
      for (const key of new Set(at.map(([lon, lat]) => tileOf(lon, lat, z).join("/")))) {
        const [x, y] = key.split("/").map(Number) as [number, number];
        const res = await w.fetch(`${w.base}/tiles/villages/${z}/${key}.mvt`);
        expect(idsIn(await res.arrayBuffer(), "villages"), `z${z}/${key}`).toEqual(thinnedTruth(villages, points, z, x, y));
      }
    }
  }

  it("12,000 villages loaded into the empty layer (COPY) are thinned once for the tiles; villages imported beside them after, by their cells", async () => {
    await clear("villages");
    const at: [number, number][] = [
      [104.0, 30.5],
      [116.4, 39.9],
    ];
    // two clusters of 6,000 on a 0.01° grid, populations skewed so that cells have clear winners and ties
    const row = (i: number, [lon, lat]: [number, number], tag: string) =>
      `${tag}村${i},${(i * 7919) % 4000},${(lon + (i % 80) * 0.01).toFixed(4)},${(lat + Math.floor(i / 80) * 0.01).toFixed(4)}`;
    const csv = ["name,population,lon,lat", ...at.flatMap((p, k) => Array.from({ length: 6000 }, (_, i) => row(i, p, `甲${k}`)))].join("\n");
    const first = await importFile(w, "villages", csv, "format=csv");
    expect(first.status).toBe(200);
    expect(first.body.inserted).toBe(12_000);
    await expectTruth(at);
    // 300 more beside them (the staged path, one statement under the rebuild threshold), the most populous of all among them
    const beside = ["name,population,lon,lat", ...Array.from({ length: 300 }, (_, i) => row(i, [104.005, 30.505], "乙").replace(/,\d+,/, `,${5000 + i},`))];
    const second = await importFile(w, "villages", beside.join("\n"), "format=csv");
    expect(second.body.inserted).toBe(300);
    await expectTruth(at);
    const { rows } = await w.db.raw("SELECT id::int FROM villages ORDER BY population DESC, id LIMIT 1");
    expect(idsIn(await (await w.fetch(`${w.base}/tiles/villages/0/0/0.mvt`)).arrayBuffer(), "villages")).toContain(rows[0].id);
  }, 120_000);
});

describe("other formats", () => {
  it("XLSX: the first sheet, English labels as headers, rows numbered as in the sheet", async () => {
    await clear("teams");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("队伍");
    ws.addRow(["Name", "code", "Team type", "Specialties", "Headcount", "Status", "Longitude", "Latitude", "备注"]);
    ws.addRow(["县消防救援大队", "T1", "综合消防救援", "hazmat, water_rescue", 45, "待命", 112.9, 28.2, "x"]);
    ws.addRow(["森林消防中队", "T2", "forest_fire", "", 30, "deployed", 113.0, 28.3, ""]);
    wb.addWorksheet("其他").addRow(["ignored"]);
    const ok = await importFile(w, "teams", Buffer.from(await wb.xlsx.writeBuffer()), "format=xlsx");
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ inserted: 2, errors: [] });
    expect(ok.body.warnings.join(" ")).toMatch(/备注/);
    const byCode = new Map((await all(w, "teams")).map((f) => [f.properties.code, f]));
    expect(byCode.get("T1")!.properties).toMatchObject({ team_type: "fire_rescue", specialties: ["hazmat", "water_rescue"], headcount: 45, status: "standby" });
    expect(byCode.get("T2")!.properties).toMatchObject({ team_type: "forest_fire", headcount: 30, status: "deployed" });
    expect(byCode.get("T2")!.geometry.coordinates).toEqual([113.0, 28.3]);

    ws.addRow(["负人数", "T3", "militia", "", -1, "standby", 113.1, 28.4]);
    const bad = await importFile(w, "teams", Buffer.from(await wb.xlsx.writeBuffer()), "format=xlsx");
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ row: 4, field: "headcount", message: expect.stringMatching(/>=0/) }]);
  });

  it("GeoJSON: a FeatureCollection of mixed geometries, errors numbered by feature", async () => {
    await clear("hazards");
    const features = [
      {
        type: "Feature",
        geometry: { type: "Point", coordinates: [110.2, 30.2] },
        properties: { name: "加油站", code: "G1", kind: "fuel_station", risk_level: 3, influence_radius_m: 200 },
      },
      {
        type: "Feature",
        geometry: {
          type: "LineString",
          coordinates: [
            [110, 30],
            [110.3, 30.3],
          ],
        },
        properties: { 名称: "河道", 编码: "G2", 类型: "洪涝风险区", 风险等级: 2, 影响半径: 300 },
      },
      {
        type: "Feature",
        geometry: {
          type: "MultiPolygon",
          coordinates: [
            [
              [
                [110, 30],
                [110.1, 30],
                [110.1, 30.1],
                [110, 30],
              ],
            ],
          ],
        },
        properties: { name: "库区", code: "G3", kind: "reservoir", risk_level: 4, description: '含 "引号" 与 \\ 反斜杠\n换行' },
      },
    ];
    const fc = (fs: unknown[]) => JSON.stringify({ type: "FeatureCollection", bbox: [110, 30, 110.3, 30.3], features: fs }, null, 1);
    const ok = await importFile(w, "hazards", fc(features), "format=geojson");
    expect(ok.status).toBe(200);
    expect(ok.body.inserted).toBe(3);
    const byCode = new Map((await all(w, "hazards")).map((f) => [f.properties.code, f]));
    for (const f of features) {
      const stored = byCode.get(f.properties.code ?? f.properties.编码)!;
      expect(stored.geometry).toEqual(f.geometry);
    }
    expect(byCode.get("G2")!.properties).toMatchObject({ name: "河道", kind: "flood_zone", risk_level: 2 });
    expect(byCode.get("G3")!.properties.description).toBe(features[2]!.properties.description);

    const broken = [
      ...features,
      { type: "Feature", geometry: { type: "Point", coordinates: [200, 30] }, properties: { name: "x", kind: "mine", risk_level: 1, influence_radius_m: 100 } },
    ];
    const bad = await importFile(w, "hazards", fc(broken), "format=geojson");
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ row: 4, field: "geometry", message: "longitude must be within -180..180" }]);
  });
});

describe("round trips and real data", () => {
  it.each(["geojson", "csv"])(
    "the demo county exported as %s and imported into an empty world yields the same features; imported back, nothing changes",
    async (format) => {
      const demo = await startDemoWorld();
      const empty = await startWorld();
      try {
        // townships first: villages refer to them
        for (const layer of ["townships", "villages", "hazards", "shelters", "depots", "teams"]) {
          const file = Buffer.from(await (await demo.fetch(`${demo.base}/api/v1/layers/${layer}/export?format=${format}`)).arrayBuffer());
          const { status, body } = await importFile(empty, layer, file, `format=${format}`);
          expect(status, JSON.stringify(body).slice(0, 500)).toBe(200);
          const original = await all(demo, layer);
          expect(body.inserted).toBe(original.length);
          const strip = (f: { geometry: unknown; properties: Record<string, unknown> }) => {
            const { version: _v, created_at: _c, updated_at: _u, ...p } = f.properties;
            return { geometry: f.geometry, properties: p };
          };
          const key = (f: { properties: Record<string, unknown> }) => `${f.properties.code ?? ""}|${f.properties.name}|${JSON.stringify(f.properties)}`;
          const a = original.map(strip).sort((x, y) => key(x).localeCompare(key(y)));
          const b = (await all(empty, layer)).map(strip).sort((x, y) => key(x).localeCompare(key(y)));
          expect(b).toEqual(a);
          // and back into the county it came from: every feature has its code, so nothing changes
          const again = await importFile(demo, layer, file, `format=${format}`);
          expect(again.body).toMatchObject({ inserted: 0, updated: 0, unchanged: original.length });
          expect(await all(demo, layer)).toEqual(original);
        }
      } finally {
        await Promise.all([demo.close(), empty.close()]);
      }
    },
  );

  it("the real Nantou shelters CSV (387 rows) imports with its names, capacities and coordinates, once its one private-use glyph is written as the character", async () => {
    await clear("shelters");
    const original = await readFile(new URL("shelters.csv", NANTOU_DIR), "utf8");
    const refused = await importFile(w, "shelters", original, "format=csv");
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: "/problems/undecodable-text", encoding: "utf-8", detected: true, row: 163, column: "name" });
    expect(refused.body.detail).toContain("U+E000");
    // its village (pip_village) is 廍下村: the clerk writes 廍 where the font drew its own glyph
    const bytes = Buffer.from(original.replace("\uE000", "廍"));
    const rows = parseCsv(bytes.toString("utf8"));
    const { status, body } = await importFile(w, "shelters", bytes, "format=csv");
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: rows.length, inserted: rows.length, errors: [] });
    expect(body.warnings.join(" ")).toMatch(/coord_qc/);
    expect(body.warnings.join(" ")).toMatch(/no code/);
    const stored = (await all(w, "shelters")).sort((a, b) => a.id - b.id); // inserted in file order
    expect(stored).toHaveLength(rows.length);
    rows.forEach((r, i) => {
      expect(stored[i]!.properties).toMatchObject({ name: r.name, capacity: Number(r.capacity), address: r.address || null });
      expect(stored[i]!.geometry.coordinates).toEqual([Number(r.lon), Number(r.lat)]);
    });
  });
});

describe("the API around it", () => {
  it("refuses derived layers (405), unknown formats (400) and unreadable files (400)", async () => {
    expect((await importFile(w, "village-risk", "a,b", "format=csv")).status).toBe(405);
    const badFormat = await importFile(w, "shelters", "a,b", "format=shp");
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.errors[0].path).toEqual(["format"]);
    const notJson = await importFile(w, "shelters", '{"type":"FeatureCollection","features":[{"type":', "format=geojson");
    expect(notJson.status).toBe(400);
    const nested = await importFile(w, "shelters", `{"type":"FeatureCollection","features":${"[".repeat(50)}${"]".repeat(50)}}`, "format=geojson");
    expect(nested.status).toBe(400);
  });

  it("a NUL in a cell is that row's error, not the whole file's", async () => {
    const r = await importFile(w, "shelters", "name,capacity,lon,lat\n好,10,110,30\nA\u0000B,10,110.1,30", "format=csv&dry_run=true");
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ row: 3, field: "name", message: "must not contain the NUL character" }]);
  });

  it("an import announces itself once on the live feed, not once per row", async () => {
    await clear("shelters");
    const feed = await listenToChanges(w);
    try {
      await feed.listening();
      const csv = ["name,capacity,lon,lat", ...Array.from({ length: 50 }, (_, i) => `S${i},${i},110.${i},30`)].join("\n");
      expect((await importFile(w, "shelters", csv, "format=csv")).body.inserted).toBe(50);
      // a transaction's notifications arrive together when it commits, in the order sent, the import's
      // last: what came up to it is all the import announced
      const events = [];
      for (let c = await feed.next(); c; c = c.op === "import" ? null : await feed.next()) events.push(c);
      expect(events).toEqual([{ layer: "shelters", op: "import" }]);
    } finally {
      feed.close();
    }
  });
});

describe("the CLI", () => {
  it("imports a small file against DATABASE_URL, prints the report, and exits non-zero on rejection", async () => {
    await clear("depots");
    const dir = await mkdtemp(join(tmpdir(), "hazmap-import-"));
    try {
      const run = (args: string[]) =>
        new Promise<{ code: number; out: string; err: string }>((resolve) => {
          const p = spawn("npx", ["tsx", "scripts/import.ts", ...args], { env: { ...process.env, DATABASE_URL: w.url } });
          let out = "",
            err = "";
          p.stdout.on("data", (d) => (out += d));
          p.stderr.on("data", (d) => (err += d));
          p.on("close", (code) => resolve({ code: code ?? -1, out, err }));
        });
      const file = join(dir, "depots.csv");
      await writeFile(file, iconv.encode("名称,编码,级别,库房面积,经度,纬度\n县物资库,D1,县级,2100,113.1,28.1\n镇物资库,D2,乡镇级,180,113.2,28.2\n", "gbk"));
      const dry = await run(["--layer", "depots", "--file", file, "--dry-run"]);
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.out)).toMatchObject({ dry_run: true, inserted: 2 });
      expect(await all(w, "depots")).toHaveLength(0);
      const real = await run(["--layer", "depots", "--file", file, "--encoding", "gbk"]);
      expect(real.code).toBe(0);
      expect(real.err).toMatch(/100%/);
      expect(JSON.parse(real.out)).toMatchObject({ inserted: 2, errors: [] });
      expect((await all(w, "depots")).map((f) => [f.properties.code, f.properties.level, f.properties.floor_area_m2]).sort()).toEqual([
        ["D1", "county", 2100],
        ["D2", "township", 180],
      ]);

      const bad = join(dir, "bad.csv");
      await writeFile(bad, "name,code,lon,lat\n好库,D3,113,28\n,D4,113,28\n");
      const rejected = await run(["--layer", "depots", "--file", bad]);
      expect(rejected.code).not.toBe(0);
      expect(JSON.parse(rejected.out).errors).toEqual([{ row: 3, field: "name", message: "is required" }]);
      expect(await all(w, "depots")).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
