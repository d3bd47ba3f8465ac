import { z } from "zod";
import type { Db } from "../db.ts";
import { badRequest, notFound } from "../http/problem.ts";
import { geometrySchema } from "../layers/geometry.ts";
import { sqlFile } from "../sql_file.ts";
import { lonLat, metres } from "./params.ts";
import { minCostMaxFlow } from "./min_cost_flow.ts";

const area = z.union([
  geometrySchema(["Polygon", "MultiPolygon"]),
  z.strictObject({ hazard_id: z.number().int().min(1) }),
  z.strictObject({ ...lonLat, radius_m: metres }),
], { error: "must be a GeoJSON Polygon, {hazard_id} or {lon, lat, radius_m}" });

export const EvacuationPlanBody = z.strictObject({
  area,
  /** How far people may be sent, geodesic metres. */
  max_distance_m: metres.default(20_000),
});
export type EvacuationPlanBody = z.output<typeof EvacuationPlanBody>;

const sql = sqlFile(new URL("./evacuation_plan.sql", import.meta.url));

interface Place { id: number; name: string; lon: number; lat: number }
export interface EvacuationPlan {
  affected: { villages: number; population: number };
  villages: (Place & { population: number })[];
  assignments: { village_id: number; shelter_id: number; people: number; distance_m: number }[];
  shelters: (Place & { shelter_id: number; free_capacity: number; assigned: number })[];
  unassigned: { village_id: number; people: number; reason: "no_shelter_in_reach" | "no_capacity_left" }[];
  total_person_m: number;
}

/** The zone as (geography GeoJSON, radius in metres). */
async function zoneOf(db: Db, a: EvacuationPlanBody["area"]): Promise<{ zone: string; radius: number }> {
  if ("hazard_id" in a) {
    const h = await db("hazards").where({ id: a.hazard_id }).first(db.raw("ST_AsGeoJSON(geom) AS g"), "influence_radius_m");
    if (!h) throw notFound(`hazard ${a.hazard_id} does not exist`);
    return { zone: h.g, radius: h.influence_radius_m };
  }
  if ("radius_m" in a) return { zone: JSON.stringify({ type: "Point", coordinates: [a.lon, a.lat] }), radius: a.radius_m };
  const zone = JSON.stringify(a);
  const { rows } = await db.raw("SELECT ST_IsValidReason(ST_GeomFromGeoJSON(?)) AS reason", [zone]);
  if (rows[0].reason !== "Valid Geometry") throw badRequest([{ path: ["area"], message: `invalid polygon: ${rows[0].reason}` }]);
  return { zone, radius: 0 };
}

/**
 * Assign the people of the affected villages to shelters so that (1) no shelter exceeds its free
 * capacity, (2) as many people as possible are moved, (3) among those plans, total person-metres are
 * least — a transportation problem solved as min-cost max-flow (a village may be split).
 */
export async function evacuationPlan(db: Db, q: EvacuationPlanBody): Promise<EvacuationPlan> {
  const { zone, radius } = await zoneOf(db, q.area);
  const { rows } = await db.raw(sql, { zone, zone_radius_m: radius, max_distance_m: q.max_distance_m });
  const input = JSON.parse(rows[0].plan) as {
    villages: (Place & { population: number })[];
    shelters: (Place & { free_capacity: number })[];
    pairs: { village_id: number; shelter_id: number; distance_m: number }[];
  };
  const vIndex = new Map(input.villages.map((v, i) => [v.id, i]));
  const sIndex = new Map(input.shelters.map((s, j) => [s.id, j]));
  const flows = minCostMaxFlow({
    supply: input.villages.map((v) => v.population),
    capacity: input.shelters.map((s) => s.free_capacity),
    // centimetres: integer costs, so the optimum is exact to the centimetre
    arcs: input.pairs.map((p) => ({ from: vIndex.get(p.village_id)!, to: sIndex.get(p.shelter_id)!, cost: Math.round(p.distance_m * 100) })),
  });

  const assignments = input.pairs.flatMap((p, k) => (flows[k]! > 0 ? [{ ...p, people: flows[k]! }] : []));
  const sent = new Map<number, number>();
  const received = new Map<number, number>();
  for (const a of assignments) {
    sent.set(a.village_id, (sent.get(a.village_id) ?? 0) + a.people);
    received.set(a.shelter_id, (received.get(a.shelter_id) ?? 0) + a.people);
  }
  const reachable = new Set(input.pairs.map((p) => p.village_id));
  return {
    affected: { villages: input.villages.length, population: input.villages.reduce((s, v) => s + v.population, 0) },
    villages: input.villages,
    assignments: assignments.map(({ village_id, shelter_id, people, distance_m }) => ({ village_id, shelter_id, people, distance_m })),
    shelters: input.shelters.map((s) => ({ ...s, shelter_id: s.id, assigned: received.get(s.id) ?? 0 })),
    unassigned: input.villages.flatMap((v) => {
      const left = v.population - (sent.get(v.id) ?? 0);
      return left > 0 ? [{ village_id: v.id, people: left, reason: reachable.has(v.id) ? ("no_capacity_left" as const) : ("no_shelter_in_reach" as const) }] : [];
    }),
    total_person_m: assignments.reduce((s, a) => s + a.people * a.distance_m, 0),
  };
}
