import type { Knex } from "knex";
import type { Db } from "./db.ts";
import { MIGRATIONS } from "../migrations/index.ts";
import { ITEMS } from "../data/items.ts";

const migrationSource: Knex.MigrationSource<[string, Knex.Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

/** Bring a database to the current schema and item catalogue. Safe to run again. */
export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
  await db("items").insert(ITEMS).onConflict("code").merge();
}
