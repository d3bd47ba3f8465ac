import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

const run = promisify(execFile);

/** Exports asked for in Chinese (lang=zh): a sheet for people, read back by GDAL (an independent reader). */
let w: World;
let dir: string;
beforeAll(async () => {
  w = await startWorld();
  dir = mkdtempSync(join(tmpdir(), "hazmap-export-zh-"));
  const create = async (layer: string, coordinates: [number, number], properties: Record<string, unknown>) => {
    const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates }, properties }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  await create("teams", [104.01, 31.01], {
    name: "危化品应急救援队",
    code: "T-1",
    team_type: "hazmat",
    specialties: ["hazmat", "firefighting", "drones"],
    headcount: 25,
  });
  await create("hazards", [104.02, 31.02], { name: "化工园区", code: "H-1", kind: "chemical_plant", risk_level: 1, influence_radius_m: 1500 });
  await create("shelters", [104.03, 31.03], {
    name: "第一中学",
    code: "S-1",
    capacity: 800,
    status: "full",
    facilities: ["water", "toilet"],
    site_kind: "school",
  });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w.close();
});

async function download(query: string): Promise<{ text: string; file: string }> {
  const res = await w.fetch(`${w.base}/api/v1/layers/${query}`);
  expect(res.status).toBe(200);
  const body = Buffer.from(await res.arrayBuffer());
  const file = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, body);
  return { text: body.subarray(3).toString("utf8"), file };
}

/** The rows GDAL reads from a CSV, by its header (the coordinates' columns named). */
async function gdalRows(file: string, x: string, y: string): Promise<Record<string, unknown>[]> {
  const { stdout } = await run("ogr2ogr", [
    "-f",
    "GeoJSON",
    "-oo",
    `X_POSSIBLE_NAMES=${x}`,
    "-oo",
    `Y_POSSIBLE_NAMES=${y}`,
    "-oo",
    "AUTODETECT_TYPE=NO",
    "/vsistdout/",
    file,
  ]);
  return (JSON.parse(stdout) as GeoJSON.FeatureCollection).features.map((f) => f.properties!);
}

describe("CSV export in Chinese (lang=zh)", () => {
  it("heads each column with its Chinese label and writes codes as their labels", async () => {
    const teams = await download("teams/export?format=csv&lang=zh");
    expect(teams.text.split("\n")[0]!.split(",")).toEqual([
      "编号",
      "名称",
      "外部编码",
      "队伍类型",
      "专长",
      "人数",
      "主要装备",
      "状态",
      "联系人",
      "联系电话",
      "版本",
      "创建时间",
      "更新时间",
      "经度",
      "纬度",
    ]);
    const [team] = await gdalRows(teams.file, "经度", "纬度");
    // a specialty without a label (drones) stays as given
    expect(team).toMatchObject({ 名称: "危化品应急救援队", 队伍类型: "危化品救援", 专长: "危化品处置、灭火、drones", 状态: "待命", 人数: "25" });

    const [hazard] = await gdalRows((await download("hazards/export?format=csv&lang=zh")).file, "x", "y");
    expect(hazard).toMatchObject({ 名称: "化工园区", 类型: "化工企业", 风险等级: "重大" });
    expect(Object.keys(hazard!)).toContain("WKT");

    const [shelter] = await gdalRows((await download("shelters/export?format=csv&lang=zh")).file, "经度", "纬度");
    expect(shelter).toMatchObject({ 名称: "第一中学", 状态: "已满", 设施: "供水、厕所", 场地: "学校", 容纳人数: "800" });
  });

  it("stays as machines read it by default and with lang=en: names and codes", async () => {
    for (const query of ["teams/export?format=csv", "teams/export?format=csv&lang=en"]) {
      const { text, file } = await download(query);
      expect(text.split("\n")[0]).toMatch(/^id,name,code,team_type,specialties,/);
      const [team] = await gdalRows(file, "lon", "lat");
      expect(team).toMatchObject({ team_type: "hazmat", specialties: "hazmat;firefighting;drones", status: "standby" });
    }
  });

  it("is read back by the import: the Chinese sheet updates nothing", async () => {
    for (const layer of ["teams", "hazards", "shelters"]) {
      const { text } = await download(`${layer}/export?format=csv&lang=zh`);
      const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/import?format=csv&dry_run=true`, { method: "POST", body: text });
      const report = await res.json();
      expect(res.status, JSON.stringify(report)).toBe(200);
      expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 1, errors: [] });
    }
  });

  it("refuses a language it does not write, naming the parameter", async () => {
    const res = await w.fetch(`${w.base}/api/v1/layers/teams/export?format=csv&lang=fr`);
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ path: ["lang"], message: "must be zh or en" }]);
  });
});
