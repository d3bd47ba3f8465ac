/**
 * The kinds of incident (突发事件类型), one list for the API's schema and the web app's picker: the general
 * kinds with the hazard kinds (server/layers/hazards.ts) each beside its like, in the order a commander
 * picks from. The incidents table's CHECK (migration 026) keeps its own copy, as a migration does.
 */
export const INCIDENT_KINDS = [
  "flood",
  "landslide",
  "debris_flow",
  "collapse",
  "earthquake",
  "fire",
  "forest_fire_zone",
  "chemical",
  "chemical_plant",
  "fuel_station",
  "mine",
  "tailings_pond",
  "flood_zone",
  "reservoir",
  "fireworks",
  "other",
] as const;

/**
 * The words of the general kinds, for the web app and the situation report alike (the hazard kinds'
 * words come with the hazards layer).
 */
export const GENERAL_INCIDENT_KIND_WORDS: Readonly<Record<string, { zh: string; en: string }>> = {
  flood: { zh: "洪涝", en: "Flood" },
  earthquake: { zh: "地震", en: "Earthquake" },
  fire: { zh: "火灾", en: "Fire" },
  chemical: { zh: "危险化学品事故", en: "Chemical accident" },
};
