import type { Knex } from "knex";
import { badRequest, type FieldPath } from "../http/problem.ts";

/** An item of the catalogue as answers show it beside a quantity. */
export interface ItemUnit {
  name_zh: string;
  unit_zh: string;
  unit_en: string;
}

/** Refuse item codes that are not in the catalogue, naming where each was given; the items by code. */
export async function assertItemsExist(db: Knex, codes: string[], pathOf: (index: number) => FieldPath): Promise<Map<string, ItemUnit>> {
  const known = new Map<string, ItemUnit>(
    (await db("items").whereIn("code", codes).select("code", "name_zh", "unit_zh", "unit_en")).map((r) => [r.code as string, r]),
  );
  const errors = codes.flatMap((c, i) => (known.has(c) ? [] : [{ path: pathOf(i), message: `unknown item code ${c}; GET /api/v1/items lists them` }]));
  if (errors.length) throw badRequest(errors);
  return known;
}
