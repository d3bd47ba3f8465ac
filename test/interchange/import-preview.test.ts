// The import's preview (what a file's columns would be taken as, its encoding, coordinate system and
// layers, nothing written) and a clerk's own mapping, rows left out and the bounds of what was read,
// over real HTTP into real PostGIS. Files are built here: sheets in GBK and Big5 by iconv, shapefiles
// and GeoPackages by GDAL from the real Nantou shelters; GDAL's own EPSG registry names the zones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import iconv from "iconv-lite";
import yazl from "yazl";
import { startWorld, type World } from "../support/world.ts";
import { NANTOU_DIR, parseCsv } from "../support/nantou.ts";

const run = promisify(execFile);
const XITUN = "../shared/data/real/taiwan-taichung-xitun-roads";

let w: World;
let dir: string;
beforeAll(async () => {
  w = await startWorld();
  dir = mkdtempSync(join(tmpdir(), "hazmap-import-preview-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w?.close();
});

async function post(path: string, body: Buffer | string) {
  const res = await w.fetch(`${w.base}/api/v1/layers/${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: { "content-type": "application/octet-stream" },
  });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

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

/** The first Nantou shelters as GeoJSON features (WGS 84), for GDAL to write in other systems. */
function nantouShelters(n: number) {
  const rows = parseCsv(readFileSync(new URL("shelters.csv", NANTOU_DIR), "utf8")).slice(0, n);
  return rows.map((r) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: [Number(r.lon), Number(r.lat)] },
    // a DBF names a field in 10 bytes: 容量, not 容納人數 (12 bytes in UTF-8, cut by GDAL)
    properties: { 名稱: r.name, 容量: Number(r.capacity), 地址: r.address, 序號: r.source_seq },
  }));
}

/** A zipped shapefile of Nantou shelters written by ogr2ogr in `epsg` (DBF in UTF-8 with a .cpg); `drop` leaves parts out. */
async function sheltersShapefile(name: string, epsg: number, drop: string[] = []) {
  const src = join(dir, `${name}.geojson`);
  writeFileSync(src, JSON.stringify({ type: "FeatureCollection", features: nantouShelters(6) }));
  await run("ogr2ogr", ["-f", "ESRI Shapefile", "-s_srs", "EPSG:4326", "-t_srs", `EPSG:${epsg}`, "-lco", "ENCODING=UTF-8", join(dir, `${name}.shp`), src]);
  return Object.fromEntries(["shp", "shx", "dbf", "prj", "cpg"].filter((e) => !drop.includes(e)).map((e) => [`${name}.${e}`, join(dir, `${name}.${e}`)]));
}

const VILLAGE_SHEET = [
  "村里名稱,鄉鎮,戶數,人口數,經度,緯度,備註",
  "龍泉里,南投市,398,1048,120.687908,23.910227,",
  "康壽里,南投市,668,1678,120.683731,23.912611,舊社區",
  "三和里,南投市,不詳,2201,120.690171,23.905110,",
].join("\r\n");

describe("preview: what a file's columns would be taken as", () => {
  it("a Big5 sheet with Traditional headers: Big5 detected, 人口數 → population, 經度/緯度 → lon/lat, degrees → WGS 84 (or a look-alike)", async () => {
    const r = await post("villages/import/preview?format=csv", iconv.encode(VILLAGE_SHEET, "big5"));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      format: "csv",
      encoding: { name: "cp950", detected: true },
      crs: { name: "wgs84", from: "coordinates" },
      file_layers: null,
      dialect: null,
      geometry: "columns",
    });
    expect(r.body.columns).toEqual([
      // a name column a header does not name is for the clerk to map (村里名稱 is not 名称)
      { name: "村里名稱", suggested: null, by_dialect: false, samples: ["龍泉里", "康壽里", "三和里"] },
      { name: "鄉鎮", suggested: "township_name", by_dialect: false, samples: ["南投市", "南投市", "南投市"] },
      { name: "戶數", suggested: "households", by_dialect: false, samples: ["398", "668", "不詳"] },
      { name: "人口數", suggested: "population", by_dialect: false, samples: ["1048", "1678", "2201"] },
      { name: "經度", suggested: "lon", by_dialect: false, samples: ["120.687908", "120.683731", "120.690171"] },
      { name: "緯度", suggested: "lat", by_dialect: false, samples: ["23.910227", "23.912611", "23.905110"] },
      { name: "備註", suggested: null, by_dialect: false, samples: ["舊社區"] },
    ]);
    // required attributes first (name, population), then the rest, then the coordinate columns
    const targets = r.body.targets.map((t: { name: string }) => t.name);
    expect(targets.slice(0, 2).sort()).toEqual(["name", "population"]);
    expect(targets.slice(-3)).toEqual(["lon", "lat", "wkt"]);
    expect(r.body.targets.find((t: { name: string }) => t.name === "households")).toEqual({
      name: "households",
      label: { zh: "户数", en: "Households" },
      required: false,
    });
    expect(await w.db("villages").count("* as n").first()).toEqual({ n: "0" }); // nothing written
  });

  it("a GBK sheet: GB18030 detected; an encoding given is the one read", async () => {
    const gbk = iconv.encode("名称,人口,经度,纬度\r\n石场村,1200,110.1,25.2\r\n", "gbk");
    const detected = await post("villages/import/preview?format=csv", gbk);
    expect(detected.body.encoding).toEqual({ name: "gb18030", detected: true });
    expect(detected.body.columns.map((c: { suggested: string }) => c.suggested)).toEqual(["name", "population", "lon", "lat"]);
    const given = await post("villages/import/preview?format=csv&encoding=utf-8", Buffer.from("名称,人口\n石场村,1200\n"));
    expect(given.body.encoding).toEqual({ name: "utf-8", detected: false });
    expect(given.body.geometry).toBe("none"); // no lon/lat or WKT column yet: the clerk must map one
  });

  it("Gauss-Krüger metres with the zone before the easting name their CGCS2000 zone, as GDAL's registry has it", async () => {
    const sheet = "名称,容纳人数,X坐标,Y坐标\r\n体育场,3000,38526432.1,3384765.2\r\n广场,1200,38401234.5,3129876.4\r\n";
    // X坐标/Y坐标 name no coordinate: nothing to guess from until the clerk maps them
    const unmapped = await post("shelters/import/preview?format=csv", sheet);
    expect(unmapped.body.crs).toEqual({ name: null, from: "coordinates" });
    const mapping = encodeURIComponent(JSON.stringify({ X坐标: "lon", Y坐标: "lat" }));
    const mapped = await post(`shelters/import/preview?format=csv&mapping=${mapping}`, sheet);
    expect(mapped.body.columns.map((c: { suggested: string }) => c.suggested)).toEqual(["name", "capacity", "lon", "lat"]);
    expect(mapped.body.crs.from).toBe("coordinates");
    const code = mapped.body.crs.name as string;
    expect(code).toMatch(/^EPSG:\d+$/);
    const { stdout } = await run("gdalsrsinfo", ["-o", "wkt1", code]);
    expect(stdout).toContain("CGCS2000 / 3-degree Gauss-Kruger zone 38");
  });

  it("a zipped shapefile in EPSG:4547: its .prj read, its encoding from the .cpg, its geometry from the file", async () => {
    const zip = await zipOf(await sheltersShapefile("避难场所", 4547));
    const r = await post("shelters/import/preview?format=shapefile", zip);
    expect(r.status).toBe(200);
    expect(r.body.crs.from).toBe("file");
    expect(r.body.crs.name).toMatch(/CGCS2000|4547/i);
    expect(r.body.encoding).toEqual({ name: "utf-8", detected: false });
    expect(r.body.file_layers).toEqual({ names: ["避难场所"], read: "避难场所" });
    expect(r.body.geometry).toBe("file");
    expect(r.body.columns.map((c: { name: string; suggested: string }) => [c.name, c.suggested])).toEqual([
      ["名稱", "name"],
      ["容量", "capacity"],
      ["地址", "address"],
      ["序號", null],
    ]);
    expect(r.body.targets.map((t: { name: string }) => t.name)).not.toContain("lon"); // a shapefile's shapes are its own
  });

  it("a shapefile without a .prj: no system, and why, instead of a refusal; crs= given is reported as given", async () => {
    const zip = await zipOf(await sheltersShapefile("无坐标", 3826, ["prj"]));
    const r = await post("shelters/import/preview?format=shapefile", zip);
    expect(r.status).toBe(200);
    expect(r.body.crs).toEqual({ name: null, from: "file", problem: expect.stringContaining("no 无坐标.prj") });
    expect(r.body.crs.problem).toContain("looks projected");
    const given = await post("shelters/import/preview?format=shapefile&crs=EPSG:3826", zip);
    expect(given.body.crs).toEqual({ name: "EPSG:3826", from: "given" });
  });

  it("a .zip of two shapefiles lists both and reads the first, or the one asked for", async () => {
    const zip = await zipOf({ ...(await sheltersShapefile("a_shelters", 3826)), ...(await sheltersShapefile("b_shelters", 4326)) });
    const first = await post("shelters/import/preview?format=shapefile", zip);
    expect(first.body.file_layers).toEqual({ names: ["a_shelters", "b_shelters"], read: "a_shelters" });
    const second = await post("shelters/import/preview?format=shapefile&file_layer=b_shelters", zip);
    expect(second.body.file_layers.read).toBe("b_shelters");
    expect(second.body.crs).toEqual({ name: expect.stringMatching(/WGS.?(19)?84/i), from: "file" });
  });

  it("a GeoPackage: its table and SRS", async () => {
    const src = join(dir, "gp.geojson");
    writeFileSync(src, JSON.stringify({ type: "FeatureCollection", features: nantouShelters(3) }));
    const gpkg = join(dir, "shelters.gpkg");
    await run("ogr2ogr", ["-f", "GPKG", gpkg, src, "-nln", "收容处所", "-t_srs", "EPSG:3826"]);
    const r = await post("shelters/import/preview?format=geopackage", readFileSync(gpkg));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ encoding: null, crs: { name: "EPSG:3826", from: "file" }, file_layers: { names: ["收容处所"], read: "收容处所" } });
  });

  it("the Xitun MOTC road network: read in its dialect, the columns the dialect takes marked", async () => {
    const stem = "xitun_道路路段";
    const zip = await zipOf(Object.fromEntries(["shp", "shx", "dbf", "prj", "cpg"].map((e) => [`${stem}.${e}`, join(XITUN, `${stem}.${e}`)])));
    const r = await post("roads/import/preview?format=shapefile", zip);
    expect(r.status).toBe(200);
    expect(r.body.dialect).toBe("Taiwan MOTC");
    const byDialect = r.body.columns.filter((c: { by_dialect: boolean }) => c.by_dialect).map((c: { name: string }) => c.name.toLowerCase());
    expect(byDialect).toEqual(expect.arrayContaining(["roadtype", "dir", "roadname"]));
    expect(r.body.columns.filter((c: { by_dialect: boolean; suggested: unknown }) => c.by_dialect && c.suggested !== null)).toEqual([]);
    expect(r.body.crs).toMatchObject({ from: "file" });
    expect(r.body.crs.name).toMatch(/3826|TWD97/i);
  });

  it("refuses what it cannot read, naming the parameter", async () => {
    const noFormat = await post("villages/import/preview", VILLAGE_SHEET);
    expect(noFormat.status).toBe(400);
    expect(noFormat.type).toMatch(/^application\/problem\+json/);
    expect(noFormat.body.errors).toEqual([{ path: ["format"], message: expect.any(String) }]);
    const unknown = await post("villages/import/preview?format=csv&dry_run=true", VILLAGE_SHEET);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toEqual(["dry_run"]);
    const notZip = await post("shelters/import/preview?format=shapefile", "名称,人口\n");
    expect(notZip.status).toBe(400);
    expect(notZip.body.type).toBe("/problems/unreadable-file");
    const badCrs = await post("shelters/import/preview?format=csv&crs=EPSG:9999999", VILLAGE_SHEET);
    expect(badCrs.status).toBe(422);
    expect(badCrs.body.errors[0].path).toEqual(["crs"]);
    const derived = await post("village-risk/import/preview?format=csv", VILLAGE_SHEET);
    expect(derived.status).toBe(405);
  });
});

describe("import with a clerk's mapping, rows left out", () => {
  const utf8 = VILLAGE_SHEET;
  const mapping = (m: object) => `&mapping=${encodeURIComponent(JSON.stringify(m))}`;

  it("without a mapping the unnamed village is refused row by row; mapped, a bad cell is found and the whole file refused", async () => {
    const bare = await post("villages/import?format=csv&dry_run=true", utf8);
    expect(bare.status).toBe(422);
    expect(bare.body.errors.map((e: { row: number; field: string }) => [e.row, e.field]).sort()).toEqual([
      [2, "name"],
      [3, "name"],
      [4, "households"],
      [4, "name"],
    ]);
    const mapped = await post(`villages/import?format=csv&dry_run=true${mapping({ 村里名稱: "name", 鄉鎮: null })}`, utf8);
    expect(mapped.status).toBe(422);
    expect(mapped.body.errors).toEqual([{ row: 4, field: "households", message: expect.any(String) }]);
    // all or nothing: the same file for real writes nothing
    const real = await post(`villages/import?format=csv${mapping({ 村里名稱: "name", 鄉鎮: null })}`, utf8);
    expect(real.status).toBe(422);
    expect(await w.db("villages").count("* as n").first()).toEqual({ n: "0" });
  });

  it("the bad row left out (skip_rows) or its column not read (null): the rest imported, counted, with the bounds read", async () => {
    const skipped = await post(`villages/import?format=csv&dry_run=true&skip_rows=4${mapping({ 村里名稱: "name", 鄉鎮: null })}`, utf8);
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ dry_run: true, rows: 2, inserted: 2, skipped: 1, errors: [] });
    expect(skipped.body.bbox).toEqual([120.683731, 23.910227, 120.687908, 23.912611]);

    const r = await post(`villages/import?format=csv${mapping({ 村里名稱: "name", 鄉鎮: null, 戶數: null })}`, utf8);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dry_run: false, rows: 3, inserted: 3, skipped: 0, errors: [] });
    expect(r.body.bbox).toEqual([120.683731, 23.90511, 120.690171, 23.912611]);
    const stored = await w.db("villages").orderBy("name").select("name", "population", "households");
    expect(stored).toEqual([
      { name: "三和里", population: 2201, households: null },
      { name: "康壽里", population: 1678, households: null },
      { name: "龍泉里", population: 1048, households: null },
    ]);
    await w.db.raw("TRUNCATE villages CASCADE");
  });

  it("a field moved to another column: the suggested one is no longer read; coordinates from columns no header names", async () => {
    const sheet = "名称,户籍人口,常住人口,东坐标,北坐标\n石场村,1200,980,110.1,25.2\n";
    const r = await post(`villages/import?format=csv${mapping({ 常住人口: "population", 东坐标: "lon", 北坐标: "lat" })}`, sheet);
    expect(r.status).toBe(200);
    expect(r.body.warnings).toContain("columns ignored (not attributes of villages): 户籍人口");
    const stored = await w.db.raw("SELECT name, population, ST_X(geom) x, ST_Y(geom) y FROM villages");
    expect(stored.rows).toEqual([{ name: "石场村", population: 980, x: 110.1, y: 25.2 }]);
    await w.db.raw("TRUNCATE villages CASCADE");
  });

  it("a mapping naming a column the file lacks is a warning; columns not named keep their suggestion", async () => {
    const r = await post(`villages/import?format=csv&dry_run=true${mapping({ 户数: "households" })}`, "名称,人口,经度,纬度\n石场村,1200,110.1,25.2\n");
    expect(r.status).toBe(200);
    expect(r.body.inserted).toBe(1);
    expect(r.body.warnings).toContain("the mapping names columns the file does not have: 户数");
  });

  it("refuses a bad mapping or skip_rows with 400 naming the parameter and the column", async () => {
    const cases: [string, unknown[]][] = [
      ["&mapping=%7Bnot-json", ["mapping"]],
      [mapping({ 人口数: "people" }), ["mapping", "人口数"]],
      [mapping({ 人口数: 7 }), ["mapping", "人口数"]],
      [mapping(["name"]), ["mapping"]],
      [mapping({ 人口数: "population", 常住人口: "population" }), ["mapping", "常住人口"]],
      ["&skip_rows=3,x", ["skip_rows"]],
    ];
    for (const [query, path] of cases) {
      const r = await post(`villages/import?format=csv&dry_run=true${query}`, utf8);
      expect(r.status, query).toBe(400);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body.errors.map((e: { path: unknown[] }) => e.path)).toContainEqual(path);
    }
  });
});
