/** The supply catalogue (物资目录): stable codes used by stock rows, questions and imports. */
export interface Item {
  code: string;
  name_zh: string;
  name_en: string;
  unit_zh: string;
  unit_en: string;
  category: "shelter" | "bedding" | "water_food" | "rescue" | "flood_control" | "power" | "firefighting" | "medical";
}

export const ITEMS: readonly Item[] = [
  { code: "tent", name_zh: "帐篷", name_en: "Tent", unit_zh: "顶", unit_en: "tents", category: "shelter" },
  { code: "quilt", name_zh: "棉被", name_en: "Quilt", unit_zh: "床", unit_en: "quilts", category: "bedding" },
  { code: "folding_bed", name_zh: "折叠床", name_en: "Folding bed", unit_zh: "张", unit_en: "beds", category: "bedding" },
  { code: "life_jacket", name_zh: "救生衣", name_en: "Life jacket", unit_zh: "件", unit_en: "jackets", category: "flood_control" },
  { code: "generator", name_zh: "发电机", name_en: "Generator", unit_zh: "台", unit_en: "units", category: "power" },
  { code: "water", name_zh: "饮用水", name_en: "Drinking water", unit_zh: "箱", unit_en: "cases", category: "water_food" },
  { code: "food", name_zh: "方便食品", name_en: "Ready-to-eat food", unit_zh: "箱", unit_en: "cases", category: "water_food" },
  { code: "sandbag", name_zh: "沙袋", name_en: "Sandbag", unit_zh: "条", unit_en: "bags", category: "flood_control" },
  { code: "boat", name_zh: "冲锋舟", name_en: "Assault boat", unit_zh: "艘", unit_en: "boats", category: "flood_control" },
  { code: "pump", name_zh: "抽水泵", name_en: "Water pump", unit_zh: "台", unit_en: "units", category: "flood_control" },
  { code: "extinguisher", name_zh: "灭火器", name_en: "Fire extinguisher", unit_zh: "具", unit_en: "units", category: "firefighting" },
  { code: "first_aid_kit", name_zh: "急救包", name_en: "First-aid kit", unit_zh: "个", unit_en: "kits", category: "medical" },
  { code: "raincoat", name_zh: "雨衣", name_en: "Raincoat", unit_zh: "件", unit_en: "coats", category: "flood_control" },
  { code: "flashlight", name_zh: "手电筒", name_en: "Flashlight", unit_zh: "支", unit_en: "units", category: "rescue" },
  { code: "chainsaw", name_zh: "油锯", name_en: "Chainsaw", unit_zh: "台", unit_en: "units", category: "rescue" },
  { code: "wind_extinguisher", name_zh: "风力灭火机", name_en: "Blower extinguisher", unit_zh: "台", unit_en: "units", category: "firefighting" },
];
