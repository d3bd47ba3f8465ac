import { RISK_LEVELS } from "./hazards.ts";
import type { Layer } from "./layer.ts";

/** Why a nearest distance is null. */
const NO_DISTANCE = {
  none: { zh: "无可用", en: "none usable" },
  beyond_reach: { zh: "超出搜索范围", en: "beyond reach" },
};

/**
 * Each village with the hazards whose zones contain it and how far usable help is (view village_risk,
 * migration 012). A distance beyond the reach (NEAREST_REACH_M) is null and its note says why.
 * No vector tiles: every row costs several index searches, too many for a low-zoom tile.
 */
export const villageRisk: Layer = {
  name: "village-risk",
  table: "village_risk",
  label: { zh: "村庄风险", en: "Village risk" },
  geometryTypes: ["Point"],
  storedAs: "Point",
  readOnly: true,
  fields: {
    admin_code: { kind: "text", label: { zh: "统计用区划代码", en: "Admin code" } },
    township_code: { kind: "text", label: { zh: "所属乡镇代码", en: "Township code" } },
    population: { kind: "integer", label: { zh: "人口", en: "Population" }, min: 0 },
    vulnerable: { kind: "integer", label: { zh: "弱势人口(老幼病残)", en: "Vulnerable people" }, min: 0 },
    hazard_count: { kind: "integer", label: { zh: "所处危险源影响范围数", en: "Hazard zones it lies in" }, min: 0 },
    hazard_names: { kind: "text_list", label: { zh: "危险源", en: "Hazards" } },
    max_risk_level: { kind: "integer", label: { zh: "最高风险等级", en: "Highest risk level" }, min: 1, max: 4, labels: RISK_LEVELS },
    nearest_shelter_m: { kind: "number", label: { zh: "最近可用避难场所(米)", en: "Nearest usable shelter (m)" }, min: 0 },
    nearest_shelter_note: { kind: "enum", label: { zh: "避难场所距离说明", en: "Shelter distance note" }, values: NO_DISTANCE },
    nearest_depot_m: { kind: "number", label: { zh: "最近有库存物资储备点(米)", en: "Nearest depot with stock (m)" }, min: 0 },
    nearest_depot_note: { kind: "enum", label: { zh: "物资储备点距离说明", en: "Depot distance note" }, values: NO_DISTANCE },
    nearest_team_m: { kind: "number", label: { zh: "最近待命救援队伍(米)", en: "Nearest standby rescue team (m)" }, min: 0 },
    nearest_team_note: { kind: "enum", label: { zh: "救援队伍距离说明", en: "Team distance note" }, values: NO_DISTANCE },
    covered: { kind: "boolean", label: { zh: "5 公里内有可用避难场所", en: "Usable shelter within 5 km" } },
  },
};
