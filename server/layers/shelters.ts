import type { Layer } from "./layer.ts";

/** What a shelter has: the known facilities (a shelter may name others). */
export const FACILITIES = {
  water: { zh: "供水", en: "Water" },
  power: { zh: "供电", en: "Power" },
  toilet: { zh: "厕所", en: "Toilets" },
  lighting: { zh: "照明", en: "Lighting" },
  broadcast: { zh: "应急广播", en: "Public address" },
  medical: { zh: "医疗救护", en: "Medical post" },
  kitchen: { zh: "炊事", en: "Kitchen" },
  shower: { zh: "淋浴", en: "Showers" },
};

export const shelters: Layer = {
  name: "shelters",
  table: "shelters",
  label: { zh: "应急避难场所", en: "Shelters" },
  geometryTypes: ["Point"],
  tiles: { rank: { column: "capacity", order: "desc" }, properties: ["name", "capacity", "occupancy", "status", "site_kind"] },
  storedAs: "Point",
  fields: {
    shelter_type: {
      kind: "enum",
      label: { zh: "场所类型", en: "Shelter type" },
      values: { indoor: { zh: "室内", en: "Indoor" }, outdoor: { zh: "室外", en: "Outdoor" }, mixed: { zh: "室内外", en: "Indoor and outdoor" } },
    },
    site_kind: {
      kind: "enum",
      label: { zh: "场地", en: "Site" },
      values: {
        school: { zh: "学校", en: "School" },
        park: { zh: "公园", en: "Park" },
        square: { zh: "广场", en: "Square" },
        stadium: { zh: "体育场馆", en: "Stadium" },
        community_centre: { zh: "社区中心", en: "Community centre" },
        other: { zh: "其他", en: "Other" },
      },
    },
    shelter_class: {
      kind: "enum",
      label: { zh: "类别", en: "Class" },
      values: {
        I: { zh: "Ⅰ类(长期)", en: "I (long stay)" },
        II: { zh: "Ⅱ类(中期)", en: "II (medium stay)" },
        III: { zh: "Ⅲ类(短期)", en: "III (short stay)" },
      },
    },
    capacity: { kind: "integer", label: { zh: "容纳人数", en: "Capacity (persons)" }, required: true, min: 0 },
    effective_area_m2: { kind: "number", label: { zh: "有效避难面积(m²)", en: "Effective area (m²)" }, min: 0 },
    occupancy: { kind: "integer", label: { zh: "已安置人数", en: "Occupancy" }, min: 0, default: 0 },
    status: {
      kind: "enum",
      label: { zh: "状态", en: "Status" },
      default: "open",
      values: { open: { zh: "开放", en: "Open" }, closed: { zh: "关闭", en: "Closed" }, full: { zh: "已满", en: "Full" } },
    },
    facilities: { kind: "text_list", label: { zh: "设施", en: "Facilities" }, labels: FACILITIES, default: [] },
    address: { kind: "text", label: { zh: "地址", en: "Address" } },
    manager: { kind: "text", label: { zh: "管理人", en: "Manager" }, sensitive: true },
    phone: { kind: "text", label: { zh: "联系电话", en: "Phone" }, sensitive: true, max: 50 },
  },
};
