// A bureau's raw files brought in through the web app alone, in Chinese, timed: an admin adds the
// township (GeoJSON, its columns remapped); a clerk drops the villages (a Big5 CSV with Traditional
// headers, GCJ-02 coordinates: the name column mapped, the system chosen, a bad row seen in the dry run
// and skipped), the shelters (a zipped Shapefile in EPSG:3826, GBK without .cpg: a blank capacity seen
// and fixed by taking another column) and, on a phone, the Xitun MOTC road network as published. Each
// ends on the map. The files are made here from the real data in ../shared (GDAL writes the Shapefile);
// truth is the source positions and GDAL's counts, never the product's code.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import iconv from "iconv-lite";
import yazl from "yazl";
import type { Page } from "playwright-core";
import { newMapPage, screenshot, signInAs, PASSWORD, useBrowserWorld } from "../support/browser.ts";
import { readPdf } from "../support/pdf.ts";
import { NANTOU_DIR, parseCsv } from "../support/nantou.ts";
import { wgsToGcj } from "../support/gcj02.ts";
import { geodesicDistance, type LonLat } from "../support/truth.ts";

const run = promisify(execFile);
const XITUN = "../shared/data/real/taiwan-taichung-xitun-roads";
const TOWN = { code: "10008010", name: "南投市" };

const e2e = useBrowserWorld();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hazmap-e2e-import-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

const nantou = (file: string) => readFileSync(new URL(file, NANTOU_DIR), "utf8");

/** The township's boundary as the county publishes it (GeoJSON, town_code/town_name). */
function townshipFile(): string {
  const all = JSON.parse(nantou("townships.geojson"));
  const path = join(dir, "南投市界.geojson");
  writeFileSync(
    path,
    JSON.stringify({ ...all, features: all.features.filter((f: { properties: { town_code: string } }) => f.properties.town_code === TOWN.code) }),
  );
  return path;
}

/** The township's villages as a Taiwanese office keeps them: Big5, Traditional headers, AMap (GCJ-02) positions; one population written 不詳. */
function villageSheet() {
  const rows = parseCsv(nantou("villages_points.csv")).filter((r) => r.town_code === TOWN.code);
  const bad = rows[7]!;
  const lines = rows.map((r) => {
    const [lon, lat] = wgsToGcj([Number(r.lon), Number(r.lat)]);
    return [r.village_name, r.town_name, r.households, r === bad ? "不詳" : r.population, lon.toFixed(6), lat.toFixed(6)].join(",");
  });
  const path = join(dir, "南投市村里人口.csv");
  writeFileSync(path, iconv.encode(["村里名稱,鄉鎮,戶數,人口數,經度,緯度", ...lines].join("\r\n"), "big5"));
  const truth = new Map(rows.map((r) => [r.village_name, { at: [Number(r.lon), Number(r.lat)] as LonLat, population: Number(r.population) }]));
  return { path, truth, bad: { name: bad.village_name, row: rows.indexOf(bad) + 2 } };
}

/** The township's shelters as a zipped Shapefile GDAL writes in TWD97 / TM2 (EPSG:3826), its DBF in GBK with no .cpg; one 容納人數 left blank, 核定人數 full. */
async function shelterShapefile() {
  const rows = parseCsv(nantou("shelters.csv")).filter((r) => r.county_town === `南投縣${TOWN.name}`);
  const blank = rows[3]!;
  const features = rows.map((r) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: [Number(r.lon), Number(r.lat)] },
    properties: { 名稱: r.name, 容納人數: r === blank ? null : Number(r.capacity), 核定人數: Number(r.capacity), 地址: r.address },
  }));
  const src = join(dir, "shelters.geojson");
  writeFileSync(src, JSON.stringify({ type: "FeatureCollection", features }));
  const stem = "南投市避難收容處所";
  await run("ogr2ogr", ["-f", "ESRI Shapefile", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:3826", "-lco", "ENCODING=CP936", join(dir, `${stem}.shp`), src]);
  const zip = join(dir, `${stem}.zip`);
  writeFileSync(zip, await zipOf(Object.fromEntries(["shp", "shx", "dbf", "prj"].map((e) => [`${stem}.${e}`, join(dir, `${stem}.${e}`)]))));
  return { path: zip, rows, blank: { name: blank.name, row: rows.indexOf(blank) + 1 } };
}

/** The Xitun road network as published (five parts, EPSG:3826 .prj, UTF-8 .cpg), zipped as a clerk would. */
async function roadsZip() {
  const stem = "xitun_道路路段";
  const path = join(dir, `${stem}.zip`);
  writeFileSync(path, await zipOf(Object.fromEntries(["shp", "shx", "dbf", "prj", "cpg"].map((e) => [`${stem}.${e}`, join(XITUN, `${stem}.${e}`)]))));
  const { stdout } = await run("ogrinfo", ["-so", "-al", join(XITUN, `${stem}.shp`)]);
  return { path, features: Number(/Feature Count: (\d+)/.exec(stdout)![1]) };
}

/** A file dropped onto the map, as from the desktop: the page takes it into the import panel. */
async function dropOnMap(page: Page, path: string) {
  const name = path.slice(path.lastIndexOf("/") + 1);
  await page.evaluate(
    ([n, b64]) => {
      const bytes = Uint8Array.from(atob(b64!), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], n!));
      const map = document.querySelector("#map")!;
      for (const type of ["dragover", "drop"]) map.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    [name, readFileSync(path).toString("base64")],
  );
}

/** Open the panel, choose the layer, and give it the file (picked, or dropped on the map); waits for the preview. */
async function bringIn(page: Page, layer: string, path: string, how: "pick" | "drop") {
  if (!(await page.$eval("#import", (d) => (d as HTMLDetailsElement).open))) await page.click("#import summary");
  await page.selectOption("#import-layer", layer);
  if (how === "pick") await page.setInputFiles("#import-file", path);
  else await dropOnMap(page, path);
  await page.waitForSelector("#import-mapping tbody tr");
}

const mapColumn = (page: Page, column: string, field: string) => page.selectOption(`#import-mapping select[data-column="${column}"]`, field);

/** A dry run: the rejected rows' table, or the all-clear. */
async function dryRun(page: Page): Promise<"rejected" | "ok"> {
  await page.click("#import-dry-run");
  const answer = await page.waitForSelector("#import-errors, #import-result .ok", { timeout: 60_000 });
  return (await answer.getAttribute("id")) === "import-errors" ? "rejected" : "ok";
}

async function commit(page: Page): Promise<string> {
  await page.click("#import-commit");
  return (await page.waitForSelector("#import-done", { timeout: 120_000 })).textContent() as Promise<string>;
}

/** Features of a data layer drawn on the map once the tiles in view have loaded again. */
async function drawnOf(page: Page, layer: string) {
  await page.waitForFunction(
    (l) => window.hazmap.map.loaded() && window.hazmap.map.areTilesLoaded() && window.hazmap.map.queryRenderedFeatures({ layers: [l] }).length > 0,
    layer,
    { timeout: 20_000 },
  );
  return page.evaluate((l) => window.hazmap.map.queryRenderedFeatures({ layers: [l] }).map((f) => f.properties.name as string), layer);
}

describe("bringing a township's data in through the web app", () => {
  it("township, villages, shelters and roads from a bureau's raw files to the map and a printed township evacuation book, timed", async () => {
    const w = e2e.world;
    const villages = villageSheet();
    const shelters = await shelterShapefile();
    const roads = await roadsZip();
    const township = townshipFile();
    const villagesBefore = Number((await w.db("villages").count("* as n").first())!.n);
    const roadsBefore = Number((await w.db("roads").count("* as n").first())!.n);

    const started = performance.now();
    const steps: [string, number][] = [];
    const step = (name: string) => steps.push([name, performance.now()]);

    // the admin adds the township: its boundary file names its columns town_code/town_name, mapped by hand
    const { page, errors } = await newMapPage(e2e.browser, w.base, "admin");
    await bringIn(page, "townships", township, "pick");
    expect(await page.inputValue("#import-crs")).toBe("wgs84"); // GeoJSON is WGS 84 by its RFC
    await mapColumn(page, "town_name", "name");
    await mapColumn(page, "town_code", "admin_code");
    expect(await dryRun(page)).toBe("ok");
    expect(await commit(page)).toContain("新增 1");
    step("township");

    // the clerk drops the village sheet on the map
    await signInAs(page, "clerk", PASSWORD);
    await bringIn(page, "villages", villages.path, "drop");
    expect(await page.textContent("#import-encoding option:checked")).toContain("Big5");
    expect(await page.textContent("#import-crs-note")).toContain("无法区分"); // degrees: the clerk says which system
    expect(await page.inputValue('#import-mapping select[data-column="人口數"]')).toBe("population");
    expect(await page.inputValue('#import-mapping select[data-column="鄉鎮"]')).toBe("township_name");
    expect(await page.inputValue('#import-mapping select[data-column="村里名稱"]')).toBe(""); // not a name word: for the clerk
    await page.selectOption("#import-crs", "gcj02"); // positions taken from AMap
    await mapColumn(page, "村里名稱", "name");
    await screenshot(page, "import-mapping-zh");
    expect(await dryRun(page)).toBe("rejected");
    // every rejected row beside its reason, in Chinese: only the row written 不詳
    const rejected = await page.$$eval("#import-errors tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(rejected).toEqual([["", String(villages.bad.row), "人口", "输入无效：应为数字，实际为文本"]]);
    await screenshot(page, "import-rejected-zh");
    await page.check(`#import-errors input.skip-row[data-row="${villages.bad.row}"]`);
    expect(await page.isDisabled("#import-commit")).toBe(true); // a change waits for another dry run
    expect(await dryRun(page)).toBe("ok");
    expect(await page.textContent("#import-result")).toContain("跳过 1 行");
    expect(await commit(page)).toContain(`新增 ${villages.truth.size - 1}`);
    const names = await drawnOf(page, "villages-point");
    expect(names.length).toBeGreaterThan(5);
    expect(names.every((n) => villages.truth.has(n))).toBe(true); // the map is on what came in
    await screenshot(page, "import-villages-zh");
    step("villages");

    const stored = (await w.db.raw("SELECT name, population, township_code, ST_X(geom) x, ST_Y(geom) y FROM villages WHERE township_code = ?", [TOWN.code]))
      .rows as { name: string; population: number; x: number; y: number }[];
    expect(stored.length).toBe(villages.truth.size - 1);
    expect(stored.map((v) => v.name)).not.toContain(villages.bad.name);
    for (const v of stored) {
      const truth = villages.truth.get(v.name)!;
      expect(v.population).toBe(truth.population);
      expect(geodesicDistance([v.x, v.y], truth.at), v.name).toBeLessThan(1); // GCJ-02 offset removed
    }
    expect(Number((await w.db("villages").count("* as n").first())!.n)).toBe(villagesBefore + villages.truth.size - 1);

    // the shelters' Shapefile: its own system read from the .prj; a blank capacity fixed by taking 核定人數
    await bringIn(page, "shelters", shelters.path, "pick");
    expect(await page.inputValue("#import-crs")).toBe("file");
    expect(await page.textContent("#import-crs option:checked")).toMatch(/3826|TWD_?(19)?97/);
    expect(await page.inputValue('#import-mapping select[data-column="容納人數"]')).toBe("capacity");
    expect(await dryRun(page)).toBe("rejected");
    const blank = await page.$$eval("#import-errors tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].slice(1).map((td) => td.textContent)));
    expect(blank).toEqual([[String(shelters.blank.row), "容纳人数", "必填"]]);
    await mapColumn(page, "核定人數", "capacity");
    expect(await page.inputValue('#import-mapping select[data-column="容納人數"]')).toBe(""); // one column per field
    expect(await dryRun(page)).toBe("ok");
    expect(await commit(page)).toContain(`新增 ${shelters.rows.length}`);
    await drawnOf(page, "shelters-point");
    await screenshot(page, "import-shelters-zh");
    step("shelters");
    const storedShelters = (
      await w.db.raw("SELECT name, capacity, ST_X(geom) x, ST_Y(geom) y FROM shelters WHERE address IS NOT NULL AND name = ANY(?)", [
        shelters.rows.map((r) => r.name!),
      ])
    ).rows as { name: string; capacity: number; x: number; y: number }[];
    expect(storedShelters.length).toBe(shelters.rows.length);
    for (const s of storedShelters) {
      const source = shelters.rows.find((r) => r.name === s.name && geodesicDistance([Number(r.lon), Number(r.lat)], [s.x, s.y]) < 0.01);
      expect(source, s.name).toBeDefined(); // back from TWD97 to within a centimetre
      expect(s.capacity).toBe(Number(source!.capacity));
    }

    // on a phone: the Xitun road network as published, its upload shown as it goes
    await page.setViewportSize({ width: 390, height: 844 });
    await bringIn(page, "roads", roads.path, "pick");
    expect(await page.textContent("#import-mapping")).toContain("按台湾交通部路网格式读取");
    const uploading = page.waitForFunction(() => /正在上传|服务器正在/.test(document.querySelector("#import-progress-text")!.textContent ?? ""), null, {
      polling: 10,
    });
    expect(await dryRun(page)).toBe("ok");
    await uploading;
    const done = await commit(page);
    const inserted = Number(/新增 (\d+)/.exec(done)![1]);
    const leftOut = Number(/(\d+) 条非车行道路/.exec(done)?.[1] ?? 0);
    expect(inserted + leftOut).toBe(roads.features);
    expect(Number((await w.db("roads").count("* as n").first())!.n)).toBe(roadsBefore + inserted);
    await drawnOf(page, "roads-line");
    await screenshot(page, "import-roads-phone-zh");
    step("roads");

    // and the township's evacuation book, printed by a planner from the planning panel: the villages that
    // came in, with their people (the county-wide allocation decides their shelters), the skipped one not
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInAs(page, "planner", PASSWORD);
    await page.click("#planner summary");
    await page.waitForSelector(`#book-township option[value="${TOWN.code}"]`, { state: "attached" });
    await page.selectOption("#book-township", TOWN.code);
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), page.click("#evacuation-book")]);
    const book = readPdf(readFileSync((await download.path())!), "import-book-zh");
    const text = book.text.replace(/\s+/g, "");
    for (const v of stored) expect(text).toContain(`${v.name}人口${v.population.toLocaleString("en-US")}人`);
    expect(text).not.toContain(villages.bad.name);
    step("book");

    const seconds = (performance.now() - started) / 1000;
    let last = started;
    const parts = steps.map(([name, at]) => {
      const part = `${name} ${((at - last) / 1000).toFixed(1)} s`;
      last = at;
      return part;
    });
    console.log(`import flow through the web app: ${seconds.toFixed(1)} s (${parts.join(", ")})`);
    // the two dry runs that rejected a row were answered 422, as the API answers every rejected import (Chromium logs any 4xx)
    expect(errors).toEqual(Array(2).fill("Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"));
  }, 300_000); // four imports, two sign-ins and 6,673 roads on a shared machine
});
