import type { Layer } from "./layer.ts";
import { COVERED_WITHIN_M } from "../../migrations/20261129_004_derived_layers.ts";

/**
 * Each village with the hazards whose zones contain it and how far help is (view village_risk).
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
    max_risk_level: { kind: "integer", label: { zh: "最高风险等级", en: "Highest risk level" }, min: 1, max: 4 },
    nearest_open_shelter_m: { kind: "number", label: { zh: "最近开放避难场所(米)", en: "Nearest open shelter (m)" }, min: 0 },
    nearest_depot_m: { kind: "number", label: { zh: "最近物资储备点(米)", en: "Nearest depot (m)" }, min: 0 },
    nearest_team_m: { kind: "number", label: { zh: "最近救援队伍(米)", en: "Nearest rescue team (m)" }, min: 0 },
    covered: { kind: "boolean", label: { zh: `${COVERED_WITHIN_M / 1000} 公里内有开放避难场所`, en: `Open shelter within ${COVERED_WITHIN_M / 1000} km` } },
  },
};
