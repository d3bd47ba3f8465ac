import type { Layer } from "./layer.ts";

export const HAZARD_KINDS = {
  chemical_plant: { zh: "化工企业", en: "Chemical plant" },
  fuel_station: { zh: "加油站", en: "Fuel station" },
  mine: { zh: "非煤矿山", en: "Mine" },
  tailings_pond: { zh: "尾矿库", en: "Tailings pond" },
  landslide: { zh: "滑坡", en: "Landslide" },
  collapse: { zh: "崩塌", en: "Rock collapse" },
  debris_flow: { zh: "泥石流", en: "Debris flow" },
  flood_zone: { zh: "洪涝风险区", en: "Flood zone" },
  reservoir: { zh: "水库", en: "Reservoir" },
  fireworks: { zh: "烟花爆竹", en: "Fireworks" },
  forest_fire_zone: { zh: "森林火险区", en: "Forest-fire zone" },
  other: { zh: "其他", en: "Other" },
};

/** 1 重大 (red) … 4 低 (blue), the four-colour convention of 风险分级管控 (the colours: the map's style). */
export const RISK_LEVELS = {
  1: { zh: "重大", en: "Major" },
  2: { zh: "较大", en: "Significant" },
  3: { zh: "一般", en: "Moderate" },
  4: { zh: "低", en: "Low" },
};

export const hazards: Layer = {
  name: "hazards",
  table: "hazards",
  label: { zh: "危险源/风险隐患点", en: "Hazards" },
  geometryTypes: ["Point", "LineString", "Polygon", "MultiLineString", "MultiPolygon"],
  tiles: { rank: { column: "risk_level", order: "asc" }, properties: ["name", "kind", "risk_level", "influence_radius_m"] },
  storedAs: "Geometry",
  fields: {
    kind: { kind: "enum", label: { zh: "类型", en: "Kind" }, required: true, values: HAZARD_KINDS },
    risk_level: { kind: "integer", label: { zh: "风险等级", en: "Risk level" }, required: true, min: 1, max: 4, labels: RISK_LEVELS },
    influence_radius_m: { kind: "number", label: { zh: "影响半径(米)", en: "Influence radius (m)" }, min: 0, max: 100_000, default: 0 },
    responsible_unit: { kind: "text", label: { zh: "责任单位", en: "Responsible unit" } },
    contact: { kind: "text", label: { zh: "联系人", en: "Contact" }, sensitive: true },
    phone: { kind: "text", label: { zh: "联系电话", en: "Phone" }, sensitive: true, max: 50 },
    last_inspected: { kind: "date", label: { zh: "最近检查日期", en: "Last inspected" } },
    description: { kind: "text", label: { zh: "说明", en: "Description" } },
  },
};
