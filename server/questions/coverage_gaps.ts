import { z } from "zod";
import type { Db } from "../db.ts";
import { villages } from "../layers/villages.ts";
import { featureJson } from "../features/sql.ts";
import { sqlFile } from "../sql_file.ts";
import { envelope, metres } from "./params.ts";
import { bboxSchema } from "../features/schemas.ts";

import { township } from "./params.ts";
export { township }; // the questions' township parameter, kept importable from here

export const CoverageQuery = z.strictObject({
  layer: z.enum(["shelters", "depots", "teams"]),
  radius_m: metres,
  township: township.optional(),
  /** Only villages inside this box (e.g. a province, or the map's view). */
  bbox: bboxSchema.optional(),
  /** Shelters: count only open ones as covering. */
  open_only: z.enum(["true", "false"]).transform((v) => v === "true").default(false),
});
export type CoverageQuery = z.output<typeof CoverageQuery>;

/** What counts as covering, per layer (over `c`). */
export const COVERING: Record<CoverageQuery["layer"], (openOnly: boolean) => string> = {
  shelters: (openOnly) => (openOnly ? "c.status = 'open'" : "TRUE"),
  depots: () => "TRUE",
  teams: () => "TRUE",
};

const template = sqlFile(new URL("./coverage_gaps.sql", import.meta.url)).replace("{{feature}}", featureJson(villages));

export interface CoverageGaps {
  features: string[];
  summary: { villages: number; population: number; uncovered_villages: number; uncovered_population: number };
}

export async function coverageGaps(db: Db, q: CoverageQuery): Promise<CoverageGaps> {
  const sql = template.replace("{{table}}", q.layer).replace("{{filter}}", COVERING[q.layer](q.open_only));
  const [gaps, scope] = await Promise.all([
    db.raw(sql, { radius_m: q.radius_m, township: q.township ?? null, bbox: q.bbox ? envelope(q.bbox) : null }),
    db("villages")
      .modify((b) => (q.township ? b.where("township_code", q.township) : b))
      .modify((b) => (q.bbox ? b.whereRaw("geom && ?::geometry", [envelope(q.bbox)]) : b))
      .first(db.raw("count(*)::int AS villages"), db.raw("coalesce(sum(population), 0)::bigint AS population")),
  ]);
  const rows = gaps.rows as { population: number; feature: string }[];
  return {
    features: rows.map((r) => r.feature),
    summary: {
      villages: scope.villages,
      population: Number(scope.population),
      uncovered_villages: rows.length,
      uncovered_population: rows.reduce((s, r) => s + r.population, 0),
    },
  };
}
