import type { Layer } from "./layer.ts";

/** Standard floor area per depot level, m² (建标121-2009): county 2000, township 200, village 12. */
export const DEPOT_STANDARD_AREA_M2 = { county: 2000, township: 200, village: 12 } as const;

export const depots: Layer = {
  name: "depots",
  table: "depots",
  label: { zh: "应急物资储备库", en: "Supply depots" },
  geometryTypes: ["Point"],
  tiles: { rank: { column: "floor_area_m2", order: "desc" }, properties: ["name", "level", "floor_area_m2"] },
  storedAs: "Point",
  fields: {
    level: {
      kind: "enum",
      label: { zh: "级别", en: "Level" },
      default: "township",
      values: { county: { zh: "县级", en: "County" }, township: { zh: "乡镇级", en: "Township" }, village: { zh: "村级", en: "Village" } },
    },
    floor_area_m2: { kind: "number", label: { zh: "库房面积(m²)", en: "Floor area (m²)" }, min: 0 },
    address: { kind: "text", label: { zh: "地址", en: "Address" } },
    manager: { kind: "text", label: { zh: "管理人", en: "Manager" }, sensitive: true },
    phone: { kind: "text", label: { zh: "联系电话", en: "Phone" }, sensitive: true, max: 50 },
  },
};
