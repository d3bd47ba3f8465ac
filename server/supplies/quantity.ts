import { z } from "zod";
import type { Knex } from "knex";
import { Problem, type FieldError, type FieldPath } from "../http/problem.ts";

/** A whole number, grouped or not (1000, 1,000), then maybe a unit without digits (1000 箱, 1000箱, 1,000 cases). */
const WITH_UNIT = /^(\d{1,3}(?:,\d{3})+|\d+)\s*([^\d.,]*)$/;

/**
 * A count of an item, which is always in the item's unit (water: 箱): a whole number, or text as a
 * sheet has it, a whole number with the item's unit; the unit is checked against the item by inItemUnits.
 */
export function quantity(min: number, max: number) {
  const range = `a whole number from ${min} to ${max}`;
  return z.union(
    [
      z.number().int().min(min).max(max),
      z
        .string()
        .trim()
        .regex(WITH_UNIT)
        .transform((s, ctx) => {
          const [, digits, unit] = WITH_UNIT.exec(s)!;
          const count = Number(digits!.replaceAll(",", ""));
          if (count < min || count > max) ctx.issues.push({ code: "custom", message: `must be ${range}`, input: s });
          return { count, unit: unit! };
        }),
    ],
    { error: `must be ${range} in the item's unit, or text with that unit (1000 箱)` },
  );
}
export type QuantityGiven = number | { count: number; unit: string };

/**
 * Rows with their quantity fields as counts in each row's item's unit: a unit written beside a number
 * must be the item's (its zh or en name), or the request is refused (422) naming the field and the
 * item's unit, never reread in another unit ("1000 瓶" of water, which is counted in 箱). An unknown
 * item is passed over, for the caller's catalogue check to name.
 */
export async function inItemUnits<R extends { item: string }, K extends keyof R & string>(
  db: Knex,
  rows: R[],
  fields: K[],
  pathOf: (index: number, field: K) => FieldPath,
): Promise<(Omit<R, K> & Record<K, number>)[]> {
  const given = (r: R, f: K) => r[f] as QuantityGiven;
  const named = rows.filter((r) => fields.some((f) => typeof given(r, f) === "object"));
  const items = new Map<string, { name_zh: string; unit_zh: string; unit_en: string }>();
  if (named.length > 0) {
    for (const i of await db("items")
      .whereIn("code", [...new Set(named.map((r) => r.item))])
      .select("code", "name_zh", "unit_zh", "unit_en"))
      items.set(i.code, i);
  }
  const errors: FieldError[] = [];
  const out = rows.map((r, index) => {
    const counts = {} as Record<K, number>;
    for (const f of fields) {
      const q = given(r, f);
      if (typeof q === "number") {
        counts[f] = q;
        continue;
      }
      const it = items.get(r.item);
      if (it && q.unit !== "" && q.unit !== it.unit_zh && q.unit.toLowerCase() !== it.unit_en.toLowerCase()) {
        errors.push({
          path: pathOf(index, f),
          message: `${it.name_zh} (${r.item}) is counted in ${it.unit_zh} (${it.unit_en}), not ${q.unit}: give the number of ${it.unit_zh}`,
        });
      }
      counts[f] = q.count;
    }
    return { ...r, ...counts };
  });
  if (errors.length)
    throw new Problem(422, "wrong-unit", "Quantity in another unit", errors.map((e) => `${e.path.join(".")}: ${e.message}`).join("; "), errors);
  return out;
}
