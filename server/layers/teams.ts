import type { Layer } from "./layer.ts";

export const TEAM_TYPES = {
  fire_rescue: { zh: "综合消防救援", en: "Fire and rescue" },
  forest_fire: { zh: "森林消防", en: "Forest firefighting" },
  mine_rescue: { zh: "矿山救护", en: "Mine rescue" },
  hazmat: { zh: "危化品救援", en: "Hazmat" },
  medical: { zh: "医疗救援", en: "Medical" },
  water_rescue: { zh: "水上救援", en: "Water rescue" },
  volunteer: { zh: "志愿者", en: "Volunteers" },
  militia: { zh: "民兵", en: "Militia" },
};

/** What teams are trained for: the known specialties (a team may name others). */
export const SPECIALTIES = {
  firefighting: { zh: "灭火", en: "Firefighting" },
  structural_collapse: { zh: "建筑倒塌搜救", en: "Structural collapse" },
  rope_rescue: { zh: "绳索救援", en: "Rope rescue" },
  hazmat: { zh: "危化品处置", en: "Hazmat" },
  forest_fire: { zh: "森林灭火", en: "Forest firefighting" },
  mine_rescue: { zh: "矿山救护", en: "Mine rescue" },
  first_aid: { zh: "医疗急救", en: "First aid" },
  mass_casualty: { zh: "批量伤员救治", en: "Mass casualty care" },
  flood_rescue: { zh: "抗洪抢险", en: "Flood rescue" },
  water_rescue: { zh: "水上救援", en: "Water rescue" },
  search_dog: { zh: "搜救犬", en: "Search dogs" },
  evacuation: { zh: "人员转移", en: "Evacuation" },
};

export const teams: Layer = {
  name: "teams",
  table: "teams",
  label: { zh: "救援队伍", en: "Rescue teams" },
  geometryTypes: ["Point"],
  tiles: { rank: { column: "headcount", order: "desc" }, properties: ["name", "team_type", "status", "headcount"] },
  storedAs: "Point",
  fields: {
    team_type: { kind: "enum", label: { zh: "队伍类型", en: "Team type" }, values: TEAM_TYPES },
    specialties: { kind: "text_list", label: { zh: "专长", en: "Specialties" }, labels: SPECIALTIES, default: [] },
    headcount: { kind: "integer", label: { zh: "人数", en: "Headcount" }, min: 0, default: 0 },
    equipment: { kind: "text", label: { zh: "主要装备", en: "Equipment" } },
    status: {
      kind: "enum",
      label: { zh: "状态", en: "Status" },
      default: "standby",
      values: { standby: { zh: "待命", en: "Standby" }, deployed: { zh: "已出动", en: "Deployed" } },
    },
    contact: { kind: "text", label: { zh: "联系人", en: "Contact" }, sensitive: true },
    phone: { kind: "text", label: { zh: "联系电话", en: "Phone" }, sensitive: true, max: 50 },
  },
};
