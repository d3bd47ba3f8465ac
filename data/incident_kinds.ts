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
