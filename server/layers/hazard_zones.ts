import type { Layer } from "./layer.ts";
import { HAZARD_KINDS, RISK_LEVELS } from "./hazards.ts";

/** Each hazard's zone: its geometry buffered by influence_radius_m on the spheroid (view hazard_zones). */
export const hazardZones: Layer = {
  name: "hazard-zones",
  table: "hazard_zones",
  label: { zh: "危险源影响范围", en: "Hazard zones" },
  geometryTypes: ["MultiPolygon"],
  storedAs: "MultiPolygon",
  readOnly: true,
  tiles: { rank: { column: "risk_level", order: "asc" }, properties: ["name", "kind", "risk_level", "influence_radius_m"], generalised: true },
  fields: {
    kind: { kind: "enum", label: { zh: "类型", en: "Kind" }, values: HAZARD_KINDS },
    risk_level: { kind: "integer", label: { zh: "风险等级", en: "Risk level" }, min: 1, max: 4, labels: RISK_LEVELS },
    influence_radius_m: { kind: "number", label: { zh: "影响半径(米)", en: "Influence radius (m)" }, min: 0 },
    responsible_unit: { kind: "text", label: { zh: "责任单位", en: "Responsible unit" } },
  },
};
