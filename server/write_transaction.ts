import { AsyncLocalStorage } from "node:async_hooks";
import type { Knex } from "knex";
import type { Db } from "./db.ts";

/** Who the audit trail names for the writes of a request: the account, how it signed in, from where, and what it asked. */
export interface Actor {
  id: number;
  username: string;
  via: "session" | "token";
  ip: string;
  request: string;
}

const current = new AsyncLocalStorage<Actor>();

/** Runs `work` (the rest of a request) as `actor`, so every write it makes is attributed. */
export const actingAs = (actor: Actor, work: () => void): void => current.run(actor, work);

export const currentActor = (): Actor | undefined => current.getStore();

/**
 * A transaction whose writes the audit triggers attribute to the request's actor (hazmap.actor,
 * local to the transaction). Without an actor (scripts, the demo loader) they name the database user.
 */
export function writeTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    const actor = currentActor();
    if (actor) await trx.raw("SELECT set_config('hazmap.actor', ?, true)", [JSON.stringify(actor)]);
    return work(trx);
  });
}
