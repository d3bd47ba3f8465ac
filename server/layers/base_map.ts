import type { Layer } from "./layer.ts";

type Words = { zh: string; en: string };
const SHAPES = {
  lines: { geometryTypes: ["LineString", "MultiLineString"], storedAs: "MultiLineString" },
  areas: { geometryTypes: ["Polygon", "MultiPolygon"], storedAs: "MultiPolygon" },
  points: { geometryTypes: ["Point"], storedAs: "Point" },
} as const satisfies Record<string, Pick<Layer, "geometryTypes" | "storedAs">>;

/** A base layer: a name and a required kind, both in its tiles; where features crowd a tile, `rank` keeps the first. */
function baseLayer(name: string, label: Words, shape: keyof typeof SHAPES, kinds: Record<string, Words>, rank = "id"): Layer {
  return {
    name,
    table: name,
    label,
    ...SHAPES[shape],
    geometryTypes: [...SHAPES[shape].geometryTypes],
    tiles: { rank: { column: rank, order: "asc" }, properties: ["name", "kind"] },
    fields: { kind: { kind: "enum", label: { zh: "类型", en: "Kind" }, required: true, values: kinds } },
  };
}

/**
 * The base to find one's way by (底图要素, migration 017): rivers, water, built-up areas and place names,
 * drawn beneath the resources. Reference layers: a bureau imports them from its own survey data.
 */
export const waterways = baseLayer("waterways", { zh: "河流水系", en: "Rivers and streams" }, "lines", {
  river: { zh: "河流", en: "River" },
  stream: { zh: "溪沟", en: "Stream" },
  canal: { zh: "渠道", en: "Canal" },
});

export const waterAreas = baseLayer("water_areas", { zh: "水域", en: "Water areas" }, "areas", {
  lake: { zh: "湖泊", en: "Lake" },
  reservoir: { zh: "水库", en: "Reservoir" },
  river: { zh: "河道水面", en: "River surface" },
  pond: { zh: "坑塘", en: "Pond" },
});

export const builtUp = baseLayer("built_up", { zh: "建成区", en: "Built-up areas" }, "areas", {
  city: { zh: "城区", en: "Town centre" },
  town: { zh: "集镇", en: "Township seat" },
  village: { zh: "村庄聚落", en: "Village" },
});

/** Place names; the county seat is kept over a village beside it (kinds rank in this order). */
export const places = baseLayer(
  "places",
  { zh: "地名", en: "Place names" },
  "points",
  {
    county_seat: { zh: "县城", en: "County seat" },
    town: { zh: "乡镇驻地", en: "Township seat" },
    landmark: { zh: "地标", en: "Landmark" },
    village: { zh: "村", en: "Village" },
    hamlet: { zh: "自然村/组", en: "Hamlet" },
  },
  "kind",
);
