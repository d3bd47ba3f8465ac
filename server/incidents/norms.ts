import { z } from "zod";
import type { Knex } from "knex";
import type { Db } from "../db.ts";
import { preconditionFailed } from "../http/problem.ts";
import { assertItemsExist } from "../supplies/items.ts";
import { writeTransaction } from "../write_transaction.ts";

export const NORM_BASES = ["person_day", "person", "household"] as const;

export const NeedsNorms = z.strictObject({
  norms: z
    .array(
      z.strictObject({
        item: z.string().trim().min(1).max(100),
        quantity: z.number().positive().max(1_000_000).describe("of the item's unit, per `per`"),
        per: z.enum(NORM_BASES).describe("person_day: each person each day; person: each person once; household: each household once"),
        source: z.string().trim().max(500).nullable().default(null).describe("where the figure comes from"),
      }),
    )
    .max(200)
    .refine((norms) => new Set(norms.map((n) => n.item)).size === norms.length, "each item may appear once"),
});

export interface NeedsNorm {
  item: string;
  quantity: number;
  per: (typeof NORM_BASES)[number];
  source: string | null;
  name_zh: string;
  name_en: string;
  unit_zh: string;
  unit_en: string;
}

export async function getNorms(db: Knex): Promise<{ version: number; norms: NeedsNorm[] }> {
  const [{ version }] = await db("needs_norms_version").select("version");
  const { rows } = await db.raw(`
    SELECT n.item_code AS item, n.quantity::float8 AS quantity, n.per, n.source, i.name_zh, i.name_en, i.unit_zh, i.unit_en
    FROM needs_norms n JOIN items i ON i.code = n.item_code ORDER BY i.category, n.item_code`);
  return { version, norms: rows };
}

/** Replace the norms, only if they are still at `version` (one document: a PUT replaces them all). */
export async function putNorms(db: Db, version: number, input: z.output<typeof NeedsNorms>) {
  await writeTransaction(db, async (trx) => {
    await assertItemsExist(
      trx,
      input.norms.map((n) => n.item),
      (i) => ["norms", i, "item"],
    );
    const bumped = await trx("needs_norms_version")
      .where({ version })
      .update({ version: version + 1 });
    if (!bumped) {
      const [now] = await trx("needs_norms_version").select("version");
      throw preconditionFailed(`the needs norms are now at version ${now.version}, not ${version}: someone else changed them; reload`);
    }
    await trx("needs_norms").delete();
    if (input.norms.length)
      await trx("needs_norms").insert(input.norms.map((n) => ({ item_code: n.item, quantity: n.quantity, per: n.per, source: n.source })));
  });
  return getNorms(db);
}
