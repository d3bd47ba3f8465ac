import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db.ts";
import type { Account } from "./accounts.ts";
import { writeTransaction } from "../write_transaction.ts";
import { authCacheOf } from "./auth_cache.ts";

/** Tokens start with a prefix so a leaked one is recognisable (and found by secret scanners). */
const PREFIX = "hzm_";
const digest = (token: string) => createHash("sha256").update(token).digest("hex");

export interface TokenInfo {
  id: number;
  name: string;
  user_id: number;
  created_at: string;
  revoked_at: string | null;
}
const COLUMNS = ["id", "name", "user_id", "created_at", "revoked_at"];
const info = (row: Record<string, unknown>) => ({ ...row, id: Number(row.id), user_id: Number(row.user_id) }) as TokenInfo;

/** A new token for an account: the secret is returned this once; only its hash is kept. */
export async function createToken(db: Db, userId: number, name: string): Promise<TokenInfo & { token: string }> {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const [row] = await writeTransaction(db, (trx) =>
    trx("api_tokens")
      .insert({ user_id: userId, name, token_hash: digest(token) })
      .returning(COLUMNS),
  );
  return { ...info(row), token };
}

/** The account behind a token that is neither revoked nor belongs to a disabled account (cached: auth_cache.ts). */
export async function findToken(db: Db, token: string): Promise<Account | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  const hash = digest(token);
  return authCacheOf(db).find(`token:${hash}`, () => lookUp(db, hash));
}

async function lookUp(db: Db, hash: string): Promise<Account | undefined> {
  const row = await db("api_tokens as k")
    .join("users as u", "u.id", "k.user_id")
    .where({ "k.token_hash": hash, "u.disabled": false })
    .whereNull("k.revoked_at")
    .first("u.id", "u.username", "u.display_name", "u.roles", "u.townships");
  return row && { id: Number(row.id), username: row.username, display_name: row.display_name, roles: row.roles, townships: row.townships };
}

/** Tokens of one account, or of everyone (userId undefined), newest first; never the secrets. */
export async function listTokens(db: Db, userId?: number): Promise<TokenInfo[]> {
  const q = db("api_tokens").select(COLUMNS).orderBy("id", "desc");
  if (userId !== undefined) q.where({ user_id: userId });
  return (await q).map(info);
}

export async function tokenById(db: Db, id: number): Promise<TokenInfo | undefined> {
  const row = await db("api_tokens").where({ id }).first(COLUMNS);
  return row && info(row);
}

export async function revokeToken(db: Db, id: number): Promise<void> {
  await writeTransaction(db, (trx) => trx("api_tokens").where({ id }).whereNull("revoked_at").update({ revoked_at: trx.fn.now() }));
  authCacheOf(db).forget(); // other processes hear of it from the database (NOTIFY hazmap_auth)
}
