import { z } from "zod";
import type { Db } from "../db.ts";
import { villages } from "../layers/villages.ts";
import { featureJson } from "../sql/feature_json.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { render } from "../sql/template.ts";
import { envelope, metres } from "./params.ts";
import { bboxSchema } from "../features/schemas.ts";

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

export const CoverageQuery = z.strictObject({
  layer: coveringLayer,
  radius_m: metres,
  township: township.optional(),
  /** Only villages inside this box (e.g. a province, or the map's view). */
  bbox: bboxSchema.optional(),
  open_only: openOnlyWithdrawn,
});
export type CoverageQuery = z.output<typeof CoverageQuery>;

const gapsSql = new Statement(render(sqlFile(new URL("./coverage_gaps.sql", import.meta.url)), { feature: featureJson(villages) }));

export interface CoverageGaps {
  features: string[];
  summary: { villages: number; population: number; uncovered_villages: number; uncovered_population: number };
}

export async function coverageGaps(db: Db, q: CoverageQuery): Promise<CoverageGaps> {
  const [gaps, scope] = await Promise.all([
    gapsSql.run<{ population: number; feature: string }>(db, {
      layer: q.layer,
      radius_m: q.radius_m,
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
  };
}
