import type { Request } from "express";
import type { Db } from "../db.ts";
import { Problem } from "../http/problem.ts";
import { recordSecurityEvent } from "./security_events.ts";
import { findAccount, type Account } from "./accounts.ts";
import { passwordMatches } from "./passwords.ts";

/** Password checks a name gets from one source (client address) before it is locked there for LOCK_MINUTES. */
export const FAILURES_BEFORE_LOCK = 5;
/** Failed checks one source gets across all names before every sign-in from it is refused for LOCK_MINUTES. */
export const FAILURES_PER_SOURCE = 30;
const LOCK_MINUTES = 15;
/** Across all sources, each failure for a name is answered this much more slowly than the last (up to the lock's count). */
const SLOWER_MS = 300;
/** The throttle's "any": a source's row across names, a name's row across sources. Neither can be typed or seen. */
const ANY = "";
/** The count of a name's failures across sources is never refused: it only slows them down. */
const UNLIMITED = 2 ** 31 - 1;

const refused = () => new Problem(401, "sign-in-failed", "Sign-in failed", "wrong user name or password");
const locked = (why: string, retryAfter: number) =>
  new Problem(
    429,
    "sign-in-locked",
    "Too many failed sign-ins",
    `too many failed sign-ins ${why}; try again in ${Math.ceil(retryAfter / 60)} minutes`,
    undefined,
    { "Retry-After": String(retryAfter) },
  );

/**
 * One more password check for `(username, source)`, granted or not in the same statement that counts it
 * (under the row's lock, so attempts arriving together each get a place of their own): its place since
 * the last success, and the seconds the window has left. Past `allowed` the window stays where the
 * `allowed`-th check put it: a lock of LOCK_MINUTES that further attempts do not extend.
 */
async function claimCheck(db: Db, username: string, source: string, allowed: number): Promise<{ place: number; retryAfter: number }> {
  const { rows } = await db.raw<{ rows: { place: number; retry_after: number }[] }>(
    `INSERT INTO sign_in_throttle AS t (username, source, checks, until) VALUES (?, ?, 1, now() + make_interval(mins => ?))
     ON CONFLICT (username, source) DO UPDATE SET
       checks = CASE WHEN t.until <= now() THEN 1 ELSE t.checks + 1 END,
       until = CASE WHEN t.until <= now() OR t.checks < ? THEN now() + make_interval(mins => ?) ELSE t.until END
     RETURNING checks AS place, ceil(extract(epoch FROM until - now()))::int AS retry_after`,
    [username, source, LOCK_MINUTES, allowed, LOCK_MINUTES],
  );
  return { place: rows[0]!.place, retryAfter: rows[0]!.retry_after };
}

/**
 * The account for a name and password, or a refusal that never says which was wrong. Checks are
 * counted per name typed (existing or not) and source, so a lock says nothing about who has an account
 * and anonymous requests from one place cannot lock a name for everyone; a source is also limited across
 * names. Every failure and lock is recorded as a security event.
 */
export async function signIn(db: Db, req: Request, username: string, password: string): Promise<Account> {
  const source = req.ip ?? "";
  const event = (kind: "sign_in_failed" | "account_locked" | "refused", status: number) => recordSecurityEvent(db, req, { kind, status, username });
  const mine = await claimCheck(db, username, source, FAILURES_BEFORE_LOCK);
  if (mine.place > FAILURES_BEFORE_LOCK) {
    await event("refused", 429);
    throw locked("for this name from your address", mine.retryAfter);
  }
  const fromHere = await claimCheck(db, ANY, source, FAILURES_PER_SOURCE);
  if (fromHere.place > FAILURES_PER_SOURCE) {
    await event("refused", 429);
    throw locked("from your address", fromHere.retryAfter);
  }
  const account = await findAccount(db, username);
  if (await passwordMatches(password, account?.password_hash)) {
    // the name starts afresh here and everywhere; the source's count across names keeps its failures only
    await db("sign_in_throttle")
      .whereIn(
        ["username", "source"],
        [
          [username, source],
          [username, ANY],
        ],
      )
      .delete();
    await db("sign_in_throttle").where({ username: ANY, source }).decrement("checks", 1);
    const { password_hash: _, ...rest } = account!;
    return rest;
  }
  const everywhere = await claimCheck(db, username, ANY, UNLIMITED);
  await event("sign_in_failed", 401);
  if (mine.place === FAILURES_BEFORE_LOCK) {
    await event("account_locked", 429);
    throw locked("for this name from your address", mine.retryAfter);
  }
  await new Promise((r) => setTimeout(r, SLOWER_MS * Math.min(everywhere.place, FAILURES_BEFORE_LOCK)));
  throw refused();
}
