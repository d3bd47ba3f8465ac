import type { Layer } from "./layer.ts";

/**
 * The base to find one's way by (底图要素, migration 017): rivers, water, built-up areas and place names,
 * drawn beneath the resources. Reference layers: a bureau imports them from its own survey data.
 */
export const waterways: Layer = {
  name: "waterways",
  table: "waterways",
  label: { zh: "河流水系", en: "Rivers and streams" },
  geometryTypes: ["LineString", "MultiLineString"],
  tiles: { rank: { column: "id", order: "asc" }, properties: ["name", "kind"] },
  storedAs: "MultiLineString",
  fields: {
    kind: {
      kind: "enum",
      label: { zh: "类型", en: "Kind" },
      required: true,
      values: { river: { zh: "河流", en: "River" }, stream: { zh: "溪沟", en: "Stream" }, canal: { zh: "渠道", en: "Canal" } },
    },
  },
};

export const waterAreas: Layer = {
  name: "water_areas",
  table: "water_areas",
  label: { zh: "水域", en: "Water areas" },
  geometryTypes: ["Polygon", "MultiPolygon"],
  tiles: { rank: { column: "id", order: "asc" }, properties: ["name", "kind"] },
  storedAs: "MultiPolygon",
  fields: {
    kind: {
      kind: "enum",
      label: { zh: "类型", en: "Kind" },
      required: true,
      values: {
        lake: { zh: "湖泊", en: "Lake" },
        reservoir: { zh: "水库", en: "Reservoir" },
        river: { zh: "河道水面", en: "River surface" },
        pond: { zh: "坑塘", en: "Pond" },
      },
    },
  },
};

export const builtUp: Layer = {
  name: "built_up",
  table: "built_up",
  label: { zh: "建成区", en: "Built-up areas" },
  geometryTypes: ["Polygon", "MultiPolygon"],
  tiles: { rank: { column: "id", order: "asc" }, properties: ["name", "kind"] },
  storedAs: "MultiPolygon",
  fields: {
    kind: {
      kind: "enum",
      label: { zh: "类型", en: "Kind" },
      required: true,
      values: { city: { zh: "城区", en: "Town centre" }, town: { zh: "集镇", en: "Township seat" }, village: { zh: "村庄聚落", en: "Village" } },
    },
  },
};

/** Place names; a tile keeps the first of these kinds where names crowd (the county seat over a village beside it). */
export const places: Layer = {
  name: "places",
  table: "places",
  label: { zh: "地名", en: "Place names" },
  geometryTypes: ["Point"],
  tiles: { rank: { column: "kind", order: "asc" }, properties: ["name", "kind"] },
  storedAs: "Point",
  fields: {
    kind: {
      kind: "enum",
      label: { zh: "类型", en: "Kind" },
      required: true,
      values: {
        county_seat: { zh: "县城", en: "County seat" },
        town: { zh: "乡镇驻地", en: "Township seat" },
        landmark: { zh: "地标", en: "Landmark" },
        village: { zh: "村", en: "Village" },
        hamlet: { zh: "自然村/组", en: "Hamlet" },
      },
    },
  },
};
