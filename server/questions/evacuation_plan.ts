import { z } from "zod";
import type { Db } from "../db.ts";
import { badRequest, notFound } from "../http/problem.ts";
import { geometrySchema } from "../layers/geometry.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { render, type Sql } from "../sql/template.ts";
import { Statement } from "../sql/statement.ts";
import { avoidHazards, byRoadOrStraight, lonLat, metres, minutes } from "./params.ts";
import { circleAreaM2, edgeProblem, sizeProblem } from "./computable_area.ts";
import { minCostMaxFlow, type Transport } from "./min_cost_flow.ts";
import { networkNow } from "../roads/travel_times.ts";
import { joinPlaces, type Joined, type NotReachable } from "../roads/join.ts";
import type { SearchInput } from "../roads/search.ts";
import { searchMany } from "../roads/search_pool.ts";
import { routeLines, type Route } from "../roads/route.ts";
import { roadSettings } from "../roads/settings.ts";
import type { HazardLevel } from "../roads/barriers.ts";
import { roadOrigin } from "./road_origin.ts";
import { incidentId, oneSubject, overIncidentArea, type Incidents } from "./incident_subject.ts";

const area = z.union(
  [geometrySchema(["Polygon", "MultiPolygon"]), z.strictObject({ hazard_id: z.number().int().min(1) }), z.strictObject({ ...lonLat, radius_m: metres })],
  { error: "must be a GeoJSON Polygon, {hazard_id} or {lon, lat, radius_m}" },
);

export const EvacuationPlanBody = z
  .strictObject({
    area: area
      .optional()
      .describe(
        "the area to evacuate: a GeoJSON Polygon/MultiPolygon, a hazard's zone {hazard_id} or a circle {lon, lat, radius_m}; unless incident_id is given",
      ),
    incident_id: incidentId.optional(),
    by: byRoadOrStraight
      .optional()
      .describe(
        "road: assign by travel time (person-seconds least), people travelling from their village to the shelter, routes leaving the area and never crossing it again; straight: by geodesic metres. Default: straight when max_distance_m is given, else road where the area joins the network within reach (else straight, saying by_reason)",
      ),
    max_distance_m: metres.optional().describe("straight: how far people may be sent, geodesic metres (default 20,000)"),
    max_minutes: minutes.optional().describe("by road: how long people may travel, minutes (default 60)"),
    avoid_hazards: avoidHazards.optional(),
  })
  .superRefine((q, ctx) => {
    oneSubject(q, ["area"], ctx);
    if (q.area === undefined && q.incident_id === undefined) ctx.addIssue({ code: "custom", path: ["area"], message: "required, unless incident_id is given" });
    if (q.by === "road" && q.max_distance_m !== undefined)
      ctx.addIssue({ code: "custom", path: ["max_distance_m"], message: "applies straight only: by road give max_minutes" });
    if (q.by === "straight" || q.max_distance_m !== undefined)
      for (const field of ["max_minutes", "avoid_hazards"] as const)
        if (q[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: "applies by road only" });
  });
export type EvacuationPlanBody = z.output<typeof EvacuationPlanBody>;
/** The question as the plan answers it: an area (an incident's resolved into its area). */
type EvacuationPlanAsked = EvacuationPlanBody & { area: Area };
type Area = z.output<typeof area>;

/** A pair's straight distance, one expression for both statements (evacuation_pair_distance.sql). */
const pairDistance = sqlFile(new URL("./evacuation_pair_distance.sql", import.meta.url)) as Sql;
const affected = new Statement(render(sqlFile(new URL("./evacuation_plan.sql", import.meta.url)), { pair_distance: pairDistance }));
const pairDistances = new Statement(
  render(sqlFile(new URL("./evacuation_pair_distances.sql", import.meta.url)), { pair_distance: pairDistance }),
  "evacuation_pair_distances",
);
const polygonCheck = new Statement("SELECT ST_IsValidReason(g) AS reason, ST_Area(g::geography) AS m2 FROM ST_GeomFromGeoJSON(:zone) g");
/**
 * The SQL is asked for in this many parts at once, each on its own connection: one query runs on one
 * core, and the geodesics of the village–shelter pairs are most of the work (~150,000 in a dense area).
 */
const PARTS = 2;

interface Place {
  id: number;
  name: string;
  lon: number;
  lat: number;
}
export interface EvacuationPlan {
  affected: { villages: number; population: number };
  villages: (Place & { population: number })[];
  assignments: (Pair & { people: number })[];
  shelters: (Place & { shelter_id: number; free_capacity: number; assigned: number })[];
  unassigned: {
    village_id: number;
    people: number;
    /** beyond_reach / no_roads: by road, the village is not reachable by road (nearest_road_m says how far its road is) */
    reason: "no_shelter_in_reach" | "no_capacity_left" | "beyond_reach" | "no_roads";
    nearest_road_m?: number | null;
  }[];
  total_person_m: number;
  /** by road: the total of people × seconds, what the plan makes least */
  total_person_s?: number;
}

/** A village and a shelter within reach: straight metres, and by road seconds and metres travelled. */
export interface Pair {
  village_id: number;
  shelter_id: number;
  distance_m: number;
  travel_time_s?: number;
  road_distance_m?: number;
  /** by road, in an assignment: the route from the village to the shelter (GeoJSON LineString, travel order) */
  route?: unknown;
}

/** A 400 naming the area, when there is a reason to refuse it. */
function refuse(reason: string | undefined): void {
  if (reason) throw badRequest([{ path: ["area"], message: reason }]);
}

/** The zone as (geography GeoJSON, radius in metres); refused when it cannot be computed (computable_area.ts). */
export async function zoneOf(db: Db, a: Area): Promise<{ zone: string; radius: number }> {
  if ("hazard_id" in a) {
    // the zone's area, near enough to hold it to the limit: the shape, a band of the radius along its
    // outline (both sides of a line), the round ends (Steiner's formula, on the spheroid's measures)
    const h = await db("hazards")
      .where({ id: a.hazard_id })
      .first(
        db.raw("ST_AsGeoJSON(geom) AS g"),
        "influence_radius_m",
        db.raw(
          "ST_Area(geom::geography) + (ST_Perimeter(geom::geography) + 2 * ST_Length(geom::geography) + pi() * coalesce(influence_radius_m, 0)) * coalesce(influence_radius_m, 0) AS m2",
        ),
      );
    if (!h) throw notFound(`hazard ${a.hazard_id} does not exist`);
    refuse(sizeProblem(h.m2));
    return { zone: h.g, radius: h.influence_radius_m };
  }
  if ("radius_m" in a) {
    refuse(sizeProblem(circleAreaM2(a.radius_m)));
    return { zone: JSON.stringify({ type: "Point", coordinates: [a.lon, a.lat] }), radius: a.radius_m };
  }
  refuse(edgeProblem(a));
  const zone = JSON.stringify(a);
  const [check] = await polygonCheck.run<{ reason: string; m2: number }>(db, { zone });
  if (check!.reason !== "Valid Geometry") refuse(`invalid polygon: ${check!.reason}`);
  refuse(sizeProblem(check!.m2));
  return { zone, radius: 0 };
}

/**
 * Assign the people of the affected villages to shelters so that (1) no shelter exceeds its free
 * capacity, (2) as many people as possible are moved, (3) among those plans, total person-metres are
 * least — a transportation problem solved as min-cost max-flow (a village may be split).
 */
export async function evacuationPlan(db: Db, body: EvacuationPlanBody, incidents: Incidents): Promise<EvacuationPlan & Record<string, unknown>> {
  const { asked, incident } = await overIncidentArea(incidents, body);
  const plan = await planOver(db, asked as EvacuationPlanAsked);
  return incident ? { incident, ...plan } : plan;
}

async function planOver(db: Db, q: EvacuationPlanAsked): Promise<EvacuationPlan & Record<string, unknown>> {
  const zone = await zoneOf(db, q.area);
  const road = q.by === "straight" || q.max_distance_m !== undefined ? undefined : await evacuationByRoad(db, q, zone);
  if (road && "plan" in road) return road.plan;
  const input = await evacuationInput(db, zone, q.max_distance_m ?? 20_000);
  return { by: "straight", ...(road ? { by_reason: road.byReason } : {}), ...planOf(input, minCostMaxFlow(transportOf(input))) };
}

/** Who must leave, who may receive, and the pairs within reach, ordered by village then shelter. */
export interface EvacuationInput {
  villages: (Place & { population: number })[];
  shelters: (Place & { free_capacity: number })[];
  pairs: Pair[];
}

export type Zone = Awaited<ReturnType<typeof zoneOf>>;

/** Who must leave the zone, the usable shelters outside it, and the pairs within max_distance_m (straight). */
export async function evacuationInput(db: Db, zone: Zone, maxDistanceM: number): Promise<EvacuationInput> {
  const parts = await affectedParts({ db, ...zone, maxDistanceM, pairs: true });
  const pairs = mergeByVillage(parts);
  const receiving = new Set(pairs.map((p) => p.shelter_id));
  return {
    villages: parts.flatMap((p) => p.villages).sort((a, b) => a.id - b.id),
    shelters: parts[0]!.candidates.filter((s) => receiving.has(s.id)),
    pairs,
  };
}

/**
 * evacuation_plan.sql in its parts (villages by id % PARTS), asked at once: with `pairs`, the pairs
 * within max_distance_m; without, the geocentric x, y, z of each village and candidate instead.
 */
async function affectedParts({ db, zone, radius, maxDistanceM, pairs }: { db: Db; maxDistanceM: number; pairs: boolean } & Zone) {
  return Promise.all(
    Array.from({ length: PARTS }, async (_, part) => {
      type Row = Record<"villages" | "candidates" | "village_ids" | "shelter_ids" | "distances_m" | "village_xyz" | "candidate_xyz", string | null>;
      const [row] = await affected.run<Row>(db, { zone, zone_radius_m: radius, max_distance_m: maxDistanceM, part, parts: PARTS, pairs });
      return {
        villages: JSON.parse(row!.villages!) as EvacuationInput["villages"],
        candidates: JSON.parse(row!.candidates!) as EvacuationInput["shelters"],
        villageIds: numbers(row!.village_ids),
        shelterIds: numbers(row!.shelter_ids),
        distances: numbers(row!.distances_m),
        villageXyz: numbers(row!.village_xyz),
        candidateXyz: numbers(row!.candidate_xyz),
      };
    }),
  );
}

/**
 * The transportation problem: one arc per pair, priced in centimetres (shelter capacity asks it too), or
 * by road in centiseconds of travel.
 */
export function transportOf({
  villages,
  shelters,
  pairs,
}: {
  villages: { id: number; population: number }[];
  shelters: { id: number; free_capacity: number }[];
  pairs: Pair[];
}): Transport {
  const vIndex = new Map(villages.map((v, i) => [v.id, i]));
  const sIndex = new Map(shelters.map((s, j) => [s.id, j]));
  return {
    supply: villages.map((v) => v.population),
    capacity: shelters.map((s) => s.free_capacity),
    // centimetres (centiseconds): integer costs, so the optimum is exact to the centimetre (centisecond)
    arcs: pairs.map((p) => ({ from: vIndex.get(p.village_id)!, to: sIndex.get(p.shelter_id)!, cost: Math.round((p.travel_time_s ?? p.distance_m) * 100) })),
  };
}

/** The plan for a flow per pair. */
export function planOf({ villages, shelters, pairs }: EvacuationInput, flows: number[]): EvacuationPlan {
  const assignments = pairs.flatMap((p, k) => (flows[k]! > 0 ? [{ ...p, people: flows[k]! }] : []));
  const sent = new Map<number, number>();
  const received = new Map<number, number>();
  for (const a of assignments) {
    sent.set(a.village_id, (sent.get(a.village_id) ?? 0) + a.people);
    received.set(a.shelter_id, (received.get(a.shelter_id) ?? 0) + a.people);
  }
  const reachable = new Set(pairs.map((p) => p.village_id));
  return {
    affected: { villages: villages.length, population: villages.reduce((s, v) => s + v.population, 0) },
    villages,
    assignments,
    shelters: shelters.map((s) => ({ ...s, shelter_id: s.id, assigned: received.get(s.id) ?? 0 })),
    unassigned: villages.flatMap((v) => {
      const left = v.population - (sent.get(v.id) ?? 0);
      return left > 0
        ? [{ village_id: v.id, people: left, reason: reachable.has(v.id) ? ("no_capacity_left" as const) : ("no_shelter_in_reach" as const) }]
        : [];
    }),
    total_person_m: assignments.reduce((s, a) => s + a.people * a.distance_m, 0),
    ...(pairs[0]?.travel_time_s === undefined ? {} : { total_person_s: assignments.reduce((s, a) => s + a.people * a.travel_time_s!, 0) }),
  };
}

const zoneEdges = new Statement(sqlFile(new URL("./evacuation_zone_edges.sql", import.meta.url)), "evacuation_zone_edges");
const zonePoint = new Statement("SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM ST_PointOnSurface(ST_GeomFromGeoJSON(:zone)) p", "evacuation_zone_point");
/** By road, how long people may travel when not said, minutes. */
const DEFAULT_MAX_MINUTES = 60;

/**
 * The plan by road: the same assignment with travel times (person-seconds least), shelters within
 * max_minutes. People travel from their village to the shelter, on the network as it is now with the
 * area itself (and avoid_hazards' zones) as barriers: a route may use the roads inside the area only to
 * leave it. Searched backwards, one search from each candidate shelter to its villages (fewer searches
 * than villages), the barriers kept at the village's end of the route (barriersAt: targets), which gives
 * the times a search from each village would. Each assignment carries its route. The candidates are the straight question's within the
 * farthest a route could go in max_minutes at the network's top speed, which gives each pair its straight
 * distance_m too. By default, from an area whose point does not join the network, the straight plan
 * (byReason).
 */
async function evacuationByRoad(
  db: Db,
  q: EvacuationPlanAsked,
  zone: Zone,
): Promise<{ plan: EvacuationPlan & Record<string, unknown> } | { byReason: NotReachable | null }> {
  const network = await networkNow(db, q.avoid_hazards as HazardLevel | undefined);
  const [point] = await zonePoint.run<{ lon: number; lat: number }>(db, { zone: zone.zone });
  const origin = await roadOrigin(db, network, point!, q.by === "road" ? "road" : undefined);
  if ("byReason" in origin) return { byReason: origin.byReason };
  const maxMinutes = q.max_minutes ?? DEFAULT_MAX_MINUTES;
  const maxSeconds = maxMinutes * 60;
  const topSpeed = Math.max(network.graph.maxSpeedMps, roadSettings(db).offRoadKmh / 3.6);
  // the farthest a route could go in max_minutes, straight: 1 % over, as partial edges are split by
  // fraction of their length in degrees; the area's roads asked beside (on a connection of its own)
  const maxDistanceM = Math.min(20_000_000, maxSeconds * topSpeed * 1.01 + 1);
  const [parts, [{ edge_ids }]] = (await Promise.all([
    affectedParts({ db, ...zone, maxDistanceM, pairs: false }),
    zoneEdges.run<{ edge_ids: number[] }>(db, { zone: zone.zone, zone_radius_m: zone.radius }),
  ])) as [Awaited<ReturnType<typeof affectedParts>>, [{ edge_ids: number[] }]];
  const input = withinChord(parts, maxDistanceM);
  const blocked = network.blocked ? network.blocked.slice() : new Uint8Array(network.graph.edgeCount);
  for (const id of edge_ids) {
    const e = network.graph.edgeIndex(id);
    if (e !== undefined) blocked[e] = 1;
  }
  const joins = await joinPlaces(db, network.graph, [...input.villages, ...input.shelters]);
  const villageJoins = joins.slice(0, input.villages.length);
  const shelterJoins = joins.slice(input.villages.length);
  const anchorOf = (j: Joined) => ("anchor" in j ? j.anchor : undefined);
  // one search backwards from each shelter, its targets the villages within its straight bound (the
  // pairs by index, per shelter)
  const byShelter = input.shelters.map((): number[] => []);
  for (let k = 0; k < input.pairCount; k++) if (anchorOf(villageJoins[input.pairVillage[k]!]!)) byShelter[input.pairShelter[k]!]!.push(k);
  const fromShelter = (j: number, villages: readonly number[], routes: boolean): SearchInput => ({
    starts: [anchorOf(shelterJoins[j]!)!],
    travel: "to_starts",
    targets: villages.map((i) => anchorOf(villageJoins[i]!)!),
    maxSeconds,
    blocked,
    barriersAt: "targets",
    routes,
  });
  const searched = byShelter.flatMap((candidates, j) => (anchorOf(shelterJoins[j]!) && candidates.length > 0 ? [{ j, candidates }] : []));
  const found = await searchMany(
    network.graph,
    searched.map(({ j, candidates }) =>
      fromShelter(
        j,
        candidates.map((k) => input.pairVillage[k]!),
        false,
      ),
    ),
  );
  const pairSeconds = new Float64Array(input.pairCount).fill(Infinity);
  const pairMetres = new Float64Array(input.pairCount);
  searched.forEach(({ candidates }, q) => {
    candidates.forEach((k, t) => {
      pairSeconds[k] = found[q]!.targetSeconds[t]!;
      pairMetres[k] = found[q]!.targetMetres[t]!;
    });
  });
  // the pairs in time, by village then shelter as the straight pairs are (their straight metres once
  // assigned, below); each pair's shelter by index
  const pairs: Pair[] = [];
  const pairShelter: number[] = [];
  for (let k = 0; k < input.pairCount; k++) {
    if (!(pairSeconds[k]! <= maxSeconds)) continue;
    const village = input.villages[input.pairVillage[k]!]!;
    const j = input.pairShelter[k]!;
    pairs.push({ village_id: village.id, shelter_id: input.shelters[j]!.id, distance_m: NaN, travel_time_s: pairSeconds[k]!, road_distance_m: pairMetres[k]! });
    pairShelter.push(j);
  }
  const receiving = new Set(pairs.map((p) => p.shelter_id));
  const byRoad: EvacuationInput = { villages: input.villages, shelters: input.shelters.filter((s) => receiving.has(s.id)), pairs };
  const flows = minCostMaxFlow(transportOf(byRoad));
  const assignedPairs = pairs.flatMap((_, k) => (flows[k]! > 0 ? [k] : []));
  // each assignment's route, village to shelter: again from each receiving shelter, to its villages
  // only; beside, the assignments' straight metres
  const assigned = new Map<number, number[]>();
  for (const k of assignedPairs) {
    const list = assigned.get(pairShelter[k]!);
    if (list) list.push(k);
    else assigned.set(pairShelter[k]!, [k]);
  }
  const routed = [...assigned].sort(([a], [b]) => a - b);
  const villageAt = new Map(input.villages.map((v, i) => [v.id, i]));
  const [routeSearches, distances] = await Promise.all([
    searchMany(
      network.graph,
      routed.map(([j, to]) =>
        fromShelter(
          j,
          to.map((k) => villageAt.get(pairs[k]!.village_id)!),
          true,
        ),
      ),
    ),
    pairDistances.run<{ distance_m: number }>(db, {
      village_ids: assignedPairs.map((k) => pairs[k]!.village_id),
      shelter_ids: assignedPairs.map((k) => pairs[k]!.shelter_id),
      max_distance_m: maxDistanceM,
    }),
  ]);
  assignedPairs.forEach((k, a) => (pairs[k]!.distance_m = distances[a]!.distance_m));
  const routes: Route[] = routed.flatMap(([j, to], q) =>
    to.map((k, t) => ({ from: input.villages[villageAt.get(pairs[k]!.village_id)!]!, pieces: routeSearches[q]!.routes[t]!, to: input.shelters[j]! })),
  );
  const lines = routeLines(network.graph, routes);
  const routeOf = new Map(routed.flatMap(([, to]) => to).map((k, r) => [k, JSON.parse(lines[r]!) as unknown]));
  const plan = planOf(byRoad, flows);
  plan.assignments = plan.assignments.map((a, i) => ({ ...a, route: routeOf.get(assignedPairs[i]!) }));
  // a village not reachable by road says so, not "no shelter in reach"
  const why = new Map(input.villages.flatMap((v, i) => ("notReachable" in villageJoins[i]! ? [[v.id, villageJoins[i]!.notReachable] as const] : [])));
  plan.unassigned = plan.unassigned.map((u) => {
    const w = why.get(u.village_id);
    return w ? { ...u, reason: w.reason, nearest_road_m: w.nearest_road_m } : u;
  });
  return {
    plan: {
      by: "road",
      max_minutes: maxMinutes,
      avoid_hazards: q.avoid_hazards ?? null,
      ...plan,
      total_person_s: plan.total_person_s ?? 0,
      shelters_not_reachable: input.shelters.flatMap((s, j) => {
        const sj = shelterJoins[j]!;
        return "notReachable" in sj ? [{ shelter_id: s.id, reason: sj.notReachable.reason, nearest_road_m: sj.notReachable.nearest_road_m }] : [];
      }),
    },
  };
}

/**
 * By road, the straight bound of the pairs: every affected village against every candidate shelter
 * whose chord is within max_distance_m + 1 m (evacuation_plan.sql's own first test, on the same x, y, z,
 * in the same float arithmetic), by village then shelter. evacuation_plan.sql then computes the
 * geodesic of each pair to keep those within max_distance_m; by road the searches do that: a route
 * within max_minutes is within max_distance_m straight (max_distance_m is the top speed's, 1 % over),
 * so a pair the geodesic would drop is one no search reaches in time. Only the assignments' geodesics
 * are asked for (evacuation_pair_distances.sql), not ~300,000 of them. The shelters are the candidates
 * in some pair; pairs name villages and shelters by index.
 */
function withinChord(parts: Awaited<ReturnType<typeof affectedParts>>, maxDistanceM: number) {
  const all = parts.flatMap((p) => p.villages.map((v, i) => ({ v, xyz: p.villageXyz.slice(3 * i, 3 * i + 3) })));
  all.sort((a, b) => a.v.id - b.v.id);
  const { candidates, candidateXyz: s } = parts[0]!;
  const reach = maxDistanceM + 0.001;
  const most = all.length * candidates.length;
  const pairVillage = new Int32Array(most);
  const pairShelter = new Int32Array(most);
  let pairCount = 0;
  all.forEach(({ xyz }, i) => {
    const [ax, ay, az] = [xyz[0]!, xyz[1]!, xyz[2]!];
    for (let j = 0; j < candidates.length; j++) {
      const dx = ax - s[3 * j]!;
      const dy = ay - s[3 * j + 1]!;
      const dz = az - s[3 * j + 2]!;
      if (Math.sqrt(dx * dx + dy * dy + dz * dz) <= reach + 1) (pairVillage[pairCount] = i), (pairShelter[pairCount++] = j);
    }
  });
  // the candidates in some pair, numbered anew
  const shelterOf = new Int32Array(candidates.length).fill(-1);
  for (let k = 0; k < pairCount; k++) shelterOf[pairShelter[k]!] = 0;
  const shelters = candidates.filter((_, j) => shelterOf[j] === 0);
  for (let j = 0, at = 0; j < candidates.length; j++) if (shelterOf[j] === 0) shelterOf[j] = at++;
  for (let k = 0; k < pairCount; k++) pairShelter[k] = shelterOf[pairShelter[k]!]!;
  return { villages: all.map((a) => a.v), shelters, pairCount, pairVillage, pairShelter };
}

/** A PostgreSQL array of numbers as text ("{1,2.5,3}"; NULL when empty) → numbers. */
function numbers(text: string | null): number[] {
  return text ? (JSON.parse(`[${text.slice(1, -1)}]`) as number[]) : [];
}

/**
 * The parts' pairs as one list ordered by village, then shelter, as a single query gives them (each
 * part lists its villages in id order and a village's pairs together in shelter order), so the plan
 * does not depend on how the work was split.
 */
function mergeByVillage(parts: { villageIds: number[]; shelterIds: number[]; distances: number[] }[]): EvacuationInput["pairs"] {
  const pairs: EvacuationInput["pairs"] = [];
  const at = parts.map(() => 0);
  for (;;) {
    let next = -1;
    parts.forEach((p, i) => {
      if (at[i]! < p.villageIds.length && (next === -1 || p.villageIds[at[i]!]! < parts[next]!.villageIds[at[next]!]!)) next = i;
    });
    if (next === -1) return pairs;
    const p = parts[next]!;
    const village = p.villageIds[at[next]!]!;
    for (; at[next]! < p.villageIds.length && p.villageIds[at[next]!] === village; at[next]!++) {
      const k = at[next]!;
      pairs.push({ village_id: village, shelter_id: p.shelterIds[k]!, distance_m: p.distances[k]! });
    }
  }
}
