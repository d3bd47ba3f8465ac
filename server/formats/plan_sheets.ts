import { z } from "zod";
import type { Db } from "../db.ts";
import { SHEET_FORMATS, type Sheet } from "./sheet.ts";
import type { SupplyPlan } from "../questions/supply_plan.ts";
import type { EvacuationPlan } from "../questions/evacuation_plan.ts";
import type { CoverageGaps } from "../questions/coverage_gaps.ts";

/** `?format=csv|xlsx` on a plan: the plan as a sheet to download instead of JSON; `lang` chooses the headers' language. */
export const SheetQuery = z.strictObject({
  format: z.enum(SHEET_FORMATS).optional().describe("csv or xlsx: the plan as a sheet to download; pdf: printed as an order (调度单) (JSON when absent)"),
  lang: z.enum(["zh", "en"]).default("en").describe("the sheet's headers and words: zh 中文, en English"),
});
export type SheetQuery = z.output<typeof SheetQuery>;
type Lang = SheetQuery["lang"];

/**
 * Every header and word of the plans' sheets, in one table (the lead merges it with the field labels of
 * the registry when there is one source for codes). Units are in the headers, so cells hold plain numbers.
 */
const WORDS = {
  kind: { zh: "类别", en: "Kind" },
  pick: { zh: "调拨", en: "Draw" },
  shortfall: { zh: "缺口", en: "Shortfall" },
  depot: { zh: "储备库", en: "Depot" },
  depotId: { zh: "储备库编号", en: "Depot id" },
  item: { zh: "物资", en: "Item" },
  quantity: { zh: "数量", en: "Quantity" },
  unit: { zh: "单位", en: "Unit" },
  straightKm: { zh: "直线距离（公里）", en: "Straight distance (km)" },
  roadMinutes: { zh: "公路用时（分钟）", en: "Time by road (min)" },
  roadKm: { zh: "公路里程（公里）", en: "Distance by road (km)" },
  village: { zh: "村庄", en: "Village" },
  villageId: { zh: "村庄编号", en: "Village id" },
  adminCode: { zh: "区划代码", en: "Admin code" },
  township: { zh: "所属乡镇", en: "Township" },
  population: { zh: "人口（人）", en: "Population (people)" },
  people: { zh: "拟安置人数（人）", en: "People to move" },
  shelter: { zh: "避难场所", en: "Shelter" },
  shelterId: { zh: "避难场所编号", en: "Shelter id" },
  unassigned: { zh: "未安置", en: "Not placed" },
  no_shelter_in_reach: { zh: "范围内无可用避难场所", en: "no usable shelter in reach" },
  no_capacity_left: { zh: "避难场所已满", en: "no places left" },
  beyond_reach: { zh: "距道路过远", en: "too far from a road" },
  no_roads: { zh: "附近没有道路", en: "no roads nearby" },
  supplyPlan: { zh: "物资调拨", en: "Supply plan" },
  evacuationPlan: { zh: "疏散安置", en: "Evacuation plan" },
  coverageGaps: { zh: "覆盖盲区", en: "Coverage gaps" },
} as const satisfies Record<string, Record<Lang, string>>;

const words = (lang: Lang) => (key: keyof typeof WORDS) => WORDS[key][lang];
/** Metres as km to 0.01 (10 m), seconds as minutes to 0.1: what a plan is read to. */
const km = (m: number | null | undefined) => (m === null || m === undefined ? null : Math.round(m / 10) / 100);
const min = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round(s / 6) / 10);

/** The supply plan: one row per draw from a depot, then one per item short. */
export async function supplyPlanSheet(db: Db, plan: SupplyPlan, lang: Lang): Promise<Sheet> {
  const w = words(lang);
  const names = new Map<string, string>(
    (await db("items").select("code", "name_zh", "name_en")).map((i) => [i.code as string, (lang === "zh" ? i.name_zh : i.name_en) as string]),
  );
  const unit = (x: { unit_zh: string; unit_en: string }) => (lang === "zh" ? x.unit_zh : x.unit_en);
  return {
    name: w("supplyPlan"),
    headers: [w("kind"), w("depot"), w("depotId"), w("item"), w("quantity"), w("unit"), w("roadMinutes"), w("roadKm"), w("straightKm")],
    rows: [
      ...plan.picks.map((p) => [
        w("pick"),
        p.name,
        p.depot_id,
        names.get(p.item) ?? p.item,
        p.quantity,
        unit(p),
        min(p.travel_time_s),
        km(p.road_distance_m),
        km(p.distance_m),
      ]),
      ...plan.shortfall.map((s) => [w("shortfall"), null, null, names.get(s.item) ?? s.item, s.quantity, unit(s), null, null, null]),
    ],
  };
}

/** The evacuation plan: village → shelter with the people each takes; then the people not placed, and why. */
export function evacuationPlanSheet(plan: EvacuationPlan, lang: Lang): Sheet {
  const w = words(lang);
  const villages = new Map(plan.villages.map((v) => [v.id, v]));
  const shelters = new Map(plan.shelters.map((s) => [s.shelter_id, s]));
  return {
    name: w("evacuationPlan"),
    headers: [w("village"), w("villageId"), w("people"), w("shelter"), w("shelterId"), w("roadMinutes"), w("roadKm"), w("straightKm")],
    rows: [
      ...plan.assignments.map((a) => [
        villages.get(a.village_id)?.name ?? null,
        a.village_id,
        a.people,
        shelters.get(a.shelter_id)?.name ?? null,
        a.shelter_id,
        min(a.travel_time_s),
        km(a.road_distance_m),
        km(a.distance_m),
      ]),
      ...plan.unassigned.map((u) => [
        villages.get(u.village_id)?.name ?? null,
        u.village_id,
        u.people,
        `${w("unassigned")}：${w(u.reason)}`,
        null,
        null,
        null,
        null,
      ]),
    ],
  };
}

/** The coverage gaps: each uncovered village with its township and people, most people first. */
export async function coverageGapsSheet(db: Db, gaps: CoverageGaps, lang: Lang): Promise<Sheet> {
  const w = words(lang);
  const townships = new Map<string, string>((await db("townships").whereNotNull("admin_code").select("admin_code", "name")).map((t) => [t.admin_code, t.name]));
  const villages = gaps.features
    .map((f) => JSON.parse(f) as { id: number; properties: { name: string; admin_code: string | null; township_code: string | null; population: number } })
    .sort((a, b) => b.properties.population - a.properties.population || a.id - b.id);
  return {
    name: w("coverageGaps"),
    headers: [w("village"), w("villageId"), w("adminCode"), w("township"), w("population")],
    rows: villages.map((v) => [
      v.properties.name,
      v.id,
      v.properties.admin_code,
      v.properties.township_code === null ? null : (townships.get(v.properties.township_code) ?? v.properties.township_code),
      v.properties.population,
    ]),
  };
}
