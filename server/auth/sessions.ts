import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db.ts";
import { accountById, type Account } from "./accounts.ts";
import { authCacheOf } from "./auth_cache.ts";

/** A web session lasts a working shift and a half; signing in again starts a new one. */
const SESSION_HOURS = 12;

const digest = (token: string) => createHash("sha256").update(token).digest("hex");
const token = () => randomBytes(32).toString("base64url");

/** A new session: the token goes in the cookie (only its hash is stored); the CSRF token goes with writes. */
export async function startSession(db: Db, userId: number): Promise<{ token: string; csrf: string; expires: Date }> {
  const session = { token: token(), csrf: token(), expires: new Date(Date.now() + SESSION_HOURS * 3600_000) };
  await db("sessions").insert({ token_hash: digest(session.token), user_id: userId, csrf_token: session.csrf, expires_at: session.expires });
  return session;
}

export interface Session {
  account: Account;
  csrf: string;
  expires: Date;
}

/** The account and CSRF token behind a session token, while it lasts (cached: auth_cache.ts, never past its end). */
export async function findSession(db: Db, sessionToken: string): Promise<Session | undefined> {
  const hash = digest(sessionToken);
  return authCacheOf(db).find(
    `session:${hash}`,
    () => lookUp(db, hash),
    (session) => session.expires.getTime(),
  );
}

async function lookUp(db: Db, hash: string): Promise<Session | undefined> {
  const row = await db("sessions").where({ token_hash: hash }).andWhere("expires_at", ">", db.fn.now()).first("user_id", "csrf_token", "expires_at");
  if (!row) return undefined;
  const account = await accountById(db, Number(row.user_id));
  return account && { account, csrf: row.csrf_token, expires: row.expires_at };
}

export async function endSession(db: Db, sessionToken: string): Promise<void> {
  await db("sessions")
    .where({ token_hash: digest(sessionToken) })
    .delete();
  authCacheOf(db).forget(); // other processes hear of it from the database (NOTIFY hazmap_auth)
}
