// Several server processes on one database, as behind a load balancer (or WORKERS=N): what one process
// writes reaches live maps connected to another; a token revoked or an account changed through one is
// refused by the others at once, though each caches the accounts behind tokens.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../server/db.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";
import { createTestDatabase, dropTestDatabase, startWorld, withToken } from "../support/world.ts";
import { eventually, startServer, type ServerProcess as Process } from "../support/server_process.ts";

/** Connections of this database LISTENing on `channel`. */
const listeners = async (db: Db, channel: string): Promise<number> =>
  (await db.raw("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = ?", [`LISTEN ${channel}`])).rows[0].n;

let url: string;
let db: Db;
let a: Process;
let b: Process;
beforeAll(async () => {
  url = await createTestDatabase();
  db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 2, STATEMENT_TIMEOUT_MS: 60_000 });
  [a, b] = await Promise.all([startServer(url), startServer(url)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.destroy();
  await dropTestDatabase(url);
});

const tokenFor = async (username: string, roles: string[]) => {
  const account = await createAccount(db, { username, password: "a long enough password", roles, townships: ["*"] });
  return (await createToken(db, account.id, "processes")).token;
};

describe("two server processes on one database", () => {
  it("a write through one reaches a live map connected to the other", async () => {
    const token = await tokenFor("clerk.a", ["clerk"]);
    const feed = await withToken(token)(`${b.base}/api/v1/changes`);
    expect(feed.status).toBe(200);
    // the feed's LISTEN is in place before the write
    expect(await eventually(async () => (await listeners(db, "hazmap_changes")) > 0)).toBe(true);
    const created = await withToken(token)(`${a.base}/api/v1/layers/shelters/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [120.6, 23.9] }, properties: { name: "二号进程", capacity: 50 } }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const reader = feed.body!.getReader();
    let seen = "";
    const deadline = Date.now() + 5000;
    while (!seen.includes(`"id":${id}`) && Date.now() < deadline) seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(seen).toContain(`{"layer":"shelters","op":"insert","id":${id}}`);
  });

  it("a token revoked through one, or by plain SQL, is refused by the other at once, though it was cached there", async () => {
    const token = await tokenFor("analyst.a", ["analyst"]);
    const me = (p: Process) => withToken(token)(`${p.base}/api/v1/auth/me`);
    expect((await me(b)).status).toBe(200); // now cached in b
    expect((await me(b)).status).toBe(200);
    const [{ id }] = await db("api_tokens")
      .where({ user_id: (await db("users").where({ username: "analyst.a" }).first("id")).id })
      .select("id");
    expect((await withToken(token)(`${a.base}/api/v1/auth/tokens/${id}`, { method: "DELETE" })).status).toBe(204);
    expect(await eventually(async () => (await me(b)).status === 401)).toBe(true);

    const other = await tokenFor("analyst.b", ["analyst"]);
    expect((await withToken(other)(`${b.base}/api/v1/auth/me`)).status).toBe(200);
    const userB = (await db("users").where({ username: "analyst.b" }).first("id")).id;
    await db("api_tokens").where({ user_id: userB }).update({ revoked_at: db.fn.now() });
    expect(await eventually(async () => (await withToken(other)(`${b.base}/api/v1/auth/me`)).status === 401)).toBe(true);
  });

  it("an account's rights changed by SQL reach every process's cached token", async () => {
    const token = await tokenFor("commander.a", ["commander"]);
    const body = JSON.stringify({ name: "演练", kind: "flood", level: 4, area: { lon: 120.6, lat: 23.9, radius_m: 500 } });
    const open = (p: Process) => withToken(token)(`${p.base}/api/v1/incidents`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect((await open(a)).status).toBe(201);
    expect((await open(b)).status).toBe(201);
    await db("users")
      .where({ username: "commander.a" })
      .update({ roles: ["viewer"] });
    expect(await eventually(async () => (await open(a)).status === 403 && (await open(b)).status === 403)).toBe(true);
  });
});

describe("WORKERS=2", () => {
  it("serves from two processes on one port, replaces one that dies, and stops them all on SIGTERM", async () => {
    const pair = await startServer(url, { WORKERS: "2" });
    const workers = () =>
      execFileSync("pgrep", ["-P", String(pair.child.pid)], { encoding: "utf8" })
        .trim()
        .split("\n")
        .map(Number);
    expect(await eventually(async () => workers().length === 2)).toBe(true);
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await fetch(`${pair.base}/readyz`)).status));
    expect(statuses).toEqual(Array(20).fill(200));
    const [first] = workers();
    process.kill(first!, "SIGKILL");
    expect(await eventually(async () => workers().length === 2 && !workers().includes(first!), 15_000)).toBe(true);
    expect(await eventually(async () => (await fetch(`${pair.base}/readyz`)).status === 200)).toBe(true);
    expect(await pair.stop()).toBe(0);
  }, 60_000);
});

describe("a token's lookup", () => {
  it("costs one query the first time and none while it is cached", async () => {
    const w = await startWorld();
    try {
      const lookups: string[] = [];
      w.serverDb.on("query", (q: { sql: string }) => q.sql.includes("api_tokens") && lookups.push(q.sql));
      expect((await w.fetch(`${w.base}/api/v1/auth/me`)).status).toBe(200);
      expect(lookups).toHaveLength(1);
      // answers are cached once the cache hears of changes (its LISTEN in place)
      expect(await eventually(async () => (await listeners(w.db, "hazmap_auth")) > 0)).toBe(true);
      expect((await w.fetch(`${w.base}/api/v1/auth/me`)).status).toBe(200);
      const before = lookups.length;
      for (let i = 0; i < 5; i++) expect((await w.fetch(`${w.base}/api/v1/auth/me`)).status).toBe(200);
      expect(lookups.length).toBe(before);
    } finally {
      await w.close();
    }
  });
});
