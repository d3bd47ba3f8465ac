import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startWorld, type World } from "../support/world.ts";

// A workbook written by another program (GDAL's XLSX driver: the sheet before the shared strings in
// the archive, indented XML, a styles part) imports as the sheet says.

const run = promisify(execFile);
let w: World;
let dir: string;
beforeAll(async () => {
  w = await startWorld();
  dir = mkdtempSync(join(tmpdir(), "hazmap-xlsx-gdal-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w?.close();
});

describe("XLSX written by GDAL", () => {
  it("imports every row, texts and numbers as written", async () => {
    writeFileSync(
      join(dir, "in.csv"),
      '编码,名称,容纳人数,经度,纬度,地址\nS1,实验小学操场,1500,104.25,30.85,"=HYPERLINK(""x"")"\nS2,-3 号仓库,20,104.3,30.9,\n',
    );
    await run("ogr2ogr", ["-f", "XLSX", join(dir, "out.xlsx"), join(dir, "in.csv"), "-oo", "AUTODETECT_TYPE=YES"]);
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/import?format=xlsx`, {
      method: "POST",
      body: new Uint8Array(readFileSync(join(dir, "out.xlsx"))),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rows: 2, inserted: 2, errors: [] });
    const rows = await w
      .db("shelters")
      .select("code", "name", "capacity", "address", w.db.raw("ST_X(geom) AS lon"), w.db.raw("ST_Y(geom) AS lat"))
      .orderBy("code");
    expect(rows).toEqual([
      { code: "S1", name: "实验小学操场", capacity: 1500, address: '=HYPERLINK("x")', lon: 104.25, lat: 30.85 },
      { code: "S2", name: "-3 号仓库", capacity: 20, address: null, lon: 104.3, lat: 30.9 },
    ]);
  });
});
