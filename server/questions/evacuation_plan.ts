import { z } from "zod";
import type { Db } from "../db.ts";
import { badRequest, notFound } from "../http/problem.ts";
import { geometrySchema } from "../layers/geometry.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { lonLat, metres } from "./params.ts";
import { circleAreaM2, edgeProblem, sizeProblem } from "./computable_area.ts";
import { minCostMaxFlow, type Transport } from "./min_cost_flow.ts";

const area = z.union(
  [geometrySchema(["Polygon", "MultiPolygon"]), z.strictObject({ hazard_id: z.number().int().min(1) }), z.strictObject({ ...lonLat, radius_m: metres })],
  { error: "must be a GeoJSON Polygon, {hazard_id} or {lon, lat, radius_m}" },
);

export const EvacuationPlanBody = z.strictObject({
  area,
  /** How far people may be sent, geodesic metres. */
  max_distance_m: metres.default(20_000),
});
export type EvacuationPlanBody = z.output<typeof EvacuationPlanBody>;

const affected = new Statement(sqlFile(new URL("./evacuation_plan.sql", import.meta.url)));
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
  assignments: { village_id: number; shelter_id: number; people: number; distance_m: number }[];
  shelters: (Place & { shelter_id: number; free_capacity: number; assigned: number })[];
  unassigned: { village_id: number; people: number; reason: "no_shelter_in_reach" | "no_capacity_left" }[];
  total_person_m: number;
}

/** A 400 naming the area, when there is a reason to refuse it. */
function refuse(reason: string | undefined): void {
  if (reason) throw badRequest([{ path: ["area"], message: reason }]);
}

/** The zone as (geography GeoJSON, radius in metres); refused when it cannot be computed (computable_area.ts). */
async function zoneOf(db: Db, a: EvacuationPlanBody["area"]): Promise<{ zone: string; radius: number }> {
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
export async function evacuationPlan(db: Db, q: EvacuationPlanBody): Promise<EvacuationPlan> {
  const input = await evacuationInput(db, q);
  return planOf(input, minCostMaxFlow(transportOf(input)));
}

/** Who must leave, who may receive, and the pairs within reach, ordered by village then shelter. */
export interface EvacuationInput {
  villages: (Place & { population: number })[];
  shelters: (Place & { free_capacity: number })[];
  pairs: { village_id: number; shelter_id: number; distance_m: number }[];
}

export async function evacuationInput(db: Db, q: EvacuationPlanBody): Promise<EvacuationInput> {
  const { zone, radius } = await zoneOf(db, q.area);
  const parts = await Promise.all(
    Array.from({ length: PARTS }, async (_, part) => {
      const [row] = await affected.run<Record<"villages" | "candidates" | "village_ids" | "shelter_ids" | "distances_m", string | null>>(db, {
        zone,
        zone_radius_m: radius,
        max_distance_m: q.max_distance_m,
        part,
        parts: PARTS,
      });
      return {
        villages: JSON.parse(row!.villages!) as EvacuationInput["villages"],
        candidates: JSON.parse(row!.candidates!) as EvacuationInput["shelters"],
        villageIds: numbers(row!.village_ids),
        shelterIds: numbers(row!.shelter_ids),
        distances: numbers(row!.distances_m),
      };
    }),
  );
  const pairs = mergeByVillage(parts);
  const receiving = new Set(pairs.map((p) => p.shelter_id));
  return {
    villages: parts.flatMap((p) => p.villages).sort((a, b) => a.id - b.id),
    shelters: parts[0]!.candidates.filter((s) => receiving.has(s.id)),
    pairs,
  };
}

/** The transportation problem: one arc per pair, priced in centimetres (shelter capacity asks it too). */
export function transportOf({
  villages,
  shelters,
  pairs,
}: {
  villages: { id: number; population: number }[];
  shelters: { id: number; free_capacity: number }[];
  pairs: EvacuationInput["pairs"];
}): Transport {
  const vIndex = new Map(villages.map((v, i) => [v.id, i]));
  const sIndex = new Map(shelters.map((s, j) => [s.id, j]));
  return {
    supply: villages.map((v) => v.population),
    capacity: shelters.map((s) => s.free_capacity),
    // centimetres: integer costs, so the optimum is exact to the centimetre
    arcs: pairs.map((p) => ({ from: vIndex.get(p.village_id)!, to: sIndex.get(p.shelter_id)!, cost: Math.round(p.distance_m * 100) })),
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
    assignments: assignments.map(({ village_id, shelter_id, people, distance_m }) => ({ village_id, shelter_id, people, distance_m })),
    shelters: shelters.map((s) => ({ ...s, shelter_id: s.id, assigned: received.get(s.id) ?? 0 })),
    unassigned: villages.flatMap((v) => {
      const left = v.population - (sent.get(v.id) ?? 0);
      return left > 0
        ? [{ village_id: v.id, people: left, reason: reachable.has(v.id) ? ("no_capacity_left" as const) : ("no_shelter_in_reach" as const) }]
        : [];
    }),
    total_person_m: assignments.reduce((s, a) => s + a.people * a.distance_m, 0),
  };
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
