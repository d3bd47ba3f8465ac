import { execFileSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../server/db.ts";
import { buildApp } from "../../server/app.ts";
import { migrate } from "../../server/migrate.ts";

// A PostgreSQL cluster of this test's own, so stopping it disturbs no other test.
const dir = "/dev/shm/hazmap/outage";
const port = 5435;
const cluster = (fn: string) => execFileSync("bash", ["-c", `source scripts/setup.sh && ${fn} "$0" "$1" fast`, dir, String(port)], { stdio: "pipe" });

let db: Db;
let server: Server;
let base: string;

beforeAll(async () => {
  cluster("ensure_cluster");
  // a database of this run's own: the cluster outlives a run (in /dev/shm), and with it whatever schema ran last
  execFileSync("psql", [`postgres://postgres@127.0.0.1:${port}/postgres`, "-qc", "DROP DATABASE IF EXISTS hazmap_outage WITH (FORCE)"]);
  execFileSync("bash", ["-c", `source scripts/setup.sh && ensure_database "$0"`, `postgres://postgres@127.0.0.1:${port}/hazmap_outage`]);
  db = createDb({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/hazmap_outage`, DB_POOL_MAX: 4, STATEMENT_TIMEOUT_MS: 5_000 });
  await migrate(db);
  server = await new Promise((resolve) => {
    const s = buildApp({ db, access: { anonymousRead: true } }).listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await db?.destroy();
  cluster("stop_cluster");
});

async function timed(url: string) {
  const t0 = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return { res, ms: Date.now() - t0 };
}

describe("database outage", () => {
  it("answers 503 with Retry-After while PostgreSQL is down, and serves again after it returns, without a restart", async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/layers/shelters/features`)).status).toBe(200);

    cluster("stop_cluster");
    for (const path of ["/readyz", "/api/v1/layers/shelters/features", "/api/v1/layers"]) {
      const { res, ms } = await timed(`${base}${path}`);
      expect(res.status, path).toBe(503);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(ms, `${path} answered in ${ms} ms`).toBeLessThan(10_000);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    cluster("ensure_cluster");
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await fetch(`${base}/readyz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await fetch(`${base}/api/v1/layers/shelters/features`)).status).toBe(200);
  });
});
