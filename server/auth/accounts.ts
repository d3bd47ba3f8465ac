import type { Db } from "../db.ts";
import { hashPassword } from "./passwords.ts";

export interface Account { id: number; username: string; display_name: string | null; roles: string[]; townships: string[] }

const PUBLIC = ["id", "username", "display_name", "roles", "townships"];

export async function findAccount(db: Db, username: string): Promise<(Account & { password_hash: string }) | undefined> {
  const row = await db("users").where({ username, disabled: false }).first([...PUBLIC, "password_hash"]);
  return row && { ...row, id: Number(row.id) };
}

export async function accountById(db: Db, id: number): Promise<Account | undefined> {
  const row = await db("users").where({ id, disabled: false }).first(PUBLIC);
  return row && { ...row, id: Number(row.id) };
}

export async function createAccount(db: Db, a: { username: string; password: string; display_name?: string; roles: string[]; townships?: string[] }): Promise<Account> {
  const [row] = await db("users")
    .insert({ username: a.username, display_name: a.display_name ?? null, password_hash: await hashPassword(a.password), roles: a.roles, townships: a.townships ?? [] })
    .returning(PUBLIC);
  return { ...row, id: Number(row.id) };
}
