import type { Db } from "../db.ts";
import { createAccount, updateAccount } from "./accounts.ts";
import { passwordMatches } from "./passwords.ts";

/** Passwords that ship in examples, manuals and scanners' lists: never an admin's. */
const DEFAULT_PASSWORDS = [
  "",
  "admin",
  "administrator",
  "password",
  "passw0rd",
  "changeme",
  "hazmap",
  "postgres",
  "123456",
  "12345678",
  "123456789",
  "1234567890",
  "admin123",
  "admin@123",
  "qwerty",
  "demo",
  "root",
  "secret",
];
const MIN_LENGTH = 12;

/** Why a production deployment must not start with this admin password, if it must not. */
export function weakAdminPassword(password: string | undefined): string | undefined {
  if (password === undefined || password.trim() === "") return "HAZMAP_ADMIN_PASSWORD is not set";
  if (DEFAULT_PASSWORDS.includes(password.trim().toLowerCase())) return "HAZMAP_ADMIN_PASSWORD is a well-known default password";
  if (password.length < MIN_LENGTH) return `HAZMAP_ADMIN_PASSWORD must be at least ${MIN_LENGTH} characters`;
  return undefined;
}

/**
 * Production start: refuse a default or empty admin password; otherwise make sure the `admin`
 * account exists, is enabled and has this password, and that no admin account kept a default one.
 */
export async function prepareProductionAdmin(db: Db, password: string | undefined): Promise<void> {
  const weak = weakAdminPassword(password);
  if (weak) throw new Error(`refusing to start in production: ${weak}`);
  const admin = await db("users").where({ username: "admin" }).first("id", "password_hash", "disabled", "roles");
  if (!admin) await createAccount(db, { username: "admin", password: password!, display_name: "Administrator", roles: ["admin"] });
  else if (admin.disabled || !admin.roles.includes("admin") || !(await passwordMatches(password!, admin.password_hash))) {
    await updateAccount(db, Number(admin.id), { password: password!, disabled: false, roles: [...new Set([...admin.roles, "admin"])] });
  }
  const others = await db("users")
    .where({ disabled: false })
    .whereRaw("'admin' = ANY(roles)")
    .whereNot({ username: "admin" })
    .select("username", "password_hash");
  for (const other of others) {
    for (const p of DEFAULT_PASSWORDS) {
      if (p && (await passwordMatches(p, other.password_hash)))
        throw new Error(`refusing to start in production: admin account ${other.username} has a default password`);
    }
  }
}
