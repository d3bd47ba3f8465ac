import { z } from "zod";
import type { Db } from "../db.ts";
import { villages } from "../layers/villages.ts";
import { featureJson } from "../sql/feature_json.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { render } from "../sql/template.ts";
import { avoidHazards, byRoadOrStraight, envelope, metres, minutes } from "./params.ts";
import { bboxSchema } from "../features/schemas.ts";
import { bareIdent, sql } from "../sql/template.ts";
import { networkNow } from "../roads/travel_times.ts";
import { joinPlaces, type Place } from "../roads/join.ts";
import { search } from "../roads/search.ts";
import type { HazardLevel } from "../roads/barriers.ts";

import { township } from "./params.ts";
export { township }; // the questions' township parameter, kept importable from here

/** The layers whose usable features cover villages (covering_resources, migration 012). */
export const coveringLayer = z.enum(["shelters", "depots", "teams"]).meta({
  description: "Covered means a usable feature of this layer within radius_m: a shelter open with free places, a team on standby, a depot holding stock",
});

/** `open_only` chose whether closed shelters covered; now only usable ones ever do, so it is refused, not ignored. */
export const openOnlyWithdrawn = z
  .never({ error: "is withdrawn: coverage now counts only usable resources (a shelter open with free places, a team on standby, a depot holding stock)" })
  .optional()
  .meta({ deprecated: true, description: "Withdrawn: refused with 400. Coverage counts only usable resources." });

export const CoverageQuery = z
  .strictObject({
    layer: coveringLayer,
    radius_m: metres.optional().describe("covered: a usable resource within this many metres in a straight line (geodesic). Give radius_m or minutes"),
    minutes: minutes
      .optional()
      .describe(
        "covered: a usable resource reaches the village (teams, depots) or is reached from it (shelters) within this many minutes by road. Give radius_m or minutes",
      ),
    by: byRoadOrStraight.optional().describe("road with minutes, straight with radius_m (the default follows which was given; the answer says `by`)"),
    avoid_hazards: avoidHazards.optional(),
    township: township.optional(),
    /** Only villages inside this box (e.g. a province, or the map's view). */
    bbox: bboxSchema.optional(),
    open_only: openOnlyWithdrawn,
  })
  .superRefine((q, ctx) => {
    const given = (["radius_m", "minutes"] as const).filter((f) => q[f] !== undefined);
    // neither: both are named; both: the two are named
    if (given.length !== 1)
      for (const field of ["radius_m", "minutes"])
        ctx.addIssue({ code: "custom", path: [field], message: "give exactly one of radius_m (straight) or minutes (by road)" });
    if (q.by === "road" && q.radius_m !== undefined) ctx.addIssue({ code: "custom", path: ["by"], message: "by road takes minutes, not radius_m" });
    if (q.by === "straight" && q.minutes !== undefined) ctx.addIssue({ code: "custom", path: ["by"], message: "straight takes radius_m, not minutes" });
    if (q.avoid_hazards !== undefined && q.minutes === undefined)
      ctx.addIssue({ code: "custom", path: ["avoid_hazards"], message: "applies by road only (with minutes)" });
  });
export type CoverageQuery = z.output<typeof CoverageQuery>;

const gapsSql = new Statement(render(sqlFile(new URL("./coverage_gaps.sql", import.meta.url)), { feature: featureJson(villages) }));

export interface CoverageGaps {
  features: string[];
  summary: { villages: number; population: number; uncovered_villages: number; uncovered_population: number };
  /** the collection's other members: by, and by road minutes, direction, avoid_hazards */
  members: Record<string, unknown>;
}

export async function coverageGaps(db: Db, q: CoverageQuery): Promise<CoverageGaps> {
  return q.minutes === undefined ? coverageGapsStraight(db, q, q.radius_m!) : coverageGapsByRoad(db, q, q.minutes);
}

async function coverageGapsStraight(db: Db, q: CoverageQuery, radius_m: number): Promise<CoverageGaps> {
  const [gaps, scope] = await Promise.all([
    gapsSql.run<{ population: number; feature: string }>(db, {
      layer: q.layer,
      radius_m,
      township: q.township ?? null,
      bbox: q.bbox ? envelope(q.bbox) : null,
    }),
    db("villages")
      .modify((b) => (q.township ? b.where("township_code", q.township) : b))
      .modify((b) => (q.bbox ? b.whereRaw("geom && ?::geometry", [envelope(q.bbox)]) : b))
      .first(db.raw("count(*)::int AS villages"), db.raw("coalesce(sum(population), 0)::bigint AS population")),
  ]);
  return {
    features: gaps.map((r) => r.feature),
    summary: {
      villages: scope.villages,
      population: Number(scope.population),
      uncovered_villages: gaps.length,
      uncovered_population: gaps.reduce((s, r) => s + r.population, 0),
    },
    members: { by: "straight" },
  };
}

const placesTemplate = sqlFile(new URL("./coverage_gaps_by_road.sql", import.meta.url));
const placesStatements = new Map<string, Statement>();
function placesStatement(layer: string): Statement {
  let found = placesStatements.get(layer);
  if (!found)
    placesStatements.set(layer, (found = new Statement(render(placesTemplate, { source: bareIdent(`usable_${layer}`) }), `coverage_places_${layer}`)));
  return found;
}
const featuresStatement = new Statement(
  render(sqlFile(new URL("./coverage_gaps_features.sql", import.meta.url)), {
    feature: featureJson(villages, new Set(), [sql`'road' AS "by"`, sql`a.uncovered_reason`, sql`a.nearest_road_m`]),
  }),
  "coverage_gaps_features",
);

/**
 * Coverage by road: ONE search from every usable resource of the layer at once, stopped at the minutes,
 * the villages its targets. Teams and depots travel to the village (search from the resources); people
 * travel from the village to a shelter (search backwards from the shelters). A village not reachable by
 * road is uncovered, saying why; so is every village when no resource is.
 */
async function coverageGapsByRoad(db: Db, q: CoverageQuery, minutes: number): Promise<CoverageGaps> {
  const [row] = await placesStatement(q.layer).run<{ places: string }>(db, {
    township: q.township ?? null,
    bbox: q.bbox ? envelope(q.bbox) : null,
  });
  const { villages: scope, resources } = JSON.parse(row!.places) as { villages: (Place & { id: number; population: number })[]; resources: Place[] };
  const network = await networkNow(db, q.avoid_hazards as HazardLevel | undefined);
  const joined = await joinPlaces(db, network.graph, [...resources, ...scope]);
  const starts = joined.slice(0, resources.length).flatMap((j) => ("anchor" in j ? [j.anchor] : []));
  const villageJoins = joined.slice(resources.length);
  const reachable = villageJoins.flatMap((j, i) => ("anchor" in j ? [i] : []));
  const targets = villageJoins.flatMap((j) => ("anchor" in j ? [j.anchor] : []));
  const direction = q.layer === "shelters" ? "to_resource" : "from_resource";
  const found =
    starts.length > 0 && reachable.length > 0
      ? search(network.graph, {
          starts,
          travel: direction === "from_resource" ? "from_starts" : "to_starts",
          targets,
          maxSeconds: minutes * 60,
          blocked: network.blocked,
        })
      : undefined;
  const seconds = new Float64Array(scope.length).fill(Infinity);
  reachable.forEach((i, t) => (seconds[i] = found ? found.targetSeconds[t]! : Infinity));
  const uncovered = scope.flatMap((v, i) => {
    const j = villageJoins[i]!;
    if ("notReachable" in j) return [{ v, reason: j.notReachable.reason as string, nearest_road_m: j.notReachable.nearest_road_m }];
    return seconds[i]! <= minutes * 60 ? [] : [{ v, reason: "not_in_time", nearest_road_m: null }];
  });
  const features = await featuresStatement.run<{ feature: string }>(db, {
    ids: uncovered.map((u) => u.v.id),
    reasons: uncovered.map((u) => u.reason),
    nearest_road_m: uncovered.map((u) => u.nearest_road_m),
  });
  const count = (reason: string) => uncovered.filter((u) => u.reason === reason).length;
  return {
    features: features.map((f) => f.feature),
    summary: {
      villages: scope.length,
      population: scope.reduce((s, v) => s + v.population, 0),
      uncovered_villages: uncovered.length,
      uncovered_population: uncovered.reduce((s, u) => s + u.v.population, 0),
    },
    members: {
      by: "road",
      minutes,
      direction,
      avoid_hazards: q.avoid_hazards ?? null,
      resources: resources.length,
      resources_not_reachable: resources.length - starts.length,
      not_reachable: { count: count("beyond_reach") + count("no_roads"), beyond_reach: count("beyond_reach"), no_roads: count("no_roads") },
    },
  };
}
