import type { Layer } from "./layer.ts";

export const villages: Layer = {
  name: "villages",
  table: "villages",
  label: { zh: "行政村/社区", en: "Villages" },
  geometryTypes: ["Point"],
  tiles: { rank: { column: "population", order: "desc" }, properties: ["name", "population", "township_code"] },
  storedAs: "Point",
  fields: {
    admin_code: { kind: "text", label: { zh: "统计用区划代码", en: "Admin code" }, pattern: /^[0-9]{12}$/ },
    township_code: { kind: "text", label: { zh: "所属乡镇代码", en: "Township code" }, pattern: /^[0-9]{12}$/ },
    population: { kind: "integer", label: { zh: "人口", en: "Population" }, required: true, min: 0 },
    households: { kind: "integer", label: { zh: "户数", en: "Households" }, min: 0 },
    vulnerable: { kind: "integer", label: { zh: "弱势人口(老幼病残)", en: "Vulnerable people" }, min: 0 },
  },
};
