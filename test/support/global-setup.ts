import pg from "pg";
import { createDb } from "../../server/db.ts";
import { APP_ROLE, migrate } from "../../server/migrate.ts";

/**
 * Migrate the template database once; each test file clones it (see world.ts). The application role
 * may log in: the test cluster trusts local connections, so the worlds' servers connect as it.
 * `./scripts/test` runs two vitest processes side by side: the first to get here migrates, the other
 * waits for it (a lock held from the `postgres` database, so that no connection holds the template
 * while the first's tests clone it).
 */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return; // unit tests only; world.ts explains how to get a database
  const lockUrl = new URL(url);
  lockUrl.pathname = "/postgres";
  const lock = new pg.Client({ connectionString: lockUrl.toString() });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('hazmap test template'))");
    const db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 120_000 }, "hazmap-migrate");
    try {
      await migrate(db);
      await db.raw(`ALTER ROLE ${APP_ROLE} LOGIN`);
    } finally {
      await db.destroy();
    }
  } finally {
    await lock.end(); // and the lock with it
  }
}
