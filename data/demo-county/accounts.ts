import { randomBytes } from "node:crypto";
import type { Db } from "../../server/db.ts";
import { createAccount, updateAccount } from "../../server/auth/accounts.ts";

/** One demo account per role; the clerk may edit only inside the county's first township. */
const ACCOUNTS = [
  { username: "viewer", display_name: "值班员", roles: ["viewer"] },
  { username: "commander", display_name: "指挥长", roles: ["commander"] },
  { username: "planner", display_name: "规划员", roles: ["planner"] },
  { username: "analyst", display_name: "分析员", roles: ["analyst"] },
  { username: "clerk", display_name: "数据录入员", roles: ["clerk"], oneTownship: true },
  { username: "admin", display_name: "管理员", roles: ["admin"] },
];

export interface DemoAccounts {
  password: string;
  accounts: { username: string; roles: string[]; townships: string[]; note?: string }[];
}

/**
 * Make (or reset) the demo accounts with a password generated now, never a default one: a demo left
 * running on a network is not an open door for anyone who read the README.
 */
export async function seedDemoAccounts(db: Db): Promise<DemoAccounts> {
  const password = randomBytes(12).toString("base64url");
  const first = await db("townships").orderBy("id").first("admin_code", "name");
  const accounts: DemoAccounts["accounts"] = [];
  for (const a of ACCOUNTS) {
    const townships = a.oneTownship && first ? [first.admin_code as string] : [];
    const existing = await db("users").where({ username: a.username }).first("id");
    if (existing) await updateAccount(db, Number(existing.id), { password, roles: a.roles, townships, disabled: false, display_name: a.display_name });
    else await createAccount(db, { username: a.username, password, display_name: a.display_name, roles: a.roles, townships });
    accounts.push({ username: a.username, roles: a.roles, townships, ...(townships.length ? { note: `only inside ${first!.name}` } : {}) });
  }
  return { password, accounts };
}
