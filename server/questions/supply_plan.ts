import { z } from "zod";
import type { Db } from "../db.ts";
import { assertItemsExist } from "../supplies/items.ts";
import { inItemUnits, quantity } from "../supplies/quantity.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { avoidHazards, byRoadOrStraight, ewktPoint, lat, lon, metres, minutes } from "./params.ts";
import { atIncidentPoint, incidentId, oneSubject, type AskedIncident, type Incidents } from "./incident_subject.ts";
import { networkNow } from "../roads/travel_times.ts";
import { joinPlaces, type NotReachable } from "../roads/join.ts";
import { search } from "../roads/search.ts";
import { routeLines } from "../roads/route.ts";
import type { HazardLevel } from "../roads/barriers.ts";
import { roadOrigin } from "./road_origin.ts";

export const SupplyPlanBody = z
  .strictObject({
    lon: lon.optional().describe("degrees EPSG:4326: the point supplied; with lat, unless incident_id is given"),
    lat: lat.optional().describe("degrees EPSG:4326; with lon, unless incident_id is given"),
    incident_id: incidentId.optional(),
    items: z
      .array(z.strictObject({ item: z.string().trim().min(1).max(100), quantity: quantity(1, 1_000_000_000) }))
      .min(1)
      .max(100)
      .refine((items) => new Set(items.map((i) => i.item)).size === items.length, "each item may appear once")
      .optional()
      .describe(
        "what is needed, in each item's unit; required unless incident_id is given: then by default what the incident's people need for `days` by the needs norms and was not yet sent (need − dispatched; GET /incidents/{id}/needs)",
      ),
    days: z.number().int().min(1).max(90).optional().describe("with incident_id and no items: the days of need (default 3)"),
    max_distance_m: metres.optional().describe("only depots within this many metres in a straight line (geodesic), by road too"),
    by: byRoadOrStraight
      .optional()
      .describe(
        "road: quickest first by travel time, depots travelling to the point (travel_time_s, road_distance_m); straight: nearest first. Default: road where the point joins the network within reach, else straight (by_reason)",
      ),
    max_minutes: minutes.optional().describe("by road: only depots that reach the point within this many minutes"),
    avoid_hazards: avoidHazards.optional(),
  })
  .superRefine((q, ctx) => {
    oneSubject(q, ["lon", "lat"], ctx);
    if (q.incident_id === undefined)
      for (const field of ["lon", "lat", "items"] as const)
        if (q[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: "required, unless incident_id is given" });
    if (q.days !== undefined && (q.incident_id === undefined || q.items !== undefined))
      ctx.addIssue({ code: "custom", path: ["days"], message: "applies with incident_id and no items" });
    for (const field of ["max_minutes", "avoid_hazards"] as const)
      if (q[field] !== undefined && q.by === "straight") ctx.addIssue({ code: "custom", path: [field], message: "applies by road only" });
  });
export type SupplyPlanBody = z.output<typeof SupplyPlanBody>;
/** The question as the plan answers it: a point and its needs (an incident's resolved into them). */
type SupplyPlanAsked = Omit<SupplyPlanBody, "lon" | "lat" | "items"> & { lon: number; lat: number; items: NonNullable<SupplyPlanBody["items"]> };

const plan = new Statement(sqlFile(new URL("./supply_plan.sql", import.meta.url)));
const holding = new Statement(sqlFile(new URL("./supply_plan_depots.sql", import.meta.url)), "supply_plan_depots");

export interface SupplyPlan {
  /** asked for an incident: which, and its point the depots draw to */
  incident?: AskedIncident;
  /** asked for an incident without items: its needs not yet sent, which the plan draws for */
  demand?: { days: number; items: { item: string; quantity: number }[] };
  by: "road" | "straight";
  picks: SupplyPick[];
  shortfall: Shortfall[];
  /** by default from a point not reachable by road: why the plan is straight */
  by_reason?: NotReachable | null;
  /** by road: the point is not reachable by road (no picks), and why */
  origin_not_reachable?: NotReachable | null;
  /** by road: depots holding a needed item that cannot reach the point by road (within max_minutes), and why */
  not_reachable?: { depot_id: number; reason: NotReachable["reason"] | "no_route"; nearest_road_m: number | null }[];
  max_minutes?: number | null;
  avoid_hazards?: number | null;
}

/** The depots' times by road to the point, or why the plan is not by road. */
async function roadTimes(
  db: Db,
  q: SupplyPlanAsked,
): Promise<Pick<SupplyPlan, "by" | "by_reason" | "origin_not_reachable" | "not_reachable"> & { times?: string; routes?: Map<number, unknown> }> {
  if (q.by === "straight") return { by: "straight" };
  const network = await networkNow(db, q.avoid_hazards as HazardLevel | undefined);
  const here = await roadOrigin(db, network, { lon: q.lon, lat: q.lat }, q.by);
  if ("byReason" in here) return { by: "straight", by_reason: here.byReason };
  if ("originNotReachable" in here) return { by: "road", origin_not_reachable: here.originNotReachable, times: "[]" };
  const depots = await holding.run<{ id: number; lon: number; lat: number }>(db, { items: q.items.map((i) => i.item) });
  const joins = await joinPlaces(db, network.graph, depots);
  const reachable = joins.flatMap((j, i) => ("anchor" in j ? [i] : []));
  // depots travel to the point: searched backwards from it
  const found = search(network.graph, {
    starts: [here.anchor],
    travel: "to_starts",
    targets: joins.flatMap((j) => ("anchor" in j ? [j.anchor] : [])),
    maxSeconds: q.max_minutes === undefined ? undefined : q.max_minutes * 60,
    blocked: network.blocked,
    routes: true,
  });
  const timedAt = reachable.flatMap((i, t) => (Number.isFinite(found.targetSeconds[t]!) ? [{ i, t }] : []));
  // a route for every depot timed (a handful): the picks are chosen in SQL afterwards
  const lines = routeLines(
    network.graph,
    timedAt.map(({ i, t }) => ({ from: depots[i]!, pieces: found.routes[t]!, to: { lon: q.lon, lat: q.lat } })),
  );
  const times = timedAt.map(({ i, t }, r) => ({
    depot_id: depots[i]!.id,
    travel_time_s: found.targetSeconds[t]!,
    road_distance_m: found.targetMetres[t]!,
    route: JSON.parse(lines[r]!) as unknown,
  }));
  const timed = new Set(times.map((t) => t.depot_id));
  const notReachable = depots.flatMap((d, i): NonNullable<SupplyPlan["not_reachable"]> => {
    const j = joins[i]!;
    if ("notReachable" in j) return [{ depot_id: d.id, reason: j.notReachable.reason, nearest_road_m: j.notReachable.nearest_road_m }];
    return timed.has(d.id) ? [] : [{ depot_id: d.id, reason: "no_route" as const, nearest_road_m: null }];
  });
  return {
    by: "road",
    not_reachable: notReachable,
    times: JSON.stringify(times.map(({ route: _, ...t }) => t)),
    routes: new Map(times.map((t) => [t.depot_id, t.route])),
  };
}

/** A draw from a depot; quantities are in the item's unit, named beside them. */
export interface SupplyPick {
  depot_id: number;
  name: string;
  item: string;
  quantity: number;
  unit_zh: string;
  unit_en: string;
  available: number;
  distance_m: number;
  /** by road: seconds from the depot to the point, and metres travelled (off-road legs included) */
  travel_time_s?: number;
  road_distance_m?: number;
  /** by road: the route from the depot to the point (GeoJSON LineString, travel order) */
  route?: unknown;
  lon: number;
  lat: number;
}
export interface Shortfall {
  item: string;
  quantity: number;
  unit_zh: string;
  unit_en: string;
}

/**
 * What to draw from which depots for the point's needs: nearest first in a straight line, or by road the
 * quickest to reach the point first (one search from the point, backwards, to every depot holding a
 * needed item), within max_minutes if given. For an incident: to its point, and by default for its
 * needs not yet sent.
 */
export async function supplyPlan(db: Db, body: SupplyPlanBody, incidents: Incidents): Promise<SupplyPlan> {
  const { asked, incident } = await atIncidentPoint(incidents, body);
  const demand = asked.items === undefined ? await incidents.unsent(incident!.id, asked.days) : undefined;
  const q: SupplyPlanAsked = { ...asked, lon: asked.lon!, lat: asked.lat!, items: asked.items ?? demand!.items };
  return { ...(incident ? { incident } : {}), ...(demand ? { demand } : {}), ...(await planFor(db, q)) };
}

async function planFor(db: Db, q: SupplyPlanAsked): Promise<SupplyPlan> {
  const catalogue = await assertItemsExist(
    db,
    q.items.map((i) => i.item),
    (i) => ["items", i, "item"],
  );
  const needs = await inItemUnits(db, q.items, ["quantity"], (i) => ["items", i, "quantity"]);
  const unit = (item: string) => ({ unit_zh: catalogue.get(item)!.unit_zh, unit_en: catalogue.get(item)!.unit_en });
  const { times, routes, ...how } = await roadTimes(db, q);
  const rows = await plan.run<Omit<SupplyPick, "unit_zh" | "unit_en">>(db, {
    here: ewktPoint(q.lon, q.lat),
    needs: JSON.stringify(needs),
    max_distance_m: q.max_distance_m ?? null,
    times: times ?? null,
  });
  const picks = rows.map(({ depot_id, name, item, quantity, travel_time_s, road_distance_m, ...rest }) => ({
    depot_id: Number(depot_id),
    name,
    item,
    quantity,
    ...unit(item),
    ...rest,
    ...(how.by === "road" ? { travel_time_s: travel_time_s!, road_distance_m: road_distance_m!, route: routes?.get(Number(depot_id)) } : {}),
  }));
  const shortfall = needs
    .map(({ item, quantity }) => ({ item, quantity: quantity - picks.filter((p) => p.item === item).reduce((s, p) => s + p.quantity, 0), ...unit(item) }))
    .filter((s) => s.quantity > 0);
  const road = how.by === "road" ? { max_minutes: q.max_minutes ?? null, avoid_hazards: q.avoid_hazards ?? null } : {};
  return { ...how, ...road, picks, shortfall };
}
