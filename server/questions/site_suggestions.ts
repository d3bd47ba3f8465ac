import { z } from "zod";
import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { metres } from "./params.ts";
import { coveringLayer, openOnlyWithdrawn, township } from "./coverage_gaps.ts";

export const SiteSuggestionsBody = z.strictObject({
  layer: coveringLayer,
  radius_m: metres,
  count: z.number().int().min(1).max(50),
  township: township.optional(),
  open_only: openOnlyWithdrawn,
});
export type SiteSuggestionsBody = z.output<typeof SiteSuggestionsBody>;

const reachable = new Statement(sqlFile(new URL("./site_suggestions.sql", import.meta.url)));

export interface SiteSuggestion {
  village_id: number;
  name: string;
  lon: number;
  lat: number;
  /** People newly covered by this site, given the sites picked before it. */
  added_population: number;
  covered_village_ids: number[];
}

/**
 * Greedy maximum coverage: each pick is the candidate with the largest marginal gain given the picks
 * before it (ties → lower village id). Greedy is within 1 − 1/e of the best set of `count` sites.
 */
export async function siteSuggestions(db: Db, q: SiteSuggestionsBody): Promise<{ suggestions: SiteSuggestion[]; uncovered_population: number }> {
  const rows = await reachable.run<{ candidate_id: string; village_id: string; population: number }>(db, {
    layer: q.layer,
    radius_m: q.radius_m,
    township: q.township ?? null,
  });

  const reach = new Map<number, number[]>();
  const population = new Map<number, number>();
  for (const r of rows) {
    const c = Number(r.candidate_id);
    if (!reach.has(c)) reach.set(c, []);
    reach.get(c)!.push(Number(r.village_id));
    population.set(Number(r.village_id), r.population);
  }
  const uncoveredPopulation = [...population.values()].reduce((a, b) => a + b, 0);

  const covered = new Set<number>();
  const picks: Omit<SiteSuggestion, "name" | "lon" | "lat">[] = [];
  for (let i = 0; i < q.count; i++) {
    let best: { id: number; gain: number; villages: number[] } | undefined;
    for (const [id, villages] of reach) {
      const fresh = villages.filter((v) => !covered.has(v));
      const gain = fresh.reduce((s, v) => s + population.get(v)!, 0);
      if (gain > 0 && (!best || gain > best.gain || (gain === best.gain && id < best.id))) best = { id, gain, villages: fresh };
    }
    if (!best) break;
    best.villages.forEach((v) => covered.add(v));
    picks.push({ village_id: best.id, added_population: best.gain, covered_village_ids: best.villages.sort((a, b) => a - b) });
  }

  const sites = await db("villages")
    .whereIn(
      "id",
      picks.map((p) => p.village_id),
    )
    .select("id", "name", db.raw("ST_X(geom) AS lon"), db.raw("ST_Y(geom) AS lat"));
  const byId = new Map(sites.map((s) => [Number(s.id), s]));
  return {
    suggestions: picks.map((p) => ({ ...p, name: byId.get(p.village_id)!.name, lon: byId.get(p.village_id)!.lon, lat: byId.get(p.village_id)!.lat })),
    uncovered_population: uncoveredPopulation,
  };
}
