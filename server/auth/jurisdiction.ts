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

/** The townships of a jurisdiction, as refusals name them. */
export const yourTownships = (within: readonly string[]) =>
  within.length ? `your townships (${within.join(", ")})` : "any township assigned to you (you have none)";

/**
 * Refuses (403) unless row `id` of `table`, as this transaction sees it, lies inside the townships:
 * checked on the row before a change (may this clerk touch it?) and after (did it stay inside?),
 * by PostGIS against the township polygons, so a move out of one's township is refused too.
 */
export async function assertInside(trx: Knex.Transaction, within: Jurisdiction, table: string, id: number, when: "before" | "after"): Promise<void> {
  if (within === "all") return;
  // the refusal names, in the townships' own (Chinese) names, where the feature lies and where the clerk may act
  const { rows } = await trx.raw<{ rows: { inside: boolean; lies_in: string | null; yours: string[] }[] }>(
    `SELECT ${insideTownships("t.geom", "?")} AS inside,
            (SELECT string_agg(w.name, '、' ORDER BY w.admin_code) FROM townships w WHERE ST_Intersects(w.geom, t.geom)) AS lies_in,
            ARRAY(SELECT concat_ws(' ', y.name, c) FROM unnest(?::text[]) c LEFT JOIN townships y ON y.admin_code = c ORDER BY c) AS yours
     FROM ${ident(table)} t WHERE t.id = ?`,
    [[...within], [...within], id],
  );
  if (rows.length === 0 || rows[0]!.inside) return; // a missing row is the caller's 404
  const { lies_in, yours } = rows[0]!;
  const where = `${lies_in ? `lies in ${lies_in}, ` : ""}outside ${yourTownships(yours)}`;
  throw new Problem(
    403,
    "outside-jurisdiction",
    "Forbidden",
    when === "before" ? `${table} ${id} ${where}` : `this would place ${table} ${id} ${where.replace(/^lies in/, "in")}`,
  );
}
