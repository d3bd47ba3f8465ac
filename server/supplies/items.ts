import type { Knex } from "knex";
import { badRequest, type FieldPath } from "../http/problem.ts";

/** Refuse item codes that are not in the catalogue, naming where each was given. */
export async function assertItemsExist(db: Knex, codes: string[], pathOf: (index: number) => FieldPath): Promise<void> {
  const known = new Set((await db("items").whereIn("code", codes).select("code")).map((r) => r.code as string));
  const errors = codes.flatMap((c, i) => (known.has(c) ? [] : [{ path: pathOf(i), message: `unknown item code ${c}; GET /api/v1/items lists them` }]));
  if (errors.length) throw badRequest(errors);
}
