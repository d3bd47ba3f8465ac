import type { Layer } from "./layer.ts";

export const townships: Layer = {
  name: "townships",
  table: "townships",
  label: { zh: "乡镇/街道", en: "Townships" },
  geometryTypes: ["Polygon", "MultiPolygon"],
  tiles: { rank: { column: "id", order: "asc" }, properties: ["name", "admin_code"] },
  storedAs: "MultiPolygon",
  fields: {
    admin_code: { kind: "text", label: { zh: "统计用区划代码", en: "Admin code" }, pattern: /^[0-9]{12}$/ },
  },
};
