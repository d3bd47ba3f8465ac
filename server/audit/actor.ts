import type { NextFunction, Request, Response } from "express";
import { principalOf } from "../auth/principal.ts";
import { actingAs } from "../write_transaction.ts";

/** Runs the rest of a signed-in request as its actor (writeTransaction), so every write it makes is attributed. */
export function withActor(req: Request, res: Response, next: NextFunction) {
  const principal = principalOf(res);
  if (!principal) return next();
  const { id, username } = principal.account;
  actingAs({ id, username, via: principal.via, ip: req.ip ?? "", request: `${req.method} ${req.originalUrl}`.slice(0, 500) }, next);
}
