// A configured production deployment refuses to start with a default or empty admin password, and
// with a strong one makes sure the admin account has it.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../server/db.ts";
import { passwordMatches } from "../../server/auth/passwords.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { asApp, createTestDatabase, dropTestDatabase } from "../support/world.ts";

let url: string;
let db: Db;
beforeAll(async () => {
  url = await createTestDatabase();
  db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 2, STATEMENT_TIMEOUT_MS: 60_000 });
});
afterAll(async () => {
  await db?.destroy();
  if (url) await dropTestDatabase(url);
});

/** Start the server as production would; resolves when it listens (then stops it) or exits. */
function start(env: Record<string, string>): Promise<{ listened: boolean; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, HAZMAP_ENV: "production", DATABASE_URL: asApp(url), PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let listened = false;
  child.stderr.on("data", (d) => (stderr += d));
  child.stdout.on("data", (d) => {
    if (String(d).includes("serving on")) {
      listened = true;
      child.kill("SIGTERM");
    }
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ listened, code, stderr })));
}

describe("production start", () => {
  it.each([
    ["not set", undefined],
    ["empty", ""],
    ["a default", "admin"],
    ["another default", "ChangeMe"],
    ["too short", "Shrt-9x"],
  ])(
    "refuses an admin password that is %s",
    async (_what, password) => {
      const r = await start(password === undefined ? {} : { HAZMAP_ADMIN_PASSWORD: password });
      expect(r.listened).toBe(false);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/refusing to start in production: HAZMAP_ADMIN_PASSWORD/);
    },
    30_000,
  );

  it("starts with a strong one, which the admin account then has; shuts down cleanly on SIGTERM", async () => {
    const r = await start({ HAZMAP_ADMIN_PASSWORD: "grey-river-lantern-42" });
    expect(r.listened).toBe(true);
    expect(r.code).toBe(0);
    const admin = await db("users").where({ username: "admin" }).first("password_hash", "roles", "disabled");
    expect(admin).toMatchObject({ roles: ["admin"], disabled: false });
    expect(await passwordMatches("grey-river-lantern-42", admin.password_hash)).toBe(true);
  }, 30_000);

  it("refuses to start while another admin account keeps a default password", async () => {
    await createAccount(db, { username: "old-admin", password: "password", roles: ["admin"] });
    const r = await start({ HAZMAP_ADMIN_PASSWORD: "grey-river-lantern-42" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/old-admin has a default password/);
  }, 60_000);
});
