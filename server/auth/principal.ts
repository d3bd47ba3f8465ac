import type { NextFunction, Request, Response } from "express";
import type { Db } from "../db.ts";
import { Problem } from "../http/problem.ts";
import type { Account } from "./accounts.ts";
import { sessionToken } from "./cookie.ts";
import { findSession } from "./sessions.ts";
import { findToken } from "./tokens.ts";

/** Who is asking: an account signed in through the web app (session cookie) or an API token. */
export interface Principal {
  account: Account;
  via: "session" | "token";
  /** The session's CSRF token (web sessions only). */
  csrf?: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const notSignedIn = (detail = "sign in first (POST /api/v1/auth/login) or send Authorization: Bearer <API token>") =>
  new Problem(401, "not-signed-in", "Not signed in", detail, undefined, { "WWW-Authenticate": 'Bearer realm="hazmap"' });

/**
 * Finds the principal of every request once, and keeps its answer out of shared caches. A bearer
 * token that is unknown or revoked is refused (a script should fail loudly, not carry on
 * anonymously); an expired session cookie just means anonymous. A write by a web session must carry its CSRF token in X-CSRF-Token: another site can
 * make a browser send the cookie, never the header.
 */
export function authenticate(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    // answers differ by who asks (contacts, 401s): no cache may hand one person's answer to another,
    // and an ETag alone (a version) must not let a browser reuse a copy fetched under other rights
    res.vary("Authorization").vary("Cookie").set("Cache-Control", "private, no-cache");
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get("Authorization") ?? "");
    if (req.get("Authorization") !== undefined) {
      const account = bearer ? await findToken(db, bearer[1]!) : undefined;
      if (!account) throw notSignedIn("the API token is unknown, revoked, or its account is disabled");
      res.locals.principal = { account, via: "token" } satisfies Principal;
      return next();
    }
    const token = sessionToken(req);
    const session = token ? await findSession(db, token) : undefined;
    if (session) {
      if (!SAFE_METHODS.has(req.method) && req.get("X-CSRF-Token") !== session.csrf) {
        throw new Problem(403, "csrf", "Forbidden", "the X-CSRF-Token header is missing or wrong (GET /api/v1/auth/me gives it)");
      }
      res.locals.principal = { account: session.account, via: "session", csrf: session.csrf } satisfies Principal;
    }
    next();
  };
}

export const principalOf = (res: Response): Principal | undefined => res.locals.principal as Principal | undefined;
