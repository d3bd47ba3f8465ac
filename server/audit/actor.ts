import { AsyncLocalStorage } from "node:async_hooks";
import type { NextFunction, Request, Response } from "express";
import type { Knex } from "knex";
import type { Db } from "../db.ts";
import { principalOf } from "../auth/principal.ts";

/** Who the audit trail names for the writes of a request: the account, how it signed in, from where, and what it asked. */
export interface Actor { id: number; username: string; via: "session" | "token"; ip: string; request: string }

const current = new AsyncLocalStorage<Actor>();

/** Runs the rest of a signed-in request with its actor, so every write it makes is attributed. */
export function withActor(req: Request, res: Response, next: NextFunction) {
  const principal = principalOf(res);
  if (!principal) return next();
  const { id, username } = principal.account;
  current.run({ id, username, via: principal.via, ip: req.ip ?? "", request: `${req.method} ${req.originalUrl}`.slice(0, 500) }, next);
}

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
