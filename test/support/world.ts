import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import pg from "pg";
import { createDb, type Db } from "../../server/db.ts";
import { buildApp } from "../../server/app.ts";
import { answerClientErrors } from "../../server/http/client_errors.ts";
import { cutStalledClients } from "../../server/http/stalled_clients.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";
import { ROLES } from "../../server/auth/permissions.ts";
import { openReadReplicas } from "../../server/replicas/read_replicas.ts";
import { APP_ROLE } from "../../server/migrate.ts";

/**
 * A test world: a fresh database cloned from the migrated template, and the real app listening on it,
 * connected as the application role (hazmap_app), with its rights and no more, as in production.
 * `fetch` is signed in (an API token) as `tester`, who holds every role and all townships; plain
 * fetch is anonymous. `db` and `url` are the test's own hand on the database: its superuser, to set
 * up and look behind the app.
 */
export interface World {
  base: string;
  db: Db;
  url: string;
  /** The database as the server sees it: the application role's connection URL. */
  appUrl: string;
  /** The pool the server runs its queries on, as the application role (to watch what it asks). */
  serverDb: Db;
  /** The tester's API token. */
  token: string;
  fetch(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Reads without signing in (the demo's setting); off by default, as in production. */
  anonymousRead?: boolean;
  /** Milliseconds a client may stall before it is cut off (the server's default otherwise). */
  stallTimeoutMs?: number;
  /** PUBLIC_URL: where absolute links point (unset: the address listened on). */
  publicUrl?: string;
  /** DATABASE_READ_URLS and READ_MAX_LAG_MS: hot standbys of the database that reads may go to. */
  replicas?: { urls: string[]; maxLagMs: number };
}

/** fetch with `Authorization: Bearer <token>` added. */
export function withToken(token: string) {
  return (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
}

function templateUrl(): URL {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: run the tests with ./scripts/test, which starts a test PostGIS");
  return new URL(url);
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = templateUrl();
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let worlds = 0;

/** A database of our own, empty but migrated (clone of the template), as a connection URL. */
export async function createTestDatabase(): Promise<string> {
  const template = templateUrl();
  const name = `hazmap_t${process.pid}_${++worlds}_${Date.now() % 100000}`;
  await admin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template.pathname.slice(1)}"`);
        return;
      } catch (e) {
        // another worker may be cloning the template at this instant
        if (attempt > 20 || !/being accessed by other users/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });
  const url = new URL(template);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The same database as the application role (the test cluster trusts local connections: no password). */
export function asApp(url: string): string {
  const u = new URL(url);
  u.username = APP_ROLE;
  u.password = "";
  return u.toString();
}

export async function dropTestDatabase(url: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`));
}

export async function startWorld(options?: WorldOptions): Promise<World> {
  return serveDatabase(await createTestDatabase(), options);
}

/** The real app on 127.0.0.1 over an existing test database; close() stops it and drops the database. */
export async function serveDatabase(
  url: string,
  { anonymousRead = false, stallTimeoutMs = 60_000, publicUrl, replicas: read }: WorldOptions = {},
): Promise<World> {
  const db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 10, STATEMENT_TIMEOUT_MS: 60_000 }, "hazmap-test");
  const appUrl = asApp(url);
  const settings = { DATABASE_URL: appUrl, DB_POOL_MAX: 10, STATEMENT_TIMEOUT_MS: 60_000 };
  const appDb = createDb(settings);
  const replicas = read && openReadReplicas({ ...settings, DATABASE_READ_URLS: read.urls.map(asApp), READ_MAX_LAG_MS: read.maxLagMs }, appDb);
  await replicas?.start();
  const server: Server = await new Promise((resolve) => {
    const s = cutStalledClients(
      answerClientErrors(buildApp({ db: appDb, replicas, access: { anonymousRead }, publicUrl }).listen(0, "127.0.0.1", () => resolve(s))),
      stallTimeoutMs,
    );
  });
  const { port } = server.address() as AddressInfo;
  const tester =
    (await db("users").where({ username: "tester" }).first("id")) ??
    (await createAccount(db, { username: "tester", password: "tester-password", roles: [...ROLES], townships: ["*"] }));
  const { token } = await createToken(db, Number(tester.id), "tests");
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    url,
    appUrl,
    serverDb: appDb,
    token,
    fetch: withToken(token),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await replicas?.close();
      await Promise.all([db.destroy(), appDb.destroy()]);
      await dropTestDatabase(url);
    },
  };
}

/** A world holding the demo county (示范县), loaded the way ./scripts/start loads it. */
export async function startDemoWorld(options?: WorldOptions): Promise<World> {
  const w = await startWorld(options);
  const { generateDemoCounty } = await import("../../data/demo-county/generate.ts");
  const { loadDemoCounty } = await import("../../data/demo-county/load.ts");
  await loadDemoCounty(w.db, generateDemoCounty());
  return w;
}
