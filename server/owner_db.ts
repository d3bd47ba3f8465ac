import type { Config } from "./config.ts";
import { createDb, type Db } from "./db.ts";

/**
 * A connection as the schema's owner, for what the application role may not do: migrations, detaching
 * a month of the audit trail. DATABASE_OWNER_URL, else DATABASE_URL (a deployment still run as one user).
 * No statement timeout: a migration may rebuild a province's table.
 */
export function createOwnerDb(config: Config, applicationName: string): Db {
  return createDb({ ...config, DATABASE_URL: config.DATABASE_OWNER_URL ?? config.DATABASE_URL, DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 0 }, applicationName);
}
