import type pg from "pg";
import type { Db } from "../db.ts";

/**
 * Runs `work` on a connection checked out of knex's pool, returned afterwards: for COPY streams,
 * prepared statements and transactions that span many statements on one connection. The one place
 * that reaches into knex's client.
 */
export async function withConnection<T>(db: Db, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = (await db.client.acquireConnection()) as pg.Client;
  try {
    return await work(client);
  } finally {
    await db.client.releaseConnection(client);
  }
}

/** The URL the pool connects with (LISTEN needs a connection of its own, outside the pool). */
export const connectionStringOf = (db: Db): string => (db.client.config.connection as { connectionString: string }).connectionString;
