import type { Layer } from "./layer.ts";
import { TOWNSHIP_CODE, TOWNSHIP_CODE_RULE, VILLAGE_CODE, VILLAGE_CODE_RULE } from "./admin_code.ts";

export const villages: Layer = {
  name: "villages",
  table: "villages",
  label: { zh: "行政村/社区", en: "Villages" },
  geometryTypes: ["Point"],
  tiles: { rank: { column: "population", order: "desc" }, properties: ["name", "population", "township_code"] },
  storedAs: "Point",
  fields: {
    admin_code: { kind: "text", label: { zh: "区划代码", en: "Admin code" }, pattern: VILLAGE_CODE, rule: VILLAGE_CODE_RULE },
    township_code: { kind: "text", label: { zh: "所属乡镇代码", en: "Township code" }, pattern: TOWNSHIP_CODE, rule: TOWNSHIP_CODE_RULE },
    population: { kind: "integer", label: { zh: "人口", en: "Population" }, required: true, min: 0 },
    households: { kind: "integer", label: { zh: "户数", en: "Households" }, min: 0 },
    vulnerable: { kind: "integer", label: { zh: "弱势人口(老幼病残)", en: "Vulnerable people" }, min: 0 },
  },
  // sheets often name the township instead of coding it: resolved to township_code (features/township_names.ts)
  inputOnly: {
    township_name: { kind: "text", label: { zh: "所属乡镇", en: "Township" }, max: 200 },
  },
};
