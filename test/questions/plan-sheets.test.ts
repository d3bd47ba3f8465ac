import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { useDemoWorld } from "../support/demo_world.ts";

// a depot whose name a spreadsheet would run as a formula: the CSV must hold it as text
const demo = useDemoWorld({
  prepare: (db) =>
    db.raw(
      `UPDATE depots SET name = '=HYPERLINK("x")' WHERE id = (SELECT depot_id FROM depot_stock WHERE item_code = 'tent' ORDER BY quantity DESC, depot_id LIMIT 1)`,
    ),
});

const post = (path: string, body: object) =>
  demo.world.fetch(`${demo.world.base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** A sheet read back: CSV by csv-parse (BOM stripped), XLSX by ExcelJS — readers that share nothing with the writer. */
async function readSheet(res: Response, format: "csv" | "xlsx"): Promise<string[][]> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-disposition")).toMatch(new RegExp(`attachment; filename=".+-\\d{8}\\.${format}"`));
  const bytes = Buffer.from(await res.arrayBuffer());
  if (format === "csv") {
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    return parse(bytes.subarray(3).toString("utf8"));
  }
  expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      const v = row.getCell(c).value;
      cells.push(v === null || v === undefined ? "" : String(v));
    }
    rows.push(cells);
  });
  return rows;
}

interface Pick {
  name: string;
  depot_id: number;
  item: string;
  quantity: number;
  unit_zh: string;
  travel_time_s?: number;
  road_distance_m?: number;
  distance_m: number;
}

const km = (m: number | undefined) => (m === undefined ? "" : String(Math.round(m / 10) / 100));
const minutes = (s: number | undefined) => (s === undefined ? "" : String(Math.round(s / 6) / 10));

describe("plans as sheets (format=csv|xlsx, lang=zh): the JSON answer's numbers under Chinese headers", () => {
  it.each(["csv", "xlsx"] as const)("supply plan as %s: each draw with item name, quantity, unit, minutes and km; then the shortfall", async (format) => {
    const body = {
      lon: 104.3,
      lat: 30.85,
      items: [
        { item: "tent", quantity: 3000 },
        { item: "boat", quantity: 5000 },
      ],
    };
    const plan = await (await post("/api/v1/supply-plan", body)).json();
    expect(plan.picks.length).toBeGreaterThan(1);
    expect(plan.by).toBe("road"); // the minutes and km by road are in the sheet too
    expect(plan.shortfall.length).toBeGreaterThan(0);
    const rows = await readSheet(await post(`/api/v1/supply-plan?format=${format}&lang=zh`, body), format);
    expect(rows[0]).toEqual(["类别", "储备库", "储备库编号", "物资", "数量", "单位", "公路用时（分钟）", "公路里程（公里）", "直线距离（公里）"]);
    const name: Record<string, string> = { tent: "帐篷", boat: "冲锋舟" };
    expect(rows.slice(1)).toEqual([
      ...plan.picks.map((p: Pick) => [
        "调拨",
        String(p.name).startsWith("=") && format === "csv" ? `'${p.name}` : p.name,
        String(p.depot_id),
        name[p.item],
        String(p.quantity),
        p.unit_zh,
        minutes(p.travel_time_s),
        km(p.road_distance_m),
        km(p.distance_m),
      ]),
      ...plan.shortfall.map((s: Pick) => ["缺口", "", "", name[s.item], String(s.quantity), s.unit_zh, "", "", ""]),
    ]);
  });

  it("keeps a formula-looking depot name as text in CSV (a leading ')", async () => {
    const { rows: depots } = await demo.world.db.raw("SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM depots WHERE name LIKE '=%'");
    const body = { lon: depots[0].lon, lat: depots[0].lat, items: [{ item: "tent", quantity: 1 }], by: "straight" };
    const plan = await (await post("/api/v1/supply-plan", body)).json();
    const rows = await readSheet(await post("/api/v1/supply-plan?format=csv&lang=zh", body), "csv");
    expect(plan.picks[0]).toMatchObject({ name: '=HYPERLINK("x")', distance_m: 0 });
    expect(rows[1]![1]).toBe(`'=HYPERLINK("x")`);
  });

  it.each(["csv", "xlsx"] as const)("evacuation plan as %s: village → shelter with people, time and km; the unplaced with the reason", async (format) => {
    const body = { area: { lon: 104.3, lat: 30.85, radius_m: 6000 }, max_distance_m: 8000 };
    const plan = await (await post("/api/v1/evacuation-plan", body)).json();
    expect(plan.assignments.length).toBeGreaterThan(1);
    const rows = await readSheet(await post(`/api/v1/evacuation-plan?format=${format}&lang=zh`, body), format);
    expect(rows[0]).toEqual(["村庄", "村庄编号", "拟安置人数（人）", "避难场所", "避难场所编号", "公路用时（分钟）", "公路里程（公里）", "直线距离（公里）"]);
    const village = new Map(plan.villages.map((v: { id: number; name: string }) => [v.id, v.name]));
    const shelter = new Map(plan.shelters.map((s: { shelter_id: number; name: string }) => [s.shelter_id, s.name]));
    expect(rows.slice(1, 1 + plan.assignments.length)).toEqual(
      plan.assignments.map((a: Record<string, number>) => [
        village.get(a.village_id),
        String(a.village_id),
        String(a.people),
        shelter.get(a.shelter_id),
        String(a.shelter_id),
        minutes(a.travel_time_s),
        km(a.road_distance_m),
        km(a.distance_m),
      ]),
    );
    const reasons: Record<string, string> = { no_shelter_in_reach: "范围内无可用避难场所", no_capacity_left: "避难场所已满" };
    expect(rows.slice(1 + plan.assignments.length)).toEqual(
      plan.unassigned.map((u: { village_id: number; people: number; reason: string }) => [
        village.get(u.village_id),
        String(u.village_id),
        String(u.people),
        `未安置：${reasons[u.reason]}`,
        "",
        "",
        "",
        "",
      ]),
    );
    // the sheet's people add up to the affected population, as the answer's do
    expect(rows.slice(1).reduce((s, r) => s + Number(r[2]), 0)).toBe(plan.affected.population);
  });

  it.each(["csv", "xlsx"] as const)("coverage gaps as %s: each uncovered village with its township and people, most people first", async (format) => {
    const gaps = await (await demo.world.fetch(`${demo.world.base}/api/v1/coverage-gaps?layer=shelters&radius_m=3000`)).json();
    expect(gaps.features.length).toBeGreaterThan(3);
    const rows = await readSheet(
      await demo.world.fetch(`${demo.world.base}/api/v1/coverage-gaps?layer=shelters&radius_m=3000&format=${format}&lang=zh`),
      format,
    );
    expect(rows[0]).toEqual(["村庄", "村庄编号", "区划代码", "所属乡镇", "人口（人）"]);
    const township = new Map(demo.snapshot.townships.map((t) => [t.admin_code, t.name]));
    const want = [...gaps.features]
      .sort((a, b) => b.properties.population - a.properties.population || a.id - b.id)
      .map((f) => [
        f.properties.name,
        String(f.id),
        f.properties.admin_code ?? "",
        township.get(f.properties.township_code) ?? "",
        String(f.properties.population),
      ]);
    expect(rows.slice(1)).toEqual(want);
    expect(rows.slice(1).reduce((s, r) => s + Number(r[4]), 0)).toBe(gaps.summary.uncovered_population);
  });

  it("prints a plan as an order (调度单): the sheet's rows as text in the PDF, read back with pdftotext", async () => {
    const csv = await readSheet(await demo.world.fetch(`${demo.world.base}/api/v1/coverage-gaps?layer=shelters&radius_m=3000&format=csv&lang=zh`), "csv");
    const res = await demo.world.fetch(`${demo.world.base}/api/v1/coverage-gaps?layer=shelters&radius_m=3000&format=pdf&lang=zh`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/filename="coverage-gaps-\d{8}\.pdf"/);
    const file = join(mkdtempSync(join(tmpdir(), "hazmap-order-")), "order.pdf");
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    expect(text).toContain("调度单");
    expect(text).toContain("签发人");
    for (const row of csv.slice(1)) expect(text).toContain(row[0]!.replace(/\s+/g, ""));
  });

  it("speaks English when not asked for Chinese, and refuses an unknown format naming the field", async () => {
    const rows = await readSheet(await demo.world.fetch(`${demo.world.base}/api/v1/coverage-gaps?layer=shelters&radius_m=3000&format=csv`), "csv");
    expect(rows[0]).toEqual(["Village", "Village id", "Admin code", "Township", "Population (people)"]);
    const bad = await post("/api/v1/evacuation-plan?format=docx", { area: { lon: 104.3, lat: 30.85, radius_m: 6000 } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ path: ["format"] }] });
  });
});
