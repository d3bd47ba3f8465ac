import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { minCostMaxFlow } from "./min_cost_flow.ts";
import { planOf, transportOf, type EvacuationInput, type EvacuationPlan, type Pair } from "./evacuation_plan.ts";
import { networkNow } from "../roads/travel_times.ts";
import { joinPlaces } from "../roads/join.ts";
import { search, type Piece } from "../roads/search.ts";

const input = new Statement(sqlFile(new URL("./county_evacuation.sql", import.meta.url)));
const roadsOf = new Statement(sqlFile(new URL("./route_roads.sql", import.meta.url)));

/** Straight: how far people may be sent (the evacuation plan's default), geodesic metres. */
const MAX_DISTANCE_M = 20_000;
/** By road: how long people may travel (the evacuation plan's default), seconds. */
const MAX_SECONDS = 60 * 60;

export interface CountyEvacuation extends EvacuationPlan {
  by: "road" | "straight";
  villages: (EvacuationPlan["villages"][number] & { township: string | null })[];
  /** by road: each assignment's route as the roads travelled, in order (consecutive stretches of one road once), keyed `village_id:shelter_id` */
  routes: Map<string, { name: string; road_class: string }[]>;
}

export const pairKey = (p: { village_id: number; shelter_id: number }) => `${p.village_id}:${p.shelter_id}`;

/**
 * Every village's people allocated to the county's usable shelters at once — the evacuation plan's
 * min-cost max-flow over the whole county, so no place is promised twice: as many people placed as
 * possible, then the fewest person-seconds by road (the network as it is now, 60 minutes at most) where
 * the county has roads, else the fewest person-metres straight (20 km at most). By road, a village or
 * shelter that does not join the network takes no part (its people are unassigned, beyond_reach).
 */
export async function countyEvacuation(db: Db): Promise<CountyEvacuation> {
  const [row] = await input.run<Record<"villages" | "shelters" | "pairs", string>>(db, { max_distance_m: MAX_DISTANCE_M });
  const villages: CountyEvacuation["villages"] = JSON.parse(row!.villages);
  const shelters: EvacuationInput["shelters"] = JSON.parse(row!.shelters);
  const straight: Pair[] = (JSON.parse(row!.pairs) as [number, number, number][]).map(([village_id, shelter_id, distance_m]) => ({
    village_id,
    shelter_id,
    distance_m,
  }));
  const network = await networkNow(db);
  if (network.graph.edgeCount === 0) {
    const plan = planOf({ villages, shelters, pairs: straight }, minCostMaxFlow(transportOf({ villages, shelters, pairs: straight })));
    return { ...plan, villages, by: "straight", routes: new Map() };
  }

  // by road: one search per village to the shelters it may reach straight, the route of each kept
  const joins = await joinPlaces(db, network.graph, [...villages, ...shelters]);
  const shelterAt = new Map(shelters.map((s, j) => [s.id, j]));
  const byVillage = new Map<number, Pair[]>();
  for (const p of straight) byVillage.set(p.village_id, [...(byVillage.get(p.village_id) ?? []), p]);
  const pairs: Pair[] = [];
  const pieces = new Map<string, Piece[]>();
  villages.forEach((v, i) => {
    const from = joins[i]!;
    const candidates = (byVillage.get(v.id) ?? []).filter((p) => "anchor" in joins[villages.length + shelterAt.get(p.shelter_id)!]!);
    if (!("anchor" in from) || candidates.length === 0) return;
    const found = search(network.graph, {
      starts: [from.anchor],
      travel: "from_starts",
      targets: candidates.map((p) => (joins[villages.length + shelterAt.get(p.shelter_id)!] as { anchor: never }).anchor),
      maxSeconds: MAX_SECONDS,
      routes: true,
    });
    candidates.forEach((p, t) => {
      const seconds = found.targetSeconds[t]!;
      if (seconds > MAX_SECONDS) return;
      pairs.push({ ...p, travel_time_s: seconds, road_distance_m: found.targetMetres[t]! });
      pieces.set(pairKey(p), found.routes[t] ?? []);
    });
  });
  const plan = planOf({ villages, shelters, pairs }, minCostMaxFlow(transportOf({ villages, shelters, pairs })));
  const notJoined = new Set(villages.flatMap((v, i) => ("anchor" in joins[i]! ? [] : [v.id])));
  plan.unassigned = plan.unassigned.map((u) => (notJoined.has(u.village_id) ? { ...u, reason: "beyond_reach" } : u));
  return { ...plan, villages, by: "road", routes: await describeRoutes(db, network.graph.edgeId, plan.assignments, pieces) };
}

/** The roads each assignment's route travels, in order: one query for every edge of every route. */
async function describeRoutes(
  db: Db,
  edgeId: Float64Array,
  assignments: EvacuationPlan["assignments"],
  pieces: Map<string, Piece[]>,
): Promise<CountyEvacuation["routes"]> {
  const edges = [...new Set(assignments.flatMap((a) => (pieces.get(pairKey(a)) ?? []).map((p) => edgeId[p.edge]!)))];
  const rows = edges.length ? await roadsOf.run<{ edge_id: number; name: string; road_class: string }>(db, { edge_ids: edges }) : [];
  const road = new Map(rows.map((r) => [r.edge_id, { name: r.name, road_class: r.road_class }]));
  return new Map(
    assignments.map((a) => {
      const travelled: { name: string; road_class: string }[] = [];
      for (const p of pieces.get(pairKey(a)) ?? []) {
        const r = road.get(edgeId[p.edge]!);
        if (r && travelled.at(-1)?.name !== r.name) travelled.push(r);
      }
      return [pairKey(a), travelled];
    }),
  );
}
