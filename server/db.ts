import knex, { type Knex } from "knex";
import knexPostgis from "knex-postgis";
import type { Config } from "./config.ts";

export type Db = Knex;

/** A bounded pool that gives up quickly when PostgreSQL is unreachable, instead of hanging requests. */
export function createDb(config: Pick<Config, "DATABASE_URL" | "DB_POOL_MAX" | "STATEMENT_TIMEOUT_MS">): Db {
  const db = knex({
    client: "pg",
    connection: {
      connectionString: config.DATABASE_URL,
      statement_timeout: config.STATEMENT_TIMEOUT_MS,
      connectionTimeoutMillis: 3_000,
      application_name: "hazmap",
      // JIT spends tens of ms compiling the big spatial plans the planner overprices; ours are short
      options: "-c jit=off",
    },
    pool: { min: 0, max: config.DB_POOL_MAX, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 5_000,
  });
  knexPostgis(db);
  return db;
}
