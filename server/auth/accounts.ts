import type { Db } from "../db.ts";
import { writeTransaction } from "../write_transaction.ts";
import { authCacheOf } from "./auth_cache.ts";
import { hashPassword } from "./passwords.ts";

export interface Account {
  id: number;
  username: string;
  display_name: string | null;
  roles: string[];
  townships: string[];
}
export interface AccountChanges {
  display_name?: string | null;
  password?: string;
  roles?: string[];
  townships?: string[];
  disabled?: boolean;
}

const PUBLIC = ["id", "username", "display_name", "roles", "townships"];
const account = <T extends { id: string | number }>(row: T) => ({ ...row, id: Number(row.id) });

export async function findAccount(db: Db, username: string): Promise<(Account & { password_hash: string }) | undefined> {
  const row = await db("users")
    .where({ username, disabled: false })
    .first([...PUBLIC, "password_hash"]);
  return row && account(row);
}

export async function accountById(db: Db, id: number): Promise<Account | undefined> {
  const row = await db("users").where({ id, disabled: false }).first(PUBLIC);
  return row && account(row);
}

/** Every account, disabled ones included, for the admins' list. */
export async function listAccounts(db: Db): Promise<(Account & { disabled: boolean; created_at: string })[]> {
  return (
    await db("users")
      .orderBy("username")
      .select([...PUBLIC, "disabled", "created_at"])
  ).map(account);
}

export async function createAccount(
  db: Db,
  a: { username: string; password: string; display_name?: string | null; roles: string[]; townships?: string[] },
): Promise<Account> {
  const password_hash = await hashPassword(a.password);
  const [row] = await writeTransaction(db, (trx) =>
    trx("users")
      .insert({ username: a.username, display_name: a.display_name ?? null, password_hash, roles: a.roles, townships: a.townships ?? [] })
      .returning(PUBLIC),
  );
  return account(row);
}

/**
 * Change an account; a new password or disabling it ends its web sessions and revokes its API tokens
 * (a token made under the old password must not outlive it). Undefined when there is no such account.
 */
export async function updateAccount(db: Db, id: number, changes: AccountChanges): Promise<Account | undefined> {
  const { password, ...rest } = changes;
  const values = { ...rest, ...(password !== undefined ? { password_hash: await hashPassword(password) } : {}) };
  const changed = await writeTransaction(db, async (trx) => {
    const [row] = Object.keys(values).length
      ? await trx("users").where({ id }).update(values).returning(PUBLIC)
      : await trx("users").where({ id }).select(PUBLIC);
    if (!row) return undefined;
    if (password !== undefined || changes.disabled) {
      await trx("sessions").where({ user_id: id }).delete();
      await trx("api_tokens").where({ user_id: id }).whereNull("revoked_at").update({ revoked_at: trx.fn.now() });
    }
    return account(row);
  });
  authCacheOf(db).forget(); // roles, townships, the account's sessions or tokens changed; other processes hear it from the database
  return changed;
}
