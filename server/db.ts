import knex, { type Knex } from "knex";
import knexPostgis from "knex-postgis";
import type { Config } from "./config.ts";

export type Db = Knex;

/**
 * A bounded pool that gives up quickly when PostgreSQL is unreachable, instead of hanging requests.
 * `applicationName` is what pg_stat_activity and the server's log call its sessions (the server's: hazmap).
 */
export function createDb(
  config: Pick<Config, "DATABASE_URL" | "DB_POOL_MAX" | "STATEMENT_TIMEOUT_MS"> & Partial<Pick<Config, "NEAREST_REACH_M">>,
  applicationName = "hazmap",
): Db {
  const db = knex({
    client: "pg",
    connection: {
      connectionString: config.DATABASE_URL,
      statement_timeout: config.STATEMENT_TIMEOUT_MS,
      connectionTimeoutMillis: 3_000,
      application_name: applicationName,
      // JIT spends tens of ms compiling the big spatial plans the planner overprices; ours are short
      // hazmap.nearest_reach_m is read by the village_risk view (migration 012); unset, the database's value
      options: `-c jit=off${config.NEAREST_REACH_M === undefined ? "" : ` -c hazmap.nearest_reach_m=${config.NEAREST_REACH_M}`}`,
    },
    pool: { min: 0, max: config.DB_POOL_MAX, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 5_000,
  });
  knexPostgis(db);
  return db;
}
