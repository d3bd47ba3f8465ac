import { z } from "zod";
import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { ident, render } from "../sql/template.ts";
import { notFound } from "../http/problem.ts";
import { networkNow } from "./travel_times.ts";
import { joinPlaces, type NotReachable } from "./join.ts";
import { search } from "./search.ts";
import type { HazardLevel } from "./barriers.ts";

/**
 * The side of the grid squares a service area is drawn with, in metres (about): the squares a road
 * reached in time runs through. What a dispatcher reads as "reached": the roads and their roadside, not
 * the land between roads far from any (which only a walk from the road would reach).
 */
export const SERVICE_AREA_CELL_M = 100;
/** The cell in degrees of latitude (metres per degree of latitude, WGS84, about 25°: near enough for a grid). */
const CELL_DEG = SERVICE_AREA_CELL_M / 110_700;

const minutesList = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(,[0-9]+(\.[0-9]+)?)*$/, "minutes as a comma-separated list, e.g. 10,20,30")
  .transform((s) => [...new Set(s.split(",").map(Number))].sort((a, b) => a - b))
  .refine((m) => m.length <= 6, "at most 6 breaks")
  .refine((m) => m.every((x) => x > 0 && x <= 240), "each break more than 0 and at most 240 minutes");

export const ServiceAreaQuery = z.strictObject({
  layer: z
    .enum(["teams", "shelters", "depots"])
    .describe(
      "whose service area: every usable resource of the layer (standby teams, open shelters with free places, depots holding stock), or the one given by id",
    ),
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe("one resource of the layer (usable or not); an unknown id is a 404"),
  minutes: minutesList.describe("the time breaks, minutes by road, comma-separated (at most 6, each ≤ 240): one polygon per break"),
  direction: z
    .enum(["from_resource", "to_resource"])
    .optional()
    .describe(
      "from_resource: where the resource gets to in time (teams, depots: the default); to_resource: from where people get to it in time (shelters: the default)",
    ),
  avoid_hazards: z.coerce
    .number()
    .int()
    .min(1)
    .max(4)
    .optional()
    .describe("keep routes out of the zones of hazards with risk_level ≤ this (1 = 重大 only … 4 = all), except to leave the zone a resource lies in"),
});
export type ServiceAreaQuery = z.output<typeof ServiceAreaQuery>;

const areaStatement = new Statement(sqlFile(new URL("./service_area.sql", import.meta.url)), "road_service_area");
const resourcesTemplate = sqlFile(new URL("./service_area_resources.sql", import.meta.url));
const resourceStatements = new Map<string, Statement>();

function resourcesStatement(source: string): Statement {
  let found = resourceStatements.get(source);
  if (!found) resourceStatements.set(source, (found = new Statement(render(resourcesTemplate, { source: ident(source) }), `road_service_${source}`)));
  return found;
}

export interface ServiceArea {
  features: string[];
  members: Record<string, unknown>;
}

/**
 * GET /service-area: for each break, the grid squares (~100 m) every stretch of road reached within it from (or,
 * to_resource, towards) the nearest of the resources runs through, all searched at once (one Dijkstra from every
 * resource, stopped at the largest break). A resource not reachable by road reaches nothing, and is
 * listed with the reason.
 */
export async function serviceArea(db: Db, q: ServiceAreaQuery): Promise<ServiceArea> {
  const source = q.id === undefined ? `usable_${q.layer}` : q.layer;
  const resources = await resourcesStatement(source).run<{ id: number; lon: number; lat: number }>(db, { id: q.id ?? null });
  if (q.id !== undefined && resources.length === 0) throw notFound(`${q.layer} ${q.id} does not exist`);
  const network = await networkNow(db, q.avoid_hazards as HazardLevel | undefined);
  const joined = await joinPlaces(db, network.graph, resources);
  const starts = joined.flatMap((j) => ("anchor" in j ? [j.anchor] : []));
  const direction = q.direction ?? (q.layer === "shelters" ? "to_resource" : "from_resource");
  const limits = q.minutes.map((m) => m * 60);
  const found = search(network.graph, {
    starts,
    travel: direction === "from_resource" ? "from_starts" : "to_starts",
    maxSeconds: limits.at(-1)!,
    blocked: network.blocked,
    reachedWithin: limits,
  });
  const pieces = found.reached.flatMap((reached, b) => reached.map((p) => ({ b, ...p })));
  const rows = await areaStatement.run<{ b: number; geometry: string; road_m: number }>(db, {
    breaks: pieces.map((p) => p.b),
    edge_ids: pieces.map((p) => network.graph.edgeId[p.edge]),
    froms: pieces.map((p) => p.from),
    tos: pieces.map((p) => p.to),
    cell: CELL_DEG,
    frame_lat: resources[0]?.lat ?? 0,
  });
  const byBreak = new Map(rows.map((r) => [r.b, r]));
  // largest first, so that a map draws the smaller areas over the larger
  const features = q.minutes
    .map((minutes, b) => {
      const row = byBreak.get(b);
      const properties = { minutes, road_m: row?.road_m ?? 0, cell_m: SERVICE_AREA_CELL_M };
      return `{"type":"Feature","geometry":${row ? row.geometry : "null"},"properties":${JSON.stringify(properties)}}`;
    })
    .reverse();
  const notReachable = resources.flatMap((r, i) => {
    const j = joined[i]!;
    return "notReachable" in j ? [{ id: r.id, ...(j.notReachable as NotReachable) }] : [];
  });
  return {
    features,
    members: {
      layer: q.layer,
      direction,
      avoid_hazards: q.avoid_hazards ?? null,
      resources: resources.length,
      not_reachable: notReachable,
    },
  };
}
