import pg from "pg";
import { createDb, type Db } from "../server/db.ts";
import { migrate } from "../server/migrate.ts";
import { generateDemoCounty } from "../data/demo-county/generate.ts";
import { loadDemoCounty } from "../data/demo-county/load.ts";

export interface ScratchDemoCounty {
  db: Db;
  /** Close the connections and drop the database. */
  drop(): Promise<void>;
}

/**
 * The demo county in a scratch database at `url`, made afresh (dropped if it is there, created, migrated,
 * loaded) for a bench or the load test, which drop it when done (on failure here, it is dropped at once).
 */
export async function scratchDemoCounty(url: string): Promise<ScratchDemoCounty> {
  const database = new URL(url).pathname.slice(1);
  await onAdmin(url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await onAdmin(url, `CREATE DATABASE "${database}"`);
  const db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 2, STATEMENT_TIMEOUT_MS: 120_000 });
  const drop = async () => {
    await db.destroy();
    await onAdmin(url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  };
  try {
    await migrate(db);
    await loadDemoCounty(db, generateDemoCounty());
  } catch (e) {
    await drop();
    throw e;
  }
  return { db, drop };
}

/** One statement on the cluster's `postgres` database (as the URL's user): a database is not made or dropped from inside itself. */
async function onAdmin(url: string, sql: string) {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
