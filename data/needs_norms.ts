/**
 * The needs norms a county starts with (需求定额): how much of a catalogue item the people of an incident
 * need, per person-day, per person or per household, in the item's own unit (data/items.ts). Planners
 * change them (PUT /api/v1/needs-norms); these are seeded once, into an empty table.
 */
export interface NeedsNorm {
  item: string;
  quantity: number;
  per: "person_day" | "person" | "household";
  source: string;
}

export const NEEDS_NORMS: readonly NeedsNorm[] = [
  {
    item: "water",
    quantity: 0.23,
    per: "person_day",
    source: "Sphere Handbook 2018, water supply standard 1: 2.5–3 L a day to drink; 3 L ÷ a 13.2 L case (24 × 550 mL)",
  },
  {
    item: "food",
    quantity: 0.5,
    per: "person_day",
    source: "Sphere Handbook 2018, food security standard: 2,100 kcal a person a day; a case of ready-to-eat food ≈ 4,200 kcal",
  },
  {
    item: "tent",
    quantity: 1,
    per: "household",
    source: "《救灾帐篷》GB/T 36745 12 m² family tent, one a household; Sphere shelter standard 3: 3.5 m² covered space a person",
  },
  { item: "quilt", quantity: 1, per: "person", source: "《自然灾害救助条例》: one quilt a person for the displaced (cold season)" },
  { item: "folding_bed", quantity: 1, per: "person", source: "one bed a displaced person in collective shelters (Sphere shelter standard 4, sleeping items)" },
  { item: "first_aid_kit", quantity: 1, per: "household", source: "one kit a household (中国红十字会家庭应急包配置)" },
];

/** People to a household where a village gives no count: the 7th national census (2020) mean, 2.62. */
export const PERSONS_PER_HOUSEHOLD = 2.62;
