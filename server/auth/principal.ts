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

export const notSignedIn = (
  detail = "sign in first (POST /api/v1/auth/login) or send an API token: Authorization: Bearer <token>, or as the password of HTTP Basic auth",
) =>
  // Basic is accepted but not offered: a Basic challenge makes browsers pop up their own password
  // dialog over the web app, and the GIS clients that use Basic (QGIS, GDAL, curl -u) send it unasked
  new Problem(401, "not-signed-in", "Not signed in", detail, undefined, { "WWW-Authenticate": 'Bearer realm="hazmap"' });

/**
 * The API token an Authorization header carries: `Bearer <token>`, or HTTP Basic with the token as
 * the password and any user name (QGIS 3.22 can only send Basic, PKI or an Esri token).
 */
function tokenOf(authorization: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(authorization);
  if (!basic) return undefined;
  const pair = Buffer.from(basic[1]!, "base64").toString("utf8");
  const colon = pair.indexOf(":");
  return colon < 0 ? undefined : pair.slice(colon + 1);
}

/**
 * Finds the principal of every request once, and keeps its answer out of shared caches. An API token
 * (Bearer, or the password of Basic auth) that is unknown or revoked is refused (a script should fail loudly, not carry on
 * anonymously); an expired session cookie just means anonymous. A write by a web session must carry its CSRF token in X-CSRF-Token: another site can
 * make a browser send the cookie, never the header.
 */
export function authenticate(db: Db) {
  return async (req: Request, res: Response, next: NextFunction) => {
    // answers differ by who asks (contacts, 401s): no cache may hand one person's answer to another,
    // and an ETag alone (a version) must not let a browser reuse a copy fetched under other rights
    res.setHeader("Vary", "Authorization, Cookie"); // the first Vary: nothing before sets one
    res.setHeader("Cache-Control", "private, no-cache");
    const authorization = req.get("Authorization");
    if (authorization !== undefined) {
      const token = tokenOf(authorization);
      const account = token ? await findToken(db, token) : undefined;
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
