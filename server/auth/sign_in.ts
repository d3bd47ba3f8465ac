import type { Db } from "../db.ts";
import { Problem } from "../http/problem.ts";
import { findAccount, type Account } from "./accounts.ts";
import { passwordMatches } from "./passwords.ts";

/** After this many failures in a row a name is locked for LOCK_MINUTES; before that each failure is slower. */
export const FAILURES_BEFORE_LOCK = 5;
const LOCK_MINUTES = 15;
const SLOWER_MS = 300;

const refused = () => new Problem(401, "sign-in-failed", "Sign-in failed", "wrong user name or password");
const locked = () => new Problem(429, "sign-in-locked", "Too many failed sign-ins", `too many failed sign-ins for this name; try again in ${LOCK_MINUTES} minutes`, undefined, { "Retry-After": String(LOCK_MINUTES * 60) });

/**
 * The account for a name and password, or a refusal that never says which was wrong. Failures are
 * counted per name typed, existing or not, so a lock says nothing about who has an account.
 */
export async function signIn(db: Db, username: string, password: string): Promise<Account> {
  const failures = await db("sign_in_failures").where({ username }).first("failures", "locked_until");
  if (failures?.locked_until && new Date(failures.locked_until) > new Date()) throw locked();
  const account = await findAccount(db, username);
  if (await passwordMatches(password, account?.password_hash)) {
    await db("sign_in_failures").where({ username }).delete();
    const { password_hash: _, ...rest } = account!;
    return rest;
  }
  const { rows } = await db.raw<{ rows: { failures: number }[] }>(
    `INSERT INTO sign_in_failures (username, failures) VALUES (?, 1)
     ON CONFLICT (username) DO UPDATE SET failures = CASE WHEN sign_in_failures.locked_until IS NULL THEN sign_in_failures.failures + 1 ELSE 1 END, locked_until = NULL
     RETURNING failures`, [username]);
  const n = rows[0]!.failures;
  if (n >= FAILURES_BEFORE_LOCK) {
    await db("sign_in_failures").where({ username }).update({ locked_until: db.raw(`now() + interval '${LOCK_MINUTES} minutes'`) });
    throw locked();
  }
  await new Promise((r) => setTimeout(r, SLOWER_MS * n)); // each failure slower than the last
  throw refused();
}
