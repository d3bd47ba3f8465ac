import { z } from "zod";
import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { reachedOutline } from "./contours.ts";
import { reachGrid } from "./reach_grid.ts";
import { roadSettings } from "./settings.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { ident, render } from "../sql/template.ts";
import { notFound } from "../http/problem.ts";
import { networkNow } from "./travel_times.ts";
import { joinPlaces, type NotReachable } from "./join.ts";
import { search, type TimedRoad } from "./search.ts";
import type { RoadGraph } from "./graph.ts";
import type { HazardLevel } from "./barriers.ts";

/**
 * The side of the cells a service area is drawn on, metres: the outline is traced between their centres.
 * A larger area takes larger cells, so that a grid holds at most SERVICE_AREA_MAX_CELLS.
 */
export const SERVICE_AREA_CELL_M = 100;
export const SERVICE_AREA_MAX_CELLS = 120_000;

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
 * GET /service-area: for each break, the area reached within it (docs/roads.md): by road from (or,
 * to_resource, towards) the nearest of the resources, all searched at once (one Dijkstra from every
 * resource, stopped at the largest break), then on foot from the road reached at OFF_ROAD_KMH for the
 * time left, at most ROAD_REACH_M from it — on a grid of SERVICE_AREA_CELL_M, outlined between the cells'
 * centres, in memory. A resource not reachable by road reaches nothing, and is listed with the reason.
 */
export async function serviceArea(db: Db, q: ServiceAreaQuery): Promise<ServiceArea> {
  const source = q.id === undefined ? `usable_${q.layer}` : q.layer;
  const resources = await resourcesStatement(source).run<{ id: number; lon: number; lat: number }>(db, { id: q.id ?? null });
  if (q.id !== undefined && resources.length === 0) throw notFound(`${q.layer} ${q.id} does not exist`);
  const network = await networkNow(db, q.avoid_hazards as HazardLevel | undefined);
  const joined = await joinPlaces(db, network.graph, resources);
  const lines = network.graph; // each edge's line, held with the graph
  const starts = joined.flatMap((j) => ("anchor" in j ? [j.anchor] : []));
  const direction = q.direction ?? (q.layer === "shelters" ? "to_resource" : "from_resource");
  const limits = q.minutes.map((m) => m * 60);
  const found = search(network.graph, {
    starts,
    travel: direction === "from_resource" ? "from_starts" : "to_starts",
    maxSeconds: limits.at(-1)!,
    blocked: network.blocked,
    timed: true,
  });
  const { reachM, offRoadKmh } = roadSettings(db);
  const grid = reachGrid({
    lines,
    road: found.timed,
    maxSeconds: limits.at(-1)!,
    walkMps: offRoadKmh / 3.6,
    reachM,
    cellM: SERVICE_AREA_CELL_M,
    maxCells: SERVICE_AREA_MAX_CELLS,
  });
  const cellM = Math.round(grid?.cellM ?? SERVICE_AREA_CELL_M);
  const roadM = roadMetres(network.graph, found.timed, limits);
  // largest first, so that a map draws the smaller areas over the larger
  const features = q.minutes
    .map((minutes, b) => {
      const outline = grid && reachedOutline(grid, limits[b]!);
      const geometry = outline ? (outline.length === 1 ? { type: "Polygon", coordinates: outline[0] } : { type: "MultiPolygon", coordinates: outline }) : null;
      return JSON.stringify({ type: "Feature", geometry, properties: { minutes, road_m: roadM[b], cell_m: cellM } });
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

/**
 * Geodesic metres of road reached within each limit: the stretches of each edge reached within it (a
 * stretch's time is linear along it), the parts of an edge reached from both ends counted once.
 */
function roadMetres(graph: RoadGraph, road: TimedRoad, limits: readonly number[]): number[] {
  const { count, edge, from, to, fromSeconds, toSeconds } = road;
  // the stretches by edge, each edge's in search order (a stable counting sort: a comparison sort of
  // ~100,000 stretches cost more than the rest of this)
  const first = new Int32Array(graph.edgeCount + 1);
  for (let k = 0; k < count; k++) first[edge[k]! + 1]!++;
  for (let e = 0; e < graph.edgeCount; e++) first[e + 1]! += first[e]!;
  const byEdge = new Int32Array(count);
  for (let k = 0; k < count; k++) byEdge[first[edge[k]!]!++] = k;
  // an edge's parts (a few), sorted by where they begin in place: no array per edge
  let lo = new Float64Array(8);
  let hi = new Float64Array(8);
  return limits.map((limit) => {
    let metres = 0;
    for (let i = 0; i < count; ) {
      const e = edge[byEdge[i]!]!;
      let n = 0;
      for (; i < count && edge[byEdge[i]!] === e; i++) {
        const k = byEdge[i]!;
        if (fromSeconds[k]! > limit) continue;
        const f = from[k]!;
        const t = toSeconds[k]! <= limit ? to[k]! : f + ((to[k]! - f) * (limit - fromSeconds[k]!)) / (toSeconds[k]! - fromSeconds[k]!);
        if (n === lo.length) [lo, hi] = [grown(lo), grown(hi)];
        // insertion sort, stable (ties keep search order)
        const [a, b] = [Math.min(f, t), Math.max(f, t)];
        let j = n++;
        for (; j > 0 && lo[j - 1]! > a; j--) (lo[j] = lo[j - 1]!), (hi[j] = hi[j - 1]!);
        (lo[j] = a), (hi[j] = b);
      }
      let covered = 0;
      let end = -Infinity;
      for (let j = 0; j < n; j++) {
        if (hi[j]! > end) covered += hi[j]! - Math.max(lo[j]!, end);
        end = Math.max(end, hi[j]!);
      }
      metres += covered * graph.lengthM[e]!;
    }
    return metres;
  });
}

const grown = (a: Float64Array) => {
  const b = new Float64Array(2 * a.length);
  b.set(a);
  return b;
};
