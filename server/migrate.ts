import type { Knex } from "knex";
import type { Db } from "./db.ts";
import { MIGRATIONS } from "../migrations/index.ts";
import { ITEMS } from "../data/items.ts";
import { NEEDS_NORMS } from "../data/needs_norms.ts";

/** The role that owns the schema (migration 029); what migrations make from then on is its. */
export const OWNER_ROLE = "hazmap_owner";
/** The role whose rights the server connects with (migration 029). */
export const APP_ROLE = "hazmap_app";
/** The first migration run as the owner: those before ran as whoever migrated, and 029 gave it all to the owner. */
const FIRST_RUN_AS_OWNER = "20261205_030";

const asOwner = (step: (knex: Knex) => PromiseLike<unknown>) => async (knex: Knex) => {
  await knex.raw(`SET LOCAL ROLE ${OWNER_ROLE}`);
  await step(knex);
};

const migrationSource: Knex.MigrationSource<[string, Knex.Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([name, migration]) =>
    name < FIRST_RUN_AS_OWNER ? migration : { up: asOwner(migration.up), down: migration.down && asOwner(migration.down) },
};

/**
 * Bring a database to the current schema and item catalogue, and seed the needs norms once. Safe to run
 * again. `db` logs in as a superuser or a member of the owner role (DATABASE_OWNER_URL), never the app's.
 */
export async function migrate(db: Db): Promise<void> {
  await giveToOwner(db); // before the migrations that run as the owner: a restore's tables are the restorer's
  await db.migrate.latest({ migrationSource });
  await giveToOwner(db); // and what migrations before 030 made as whoever migrated
  await db.transaction(async (trx) => {
    await trx.raw(`SET LOCAL ROLE ${OWNER_ROLE}`); // the months made below are the owner's
    await trx("items").insert(ITEMS).onConflict("code").merge();
    // the audit trail's partitions for this month and the next three (rows beyond wait in audit_default)
    await trx.raw("SELECT hazmap_audit_month((date_trunc('month', now()) + n * interval '1 month')::date) FROM generate_series(0, 3) n");
    // version 0: never seeded; after that the norms are the planners' and are never overwritten
    const seeded = await trx("needs_norms_version").where("version", 0).update({ version: 1 });
    if (seeded) await trx("needs_norms").insert(NEEDS_NORMS.map((n) => ({ item_code: n.item, quantity: n.quantity, per: n.per, source: n.source })));
  });
}

/** What the owner does not own yet (a restore without owners, a table made by hand) becomes its own, once migration 029 is there to say how. */
async function giveToOwner(db: Db): Promise<void> {
  const { rows } = await db.raw("SELECT to_regprocedure('hazmap_give_to_owner()') IS NOT NULL AS there");
  if (rows[0].there) await db.raw("SELECT hazmap_give_to_owner()");
}
