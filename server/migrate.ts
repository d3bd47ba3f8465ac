import type { Knex } from "knex";
import type { Db } from "./db.ts";
import { MIGRATIONS } from "../migrations/index.ts";
import { ITEMS } from "../data/items.ts";
import { NEEDS_NORMS } from "../data/needs_norms.ts";

const migrationSource: Knex.MigrationSource<[string, Knex.Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

/** Bring a database to the current schema and item catalogue, and seed the needs norms once. Safe to run again. */
export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
  await db("items").insert(ITEMS).onConflict("code").merge();
  // the audit trail's partitions for this month and the next three (rows beyond wait in audit_default)
  await db.raw("SELECT hazmap_audit_month((date_trunc('month', now()) + n * interval '1 month')::date) FROM generate_series(0, 3) n");
  await db.transaction(async (trx) => {
    // version 0: never seeded; after that the norms are the planners' and are never overwritten
    const seeded = await trx("needs_norms_version").where("version", 0).update({ version: 1 });
    if (seeded) await trx("needs_norms").insert(NEEDS_NORMS.map((n) => ({ item_code: n.item, quantity: n.quantity, per: n.per, source: n.source })));
  });
}
