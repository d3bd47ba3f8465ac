// The Nantou sheets as people in Taiwan really send them, over real HTTP into real PostGIS: Big5
// (CP950, what Windows there writes) with Traditional headers and no encoding named; Excel's
// "Unicode text" (UTF-16LE with a BOM, tab-separated); the same sheet made Simplified in GBK; and
// refusals, naming the encoding and the row, when the text read is not text. The files are made at
// run time from the real data beside the clone (never copied into the repo), with iconv-lite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import iconv from "iconv-lite";
import * as OpenCC from "opencc-js/t2cn";
import { startWorld, type World } from "../support/world.ts";
import { NANTOU_DIR, parseCsv } from "../support/nantou.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

async function importFile(body: Buffer, query: string) {
  const res = await w.fetch(`${w.base}/api/v1/layers/shelters/import?${query}`, {
    method: "POST",
    body: new Uint8Array(body),
    headers: { "content-type": "application/octet-stream" },
  });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

async function stored(layer: string): Promise<{ id: number; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[]> {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features?limit=10000`);
  return ((await res.json()).features as { id: number; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[]).sort(
    (a, b) => a.id - b.id,
  );
}

/** A sheet as Excel writes it: every cell quoted, CRLF line ends. */
function sheet(rows: string[][], delimiter = ","): string {
  return rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(delimiter)).join("\r\n") + "\r\n";
}

/** Whether CP950 can hold the text (a few rare characters in names it cannot: 廍, 硘磘 …). */
const inCp950 = (s: string) => iconv.decode(iconv.encode(s, "cp950"), "cp950") === s;

/** The Nantou shelters, as a township clerk in Taiwan types them up: Traditional headers, 開放 for each. */
const HEADERS = ["名稱", "經度", "緯度", "預計收容人數", "地址", "村里", "狀態"];
let shelters: Record<string, string>[];
let clerkRows: string[][];
beforeAll(async () => {
  const all = parseCsv(await readFile(new URL("shelters.csv", NANTOU_DIR), "utf8"));
  const rowOf = (s: Record<string, string>) => [s.name!, s.lon!, s.lat!, s.capacity!, s.address!, s.village!, "開放"];
  shelters = all.filter((s) => rowOf(s).every(inCp950));
  expect(all.length - shelters.length).toBeLessThanOrEqual(2); // only the rows with characters Big5 lacks
  clerkRows = [HEADERS, ...shelters.map(rowOf)];
});

/** The stored shelters are the sheet's rows (after its header), exactly: names, capacities, addresses, places; 開放/开放 is open. */
async function expectStored(rows: string[][]) {
  const got = await stored("shelters");
  expect(got.map((f) => [f.properties.name, f.properties.capacity, f.properties.address, f.properties.status, ...f.geometry.coordinates])).toEqual(
    rows.slice(1).map(([name, lon, lat, capacity, address]) => [name, Number(capacity), address || null, "open", Number(lon), Number(lat)]),
  );
}

describe("a Nantou sheet from Taiwan", () => {
  it("in Big5 (CP950) with Traditional headers and no encoding named: detected, and every name stored exactly as written", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const big5 = iconv.encode(sheet(clerkRows), "cp950");
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(big5)).toThrow(); // really not UTF-8
    const r = await importFile(big5, "format=csv");
    expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(200);
    expect(r.body).toMatchObject({ rows: shelters.length, inserted: shelters.length, errors: [] });
    // 村里 is no attribute of a shelter; every other Traditional header found its attribute
    expect(r.body.warnings.find((m: string) => m.startsWith("columns ignored"))).toBe("columns ignored (not attributes of shelters): 村里");
    await expectStored(clerkRows);
    expect(clerkRows.slice(1).map((r) => r[0])).toEqual(shelters.map((s) => s.name)); // the names as published
  });

  it("in Big5 with encoding=big5 named: the same; named as UTF-8, refused (422) at the header, naming UTF-8", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const big5 = iconv.encode(sheet(clerkRows), "cp950");
    const dry = await importFile(big5, "format=csv&encoding=big5&dry_run=true");
    expect(dry.body).toMatchObject({ rows: shelters.length, inserted: shelters.length, errors: [] });
    const wrong = await importFile(big5, "format=csv&encoding=utf-8");
    expect([wrong.status, wrong.type]).toEqual([422, "application/problem+json; charset=utf-8"]);
    expect(wrong.body).toMatchObject({
      type: "/problems/undecodable-text",
      encoding: "utf-8",
      detected: false,
      row: 1,
      column: "column 1",
      errors: [{ path: ["encoding"] }],
    });
    expect(wrong.body.detail).toMatch(/^read as UTF-8 \(as given\): row 1, column 1 has bytes that are not text in it; nothing was written$/);
    expect(await stored("shelters")).toEqual([]);
  });

  it("as Excel's Unicode text (UTF-16LE with a BOM, tab-separated): detected, names exact", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const utf16 = iconv.encode(sheet(clerkRows, "\t"), "utf-16le", { addBOM: true });
    expect([utf16[0], utf16[1]]).toEqual([0xff, 0xfe]);
    const r = await importFile(utf16, "format=csv");
    expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(200);
    expect(r.body).toMatchObject({ inserted: shelters.length, errors: [] });
    await expectStored(clerkRows);
    const named = await importFile(utf16, "format=csv&encoding=utf-16&dry_run=true");
    expect(named.body).toMatchObject({ unchanged: 0, inserted: shelters.length, errors: [] }); // no codes: each row would be added
  });

  it("the real file as published keeps one private-use glyph: refused at its row", async () => {
    const original = await readFile(new URL("shelters.csv", NANTOU_DIR), "utf8");
    const line = original.split("\n").findIndex((l) => /[\uE000-\uF8FF]/.test(l)) + 1;
    expect(line).toBeGreaterThan(1);
    const r = await importFile(Buffer.from(original), "format=csv");
    expect(r.body).toMatchObject({ status: 422, encoding: "utf-8", detected: true, row: line, column: "name" });
  });
});

describe("the same sheet from the mainland", () => {
  const simplified = OpenCC.Converter({ from: "twp", to: "cn" });

  it("made Simplified and saved as GBK: detected as GBK, names stored as written", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const rows = clerkRows.map((r) => r.map((c) => simplified(c)));
    expect(rows[0]).toEqual(["名称", "经度", "纬度", "预计收容人数", "地址", "村里", "状态"]);
    const r = await importFile(iconv.encode(sheet(rows), "gbk"), "format=csv");
    expect(r.status, JSON.stringify(r.body).slice(0, 400)).toBe(200);
    await expectStored(rows);
  });

  it("GBK posted as encoding=big5 is refused (422) at its first row that Big5 cannot read, naming Big5", async () => {
    const bytes = iconv.encode(sheet(clerkRows.map((r) => r.map((c) => simplified(c)))), "gbk");
    // the first line whose bytes CP950 cannot read, found line by line with iconv-lite
    const lines = sheet(clerkRows.map((r) => r.map((c) => simplified(c)))).split("\r\n");
    const first = lines.findIndex((l) => iconv.decode(iconv.encode(l, "gbk"), "cp950").includes("\uFFFD")) + 1;
    expect(first).toBeGreaterThan(0);
    const r = await importFile(bytes, "format=csv&encoding=big5");
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ encoding: "cp950", detected: false, row: first });
    expect(r.body.detail).toMatch(/^read as Big5 \(CP950\) \(as given\): row \d+, /);
  });
});

describe("Nantou villages from the household register", () => {
  it("in Big5 with Traditional headers (名稱, 人口數, 戶數, 經度, 緯度): populations and names exact", async () => {
    await w.db.raw("TRUNCATE villages CASCADE");
    const all = parseCsv(await readFile(new URL("villages_points.csv", NANTOU_DIR), "utf8"));
    const villages = all.filter((v) => inCp950(v.village_name!));
    expect(all.length - villages.length).toBe(2); // 硘磘里, 廍下村
    const rows = [["名稱", "人口數", "戶數", "經度", "緯度"], ...villages.map((v) => [v.village_name!, v.population!, v.households!, v.lon!, v.lat!])];
    const res = await w.fetch(`${w.base}/api/v1/layers/villages/import?format=csv`, {
      method: "POST",
      body: new Uint8Array(iconv.encode(sheet(rows), "cp950")),
    });
    expect(res.status).toBe(200);
    const got = await stored("villages");
    expect(got.map((f) => [f.properties.name, f.properties.population, f.properties.households, ...f.geometry.coordinates])).toEqual(
      villages.map((v) => [v.village_name, Number(v.population), Number(v.households), Number(v.lon), Number(v.lat)]),
    );
  });
});
