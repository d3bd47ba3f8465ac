// Read replicas (DATABASE_READ_URLS): a real hot standby of the test cluster (pg_basebackup -R, streaming
// replication). Which database answered is proven by pausing the standby's replay and changing a row on
// the primary alone: a read that shows the old value came from the replica.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";
import { asApp, createTestDatabase, dropTestDatabase, serveDatabase, withToken, type World } from "../support/world.ts";
import { ensureStandby, onStandby, pauseReplay, resumeReplay, standbyHas, standbySql, startStandby, stopStandby } from "../support/standby.ts";
import { eventually, startServer, type ServerProcess } from "../support/server_process.ts";
import { createDb } from "../../server/db.ts";
import { parseWalPosition } from "../../server/replicas/wal_position.ts";

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;
interface Replica {
  status: string;
  lag_ms: number | null;
  replayed: string | null;
}

/** Where the shelters of these tests are: each its own place, so that it is the nearest to it. */
const places = new Map<number, { lon: number; lat: number }>();

async function readyz(base: string): Promise<{ status: number; replicas: Replica[] }> {
  const r = await fetch(`${base}/readyz`);
  return { status: r.status, replicas: (await r.json()).replicas };
}
const replicaIs = async (base: string, status: string) => (await readyz(base)).replicas[0]?.status === status;

/** A shelter made through the API by `writer`: its id and version. */
async function newShelter(base: string, writer: Fetch, name: string): Promise<{ id: number; version: string }> {
  const at = { lon: 120.5 + places.size * 0.05, lat: 23.9 };
  const r = await writer(`${base}/api/v1/layers/shelters/features`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [at.lon, at.lat] }, properties: { name, capacity: 50 } }),
  });
  expect(r.status).toBe(201);
  const { id } = await r.json();
  places.set(id, at);
  return { id, version: r.headers.get("etag")! };
}

/** The shelter's name as `client` reads it: one feature, the OGC item, and the nearest shelter (all must agree). */
async function nameSeen(base: string, client: Fetch, id: number, headers: Record<string, string> = {}): Promise<string | undefined> {
  const feature = await client(`${base}/api/v1/layers/shelters/features/${id}`, { headers });
  if (feature.status === 404) return undefined;
  expect(feature.status).toBe(200);
  const name = (await feature.json()).properties.name;
  const item = await client(`${base}/ogc/collections/shelters/items/${id}`, { headers });
  expect(item.status).toBe(200);
  const at = places.get(id)!;
  const nearest = await client(`${base}/api/v1/nearest?layer=shelters&by=straight&limit=1&lon=${at.lon}&lat=${at.lat}`, { headers });
  expect(nearest.status).toBe(200);
  expect([(await item.json()).properties.name, (await nearest.json()).features[0]?.properties.name]).toEqual([name, name]);
  return name;
}

/** A change made on the primary alone (plain SQL: no client holds its WAL position). */
const renameOnPrimary = (db: Db, id: number, name: string) => db("shelters").where({ id }).update({ name });

const readerToken = async (db: Db) => {
  const account = await createAccount(db, { username: "reader", password: "a long enough password", roles: ["analyst"], townships: ["*"] });
  return withToken((await createToken(db, account.id, "replicas")).token);
};

/** The write's cookie, as a browser sends it back. */
const cookieOf = (r: Response) => ({
  cookie: r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; "),
});

async function rename(base: string, writer: Fetch, id: number, version: string, name: string): Promise<Response> {
  const r = await writer(`${base}/api/v1/layers/shelters/features/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/merge-patch+json", "if-match": version },
    body: JSON.stringify({ properties: { name } }),
  });
  expect(r.status).toBe(200);
  return r;
}

beforeAll(() => ensureStandby(), 120_000);

async function replicatedWorld(maxLagMs: number): Promise<{ w: World; reader: Fetch }> {
  const url = await createTestDatabase();
  await standbyHas(url);
  const w = await serveDatabase(url, { replicas: { urls: [onStandby(url)], maxLagMs } });
  expect(await eventually(() => replicaIs(w.base, "healthy"), 10_000)).toBe(true);
  return { w, reader: await readerToken(w.db) };
}

describe("a replica that keeps up", () => {
  let w: World;
  let reader: Fetch;
  beforeAll(async () => ({ w, reader } = await replicatedWorld(60_000)), 60_000);
  afterAll(async () => {
    startStandby(); // running and replaying again, whatever a failed test left
    await w?.close();
  }, 30_000);

  it("serves questions, features and OGC reads; the live database answers application_name hazmap", async () => {
    const { id } = await newShelter(w.base, w.fetch, "一号避难所");
    expect(await eventually(async () => (await nameSeen(w.base, reader, id)) === "一号避难所", 10_000)).toBe(true);
    await pauseReplay();
    await renameOnPrimary(w.db, id, "只在主库");
    // every read of the reader is from the replica, which has not replayed the change
    for (let i = 0; i < 3; i++) expect(await nameSeen(w.base, reader, id)).toBe("一号避难所");
    const [row] = await standbySql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = '${new URL(w.url).pathname.slice(1)}' AND application_name = 'hazmap'`,
    );
    expect(row?.n).toBeGreaterThan(0);
    const { status, replicas } = await readyz(w.base);
    expect(status).toBe(200);
    expect(replicas).toEqual([expect.objectContaining({ status: "healthy", replayed: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) })]);
    await resumeReplay();
    expect(await eventually(async () => (await nameSeen(w.base, reader, id)) === "只在主库", 10_000)).toBe(true);
  }, 60_000);

  it("a writer reads its own write while the replica is behind it; others may read the older version", async () => {
    const { id, version } = await newShelter(w.base, w.fetch, "二号避难所");
    expect(await eventually(async () => (await nameSeen(w.base, reader, id)) === "二号避难所", 10_000)).toBe(true);
    await pauseReplay();
    const written = await rename(w.base, w.fetch, id, version, "写入者改名");
    const position = written.headers.get("hazmap-wrote-lsn");
    expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(cookieOf(written).cookie).toBe(`hazmap_wrote=${position}`);
    // as a browser (the cookie) and as a program (the header): the new version, every time
    for (let i = 0; i < 3; i++) {
      expect(await nameSeen(w.base, w.fetch, id, cookieOf(written))).toBe("写入者改名");
      expect(await nameSeen(w.base, w.fetch, id, { "hazmap-wrote-lsn": position! })).toBe("写入者改名");
    }
    // the same token without the position, and another client, read the replica, which lags
    expect(await nameSeen(w.base, w.fetch, id)).toBe("二号避难所");
    expect(await nameSeen(w.base, reader, id)).toBe("二号避难所");

    // once the replica has replayed past the write, the writer reads from it again
    await resumeReplay();
    expect(await eventually(async () => parseWalPosition((await readyz(w.base)).replicas[0]!.replayed)! >= parseWalPosition(position)!, 10_000)).toBe(true);
    expect(await eventually(async () => (await nameSeen(w.base, reader, id)) === "写入者改名", 10_000)).toBe(true);
    await pauseReplay();
    await renameOnPrimary(w.db, id, "又只在主库");
    expect(await nameSeen(w.base, w.fetch, id, cookieOf(written))).toBe("写入者改名");
    await resumeReplay();
  }, 60_000);

  it("a replica stopped is skipped, /readyz says it is down; started again, it serves again", async () => {
    const { id } = await newShelter(w.base, w.fetch, "三号避难所");
    stopStandby();
    expect(await eventually(() => replicaIs(w.base, "down"), 10_000)).toBe(true);
    const { status, replicas } = await readyz(w.base);
    expect(status).toBe(200); // the process still serves: its reads go to the primary
    expect(replicas[0]).toMatchObject({ status: "down", lag_ms: null, replayed: null });
    await renameOnPrimary(w.db, id, "副本停机时");
    expect(await nameSeen(w.base, reader, id)).toBe("副本停机时");

    startStandby();
    expect(await eventually(() => replicaIs(w.base, "healthy"), 20_000)).toBe(true);
    expect(await eventually(async () => (await nameSeen(w.base, reader, id)) === "副本停机时", 10_000)).toBe(true);
    await pauseReplay();
    await renameOnPrimary(w.db, id, "副本恢复后只在主库");
    expect(await nameSeen(w.base, reader, id)).toBe("副本停机时");
    await resumeReplay();
  }, 90_000);
});

describe("a replica that lags beyond READ_MAX_LAG_MS", () => {
  let w: World;
  let reader: Fetch;
  // long enough that the steps between "healthy" and a read do not outlast it on a busy machine
  const maxLagMs = 3_000;
  beforeAll(async () => ({ w, reader } = await replicatedWorld(maxLagMs)), 60_000);
  afterAll(async () => {
    startStandby(); // running and replaying again, whatever a failed test left
    await w?.close();
  }, 30_000);

  it("is skipped while it lags, and serves again once it has caught up", async () => {
    const { id } = await newShelter(w.base, w.fetch, "四号避难所");
    expect(await eventually(async () => (await nameSeen(w.base, reader, id)) === "四号避难所", 10_000)).toBe(true);
    await pauseReplay();
    await renameOnPrimary(w.db, id, "副本落后时");
    expect(await eventually(() => replicaIs(w.base, "lagging"), 20_000)).toBe(true);
    expect((await readyz(w.base)).replicas[0]!.lag_ms).toBeGreaterThan(maxLagMs);
    expect(await nameSeen(w.base, reader, id)).toBe("副本落后时");

    await resumeReplay();
    expect(await eventually(() => replicaIs(w.base, "healthy"), 20_000)).toBe(true);
    await pauseReplay();
    await renameOnPrimary(w.db, id, "追上后只在主库");
    expect(await nameSeen(w.base, reader, id)).toBe("副本落后时");
    await resumeReplay();
  }, 60_000);
});

describe("WORKERS=2 against a primary and a replica", () => {
  let url: string;
  let db: Db;
  let server: ServerProcess;
  beforeAll(async () => {
    url = await createTestDatabase();
    await standbyHas(url);
    db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 2, STATEMENT_TIMEOUT_MS: 60_000 });
    server = await startServer(url, { WORKERS: "2", DATABASE_READ_URLS: asApp(onStandby(url)), READ_MAX_LAG_MS: "60000" });
  }, 60_000);
  afterAll(async () => {
    startStandby(); // running and replaying again, whatever a failed test left
    await server?.stop();
    await db?.destroy();
    await dropTestDatabase(url);
  }, 30_000);

  it("both processes read from the replica, and both give a writer its own write", async () => {
    const base = server.base;
    // both processes (the port shares requests between them) have found the replica healthy
    expect(await eventually(async () => (await Promise.all(Array.from({ length: 8 }, () => replicaIs(base, "healthy")))).every(Boolean), 20_000)).toBe(true);
    const account = await createAccount(db, { username: "writer", password: "a long enough password", roles: ["clerk"], townships: ["*"] });
    const writer = withToken((await createToken(db, account.id, "replicas")).token);
    const reader = await readerToken(db);
    const { id } = await newShelter(base, writer, "双进程");
    expect(await eventually(async () => (await nameSeen(base, reader, id)) === "双进程", 10_000)).toBe(true);
    await pauseReplay();
    await renameOnPrimary(db, id, "只在主库");
    const seen = async (client: Fetch, headers?: Record<string, string>) => Promise.all(Array.from({ length: 8 }, () => nameSeen(base, client, id, headers)));
    expect(await seen(reader)).toEqual(Array(8).fill("双进程"));
    const written = await rename(base, writer, id, (await db("shelters").where({ id }).first("version")).version.toString(), "写入者改名");
    expect(await seen(writer, cookieOf(written))).toEqual(Array(8).fill("写入者改名"));
    expect(await seen(reader)).toEqual(Array(8).fill("双进程"));
    await resumeReplay();
  }, 60_000);
});

describe("a replica URL that names a primary (a standby promoted, or a mistake)", () => {
  it("is reported down (so skipped), and reads go on", async () => {
    const url = await createTestDatabase();
    const w = await serveDatabase(url, { replicas: { urls: [url], maxLagMs: 60_000 } });
    try {
      const { status, replicas } = await readyz(w.base);
      expect(status).toBe(200);
      expect(replicas).toEqual([expect.objectContaining({ status: "down", error: "not a standby in recovery" })]);
      const { id } = await newShelter(w.base, w.fetch, "五号避难所");
      expect(await nameSeen(w.base, w.fetch, id)).toBe("五号避难所");
    } finally {
      await w.close();
    }
  });
});
