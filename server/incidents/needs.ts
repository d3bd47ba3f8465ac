import { z } from "zod";
import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import type { Place } from "../roads/join.ts";
import { byRoadOrStraight, metres, minutes } from "../questions/params.ts";
import { roadOrigin } from "../questions/road_origin.ts";
import { networkNow } from "../roads/travel_times.ts";
import { joinPlaces, type NotReachable } from "../roads/join.ts";
import { search } from "../roads/search.ts";
import { FIRST_DAYS, needLines, type NeedSent } from "./need_lines.ts";
import { sheltered } from "./sheltered.ts";
import { incidentSubject } from "./subject.ts";

/** Stock within this much of the area counts as in reach unless asked otherwise. */
const DEFAULT_REACH_MINUTES = 60;
const DEFAULT_REACH_M = 30_000;

export const NeedsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(FIRST_DAYS).describe("days the people are to be supplied for (person-day norms)"),
  people: z.coerce.number().int().min(0).max(100_000_000).optional().describe("people to supply, instead of those of the villages in the area"),
  by: byRoadOrStraight
    .optional()
    .describe("in reach by road (travel time from the depot to the area) or straight; default road where the area joins the network"),
  reach_minutes: minutes.optional().describe(`by road: depots within this many minutes count as in reach (default ${DEFAULT_REACH_MINUTES})`),
  reach_m: metres.optional().describe(`straight: depots within this many metres of the area count as in reach (default ${DEFAULT_REACH_M})`),
});
export type NeedsQuery = z.output<typeof NeedsQuery>;

export interface NeedLine extends NeedSent {
  in_reach: number;
  shortfall: number;
}

export interface Needs {
  population: number;
  households: number;
  /** villages whose point lies in the area (0 when `people` was given) */
  villages: number;
  days: number;
  /** people sheltered for the incident (sheltered.ts): still supplied by the norms, so need counts them too */
  sheltered: number;
  by: "road" | "straight";
  /** how in reach was measured: minutes by road or metres straight */
  reach: { minutes: number } | { metres: number };
  by_reason?: NotReachable | null;
  items: NeedLine[];
}

const depotsStatement = new Statement(sqlFile(new URL("./depots_in_reach.sql", import.meta.url)), "incident_depots_in_reach");

interface DepotStock {
  depot_id: number;
  lon: number;
  lat: number;
  item: string;
  quantity: number;
}

/** The depots (of `stock`) whose time by road to the area's point is within `seconds`, or why the area is not reachable by road. */
async function depotsByRoad(db: Db, point: Place, stock: DepotStock[], seconds: number, asked: "road" | undefined) {
  const network = await networkNow(db);
  const here = await roadOrigin(db, network, point, asked);
  if (!("anchor" in here)) return { by: here.by, reason: "byReason" in here ? here.byReason : here.originNotReachable };
  const depots = [...new Map(stock.map((s) => [s.depot_id, s])).values()];
  const joins = await joinPlaces(db, network.graph, depots);
  const joined = depots.flatMap((d, i) => {
    const j = joins[i]!;
    return "anchor" in j ? [{ id: d.depot_id, anchor: j.anchor }] : [];
  });
  // depots travel to the area: searched backwards from it
  const found = search(network.graph, { starts: [here.anchor], travel: "to_starts", targets: joined.map((d) => d.anchor), maxSeconds: seconds });
  return { by: "road" as const, within: new Set(joined.filter((_, t) => found.targetSeconds[t]! <= seconds).map((d) => d.id)) };
}

/**
 * What an incident's people need for `days` by the norms, against what was sent and what usable depots
 * hold within reach: need = norm × person-days, persons or households, rounded up; shortfall = what
 * neither sent nor in reach covers.
 */
export async function incidentNeeds(db: Db, incidentId: number, q: NeedsQuery): Promise<Needs> {
  const { incident } = await incidentSubject(db, incidentId);
  const [{ lines, ...people }, housed] = await Promise.all([needLines(db, incidentId, q.days, q.people), sheltered(db, incidentId)]);

  const roadAsked = q.by !== "straight" && q.reach_m === undefined;
  const reachMinutes = q.reach_minutes ?? DEFAULT_REACH_MINUTES;
  const reachM = q.reach_m ?? DEFAULT_REACH_M;
  let stock = await depotsStatement.run<DepotStock>(db, { incident: incidentId, reach_m: roadAsked ? null : reachM, items: lines.map((n) => n.item) });
  let by: Needs["by"] = "straight";
  let byReason: NotReachable | null | undefined;
  if (roadAsked) {
    const road = await depotsByRoad(db, incident.point, stock, reachMinutes * 60, q.by === "road" ? "road" : undefined);
    if (road.by === "road" && "within" in road) {
      by = "road";
      stock = stock.filter((s) => road.within!.has(s.depot_id));
    } else if (road.by === "road") {
      // asked by road from an area the network does not reach: nothing is in reach, and why
      by = "road";
      byReason = road.reason;
      stock = [];
    } else {
      byReason = road.reason;
      stock = await depotsStatement.run<DepotStock>(db, { incident: incidentId, reach_m: reachM, items: lines.map((n) => n.item) });
    }
  }
  const inReach = new Map<string, number>();
  for (const s of stock) inReach.set(s.item, (inReach.get(s.item) ?? 0) + s.quantity);

  const items = lines.map((n): NeedLine => {
    const in_reach = inReach.get(n.item) ?? 0;
    return { ...n, in_reach, shortfall: Math.max(0, n.need - n.dispatched - in_reach) };
  });
  return {
    ...people,
    days: q.days,
    sheltered: housed.people,
    by,
    reach: by === "road" ? { minutes: reachMinutes } : { metres: reachM },
    ...(byReason !== undefined ? { by_reason: byReason } : {}),
    items,
  };
}
