import type { Layer } from "./layer.ts";
import { TOWNSHIP_CODE, TOWNSHIP_CODE_RULE } from "./admin_code.ts";

export const townships: Layer = {
  name: "townships",
  table: "townships",
  label: { zh: "乡镇/街道", en: "Townships" },
  geometryTypes: ["Polygon", "MultiPolygon"],
  // a township is known by code and name before anyone has its boundary: it groups villages all the same
  geometryOptional: true,
  tiles: { rank: { column: "id", order: "asc" }, properties: ["name", "admin_code"] },
  storedAs: "MultiPolygon",
  fields: {
    admin_code: { kind: "text", label: { zh: "区划代码", en: "Admin code" }, pattern: TOWNSHIP_CODE, rule: TOWNSHIP_CODE_RULE },
  },
};
