import type { Knex } from "knex";
import { Problem } from "../http/problem.ts";
import { ident } from "../sql/template.ts";
import type { Jurisdiction } from "./permissions.ts";

/**
 * The SQL condition that geometry `geom` lies inside the townships whose admin codes are the text[]
 * parameter `codes` (false when there are none): shared by single edits and imports.
 */
export const insideTownships = (geom: string, codes: string) =>
  `coalesce(ST_CoveredBy(${geom}, (SELECT ST_Union(geom) FROM townships WHERE admin_code = ANY(${codes}::text[]))), false)`;

/** The townships of a jurisdiction as refusals name them: by name and admin code (青石镇 510199202000).
 * `names`: admin code → name, from the townships table (a code without a township stays a code). */
export function yourTownships(within: readonly string[], names: { admin_code: string; name: string }[]): string {
  if (!within.length) return "any township assigned to you (you have none)";
  const named = new Map(names.map((r) => [r.admin_code, r.name]));
  return `your townships (${within.map((c) => (named.has(c) ? `${named.get(c)} ${c}` : c)).join(", ")})`;
}

/** The names of the townships with these admin codes (`:within`, text[]), for yourTownships. */
export const TOWNSHIP_NAMES_SQL = "SELECT admin_code, name FROM townships WHERE admin_code = ANY(:within)";

/**
 * Refuses (403) unless row `id` of `table`, as this transaction sees it, lies inside the townships:
 * checked on the row before a change (may this clerk touch it?) and after (did it stay inside?),
 * by PostGIS against the township polygons, so a move out of one's township is refused too.
 */
export async function assertInside(trx: Knex.Transaction, within: Jurisdiction, table: string, id: number, when: "before" | "after"): Promise<void> {
  if (within === "all") return;
  // the refusal names, in the townships' own (Chinese) names, where the feature lies and where the clerk may act
  const { rows } = await trx.raw<{ rows: { inside: boolean; lies_in: string | null }[] }>(
    `SELECT ${insideTownships("t.geom", "?")} AS inside,
            (SELECT string_agg(w.name, '、' ORDER BY w.admin_code) FROM townships w WHERE ST_Intersects(w.geom, t.geom)) AS lies_in
     FROM ${ident(table)} t WHERE t.id = ?`,
    [[...within], id],
  );
  if (rows.length === 0 || rows[0]!.inside) return; // a missing row is the caller's 404
  const names = await trx.raw<{ rows: { admin_code: string; name: string }[] }>(TOWNSHIP_NAMES_SQL, { within: [...within] });
  const yours = yourTownships(within, names.rows);
  const { lies_in } = rows[0]!;
  throw new Problem(
    403,
    "outside-jurisdiction",
    "Forbidden",
    when === "before"
      ? `${table} ${id} lies ${lies_in ? `in ${lies_in}, ` : ""}outside ${yours}`
      : `this would place ${table} ${id} ${lies_in ? `in ${lies_in}, ` : ""}outside ${yours}`,
  );
}
