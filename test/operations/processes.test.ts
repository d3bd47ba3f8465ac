// Several server processes on one database, as behind a load balancer (or WORKERS=N): what one process
// writes reaches live maps connected to another; a token revoked, a session ended or an account changed
// through one is refused by the others at once, though each caches what tokens and sessions stand for.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../server/db.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";
import { createTestDatabase, dropTestDatabase, startWorld, withToken, type World } from "../support/world.ts";
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

const PASSWORD = "a long enough password";
const accountFor = (username: string, roles: string[], on = db) => createAccount(on, { username, password: PASSWORD, roles, townships: ["*"] });
const tokenFor = async (username: string, roles: string[]) => (await createToken(db, (await accountFor(username, roles)).id, "processes")).token;

/** A web session of `username` signed in through the server at `base`: its cookie and CSRF token. */
const signIn = async (base: string, username: string) => {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return { cookie: res.headers.get("set-cookie")!.split(";")[0]!, csrf: (await res.json()).csrf_token as string };
};
const signOut = (base: string, { cookie, csrf }: { cookie: string; csrf: string }) =>
  fetch(`${base}/api/v1/auth/logout`, { method: "POST", headers: { cookie, "x-csrf-token": csrf } });
/** A route that needs signing in, asked with a session cookie: 200 signed in, 401 anonymous. */
const incidents = (base: string, cookie: string) => fetch(`${base}/api/v1/incidents`, { headers: { cookie } });
/** Who the server at `base` says the cookie signs in (null: nobody). */
const whoIs = async (base: string, cookie: string) => (await (await fetch(`${base}/api/v1/auth/me`, { headers: { cookie } })).json()).user?.username ?? null;

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

describe("two server processes on one database, signed in through the web app", () => {
  /** `cookie` answered by both processes while each listens for changes: cached in both from here on. */
  const cachedInBoth = async (cookie: string) => {
    for (const p of [a, b]) expect((await incidents(p.base, cookie)).status).toBe(200);
    expect(await eventually(async () => (await listeners(db, "hazmap_auth")) >= 2)).toBe(true);
    for (const p of [a, b]) expect((await incidents(p.base, cookie)).status).toBe(200);
  };
  const anonymousInBoth = (cookie: string) =>
    eventually(async () => (await incidents(a.base, cookie)).status === 401 && (await incidents(b.base, cookie)).status === 401);

  it("a session signed out through one is anonymous there at once, and in the other though it was cached there", async () => {
    await accountFor("viewer.out", ["viewer"]);
    const session = await signIn(a.base, "viewer.out");
    await cachedInBoth(session.cookie);
    expect((await signOut(a.base, session)).status).toBe(204);
    expect((await incidents(a.base, session.cookie)).status).toBe(401);
    expect(await eventually(async () => (await incidents(b.base, session.cookie)).status === 401)).toBe(true);
  });

  it("a session deleted by plain SQL, or its account disabled by SQL, is anonymous in every process that cached it", async () => {
    const deleted = await accountFor("viewer.deleted", ["viewer"]);
    await accountFor("viewer.disabled", ["viewer"]);
    const [one, other] = [await signIn(b.base, "viewer.deleted"), await signIn(b.base, "viewer.disabled")];
    await cachedInBoth(one.cookie);
    await cachedInBoth(other.cookie);
    await db("sessions").where({ user_id: deleted.id }).delete();
    expect(await anonymousInBoth(one.cookie)).toBe(true);
    expect((await incidents(a.base, other.cookie)).status).toBe(200); // only that session ended
    await cachedInBoth(other.cookie);
    await db("users").where({ username: "viewer.disabled" }).update({ disabled: true });
    expect(await anonymousInBoth(other.cookie)).toBe(true);
  });

  it("a session whose end is moved into the past by SQL is anonymous in every process that cached it", async () => {
    const account = await accountFor("viewer.expired", ["viewer"]);
    const session = await signIn(a.base, "viewer.expired");
    await cachedInBoth(session.cookie);
    await db("sessions")
      .where({ user_id: account.id })
      .update({ expires_at: db.raw("now() - interval '1 second'") });
    expect(await anonymousInBoth(session.cookie)).toBe(true);
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

describe("a web session's lookup", () => {
  let w: World;
  /** The server's queries of sessions or accounts (a session's lookup reads both). */
  let lookups: string[];
  beforeEach(async () => {
    w = await startWorld();
    lookups = [];
    w.serverDb.on("query", (q: { sql: string }) => /"(sessions|users)"/.test(q.sql) && lookups.push(q.sql));
    // the cache is listening (its LISTEN confirmed) before the sessions below are asked for
    expect((await w.fetch(`${w.base}/api/v1/auth/me`)).status).toBe(200);
    expect(await eventually(async () => (await listeners(w.db, "hazmap_auth")) > 0)).toBe(true);
  });
  afterEach(() => w.close());

  /** Asked once (the session, then its account, looked up), then again at no cost: cached from here on. */
  const cached = async (cookie: string, username: string) => {
    lookups.length = 0;
    expect(await whoIs(w.base, cookie)).toBe(username);
    expect(lookups).toHaveLength(2);
    for (let i = 0; i < 5; i++) expect(await whoIs(w.base, cookie)).toBe(username);
    expect(lookups).toHaveLength(2);
  };

  it("costs queries the first time and none while it is cached", async () => {
    await accountFor("viewer.cached", ["viewer"], w.db);
    const { cookie } = await signIn(w.base, "viewer.cached");
    await cached(cookie, "viewer.cached");
  });

  it("is anonymous once signed out through this process, before any notification could say so", async () => {
    // without the trigger of migration 033, only the signing-out process's own forgetting can tell
    await w.db.raw("DROP TRIGGER sessions_auth_changed ON sessions");
    await accountFor("viewer.quick", ["viewer"], w.db);
    const session = await signIn(w.base, "viewer.quick");
    await cached(session.cookie, "viewer.quick");
    expect((await signOut(w.base, session)).status).toBe(204);
    expect(await whoIs(w.base, session.cookie)).toBe(null);
  });

  it("is never answered past its end, though cached and nothing announced it", async () => {
    const account = await accountFor("viewer.brief", ["viewer"], w.db);
    // a session ending in 3 s, made by plain SQL as startSession makes one (INSERT: no notification)
    const token = randomBytes(32).toString("base64url");
    await w.db("sessions").insert({
      token_hash: createHash("sha256").update(token).digest("hex"),
      user_id: account.id,
      csrf_token: "csrf",
      expires_at: w.db.raw("now() + interval '3 seconds'"),
    });
    const cookie = `hazmap_session=${token}`;
    await cached(cookie, "viewer.brief");
    expect(await eventually(async () => (await incidents(w.base, cookie)).status === 401, 6000)).toBe(true);
  });
});
