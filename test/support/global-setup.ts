import { createDb } from "../../server/db.ts";
import { APP_ROLE, migrate } from "../../server/migrate.ts";

/**
 * Migrate the template database once; each test file clones it (see world.ts). The application role
 * may log in: the test cluster trusts local connections, so the worlds' servers connect as it.
 */
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return; // unit tests only; world.ts explains how to get a database
  const db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 120_000 }, "hazmap-migrate");
  try {
    await migrate(db);
    await db.raw(`ALTER ROLE ${APP_ROLE} LOGIN`);
  } finally {
    await db.destroy();
  }
}
