import type { Layer } from "./layer.ts";

export const ROAD_CLASSES = {
  expressway: { zh: "高速公路", en: "Expressway" },
  national: { zh: "国道", en: "National road" },
  provincial: { zh: "省道", en: "Provincial road" },
  county: { zh: "县道", en: "County road" },
  township: { zh: "乡道", en: "Township road" },
  village: { zh: "村道", en: "Village road" },
  other: { zh: "其他", en: "Other" },
};

/** The speed (km/h) a road of each class is driven at when it has none of its own: migration 015's road_speed_kmh, shown to people. */
export const ROAD_CLASS_KMH: Record<keyof typeof ROAD_CLASSES, number> = {
  expressway: 100,
  national: 70,
  provincial: 60,
  county: 50,
  township: 40,
  village: 30,
  other: 20,
};

/** The road network every answer by road travels on. Speed, when absent, is its class's default (migration 015, road_speed_kmh). */
export const roads: Layer = {
  name: "roads",
  table: "roads",
  label: { zh: "道路", en: "Roads" },
  geometryTypes: ["LineString", "MultiLineString"],
  tiles: { rank: { column: "id", order: "asc" }, properties: ["name", "road_class", "status", "oneway", "bridge", "tunnel"] },
  storedAs: "MultiLineString",
  fields: {
    road_class: { kind: "enum", label: { zh: "道路等级", en: "Road class" }, required: true, values: ROAD_CLASSES },
    oneway: {
      kind: "enum",
      label: { zh: "单行", en: "One-way" },
      default: "no",
      values: {
        no: { zh: "双向", en: "Both ways" },
        forward: { zh: "顺数字化方向单行", en: "One-way, as digitised" },
        backward: { zh: "逆数字化方向单行", en: "One-way, against digitised direction" },
      },
    },
    speed_kmh: { kind: "number", label: { zh: "车速(公里/小时)", en: "Speed (km/h)" }, min: 0.1, max: 200 },
    status: {
      kind: "enum",
      label: { zh: "通行状态", en: "Status" },
      default: "open",
      values: { open: { zh: "畅通", en: "Open" }, damaged: { zh: "受损", en: "Damaged (half speed)" }, closed: { zh: "中断", en: "Closed" } },
    },
    bridge: { kind: "boolean", label: { zh: "桥梁", en: "Bridge" }, default: false },
    tunnel: { kind: "boolean", label: { zh: "隧道", en: "Tunnel" }, default: false },
  },
};
