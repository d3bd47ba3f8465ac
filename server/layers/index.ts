import type { Layer } from "./layer.ts";
import { notFound } from "../http/problem.ts";
import { townships } from "./townships.ts";
import { villages } from "./villages.ts";
import { hazards } from "./hazards.ts";
import { shelters } from "./shelters.ts";
import { depots } from "./depots.ts";
import { teams } from "./teams.ts";
import { hazardZones } from "./hazard_zones.ts";
import { villageRisk } from "./village_risk.ts";
import { roads } from "./roads.ts";
import { builtUp, places, waterAreas, waterways } from "./base_map.ts";

/** The registry: every layer the API serves, by URL name. */
export const LAYERS: readonly Layer[] = [
  hazards,
  shelters,
  depots,
  teams,
  villages,
  townships,
  roads,
  waterways,
  waterAreas,
  builtUp,
  places,
  hazardZones,
  villageRisk,
];

const byName = new Map(LAYERS.map((l) => [l.name, l]));

export function findLayer(name: string): Layer | undefined {
  return byName.get(name);
}

/** The layer a request names in its path: a 404 pointing at the list when there is none. */
export function layerNamed(name: string): Layer {
  const layer = findLayer(name);
  if (!layer) throw notFound(`no layer named ${name}; GET /api/v1/layers lists them`);
  return layer;
}
