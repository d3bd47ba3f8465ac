import { execFileSync } from "node:child_process";
import pg from "pg";

/**
 * A hot standby of the test cluster (streaming replication, pg_basebackup -R: scripts/setup.sh's
 * ensure_standby), on a port of its own: a read replica for the tests that need one. Made on first use,
 * kept between runs (in /dev/shm, like the test cluster), made afresh when it no longer streams.
 */
export const STANDBY_PORT = Number(process.env.HAZMAP_TEST_STANDBY_PORT ?? 5436);
const dir = `/dev/shm/hazmap/standby-${STANDBY_PORT}`;

const shell = (command: string, ...args: string[]) =>
  execFileSync("bash", ["-c", `source scripts/setup.sh && ${command}`, "setup", ...args], { stdio: "pipe" });

function primaryUrl(): URL {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: run the tests with ./scripts/test, which starts a test PostGIS");
  return new URL(url);
}

/** The standby running and streaming from the test cluster, its replay resumed. */
export function ensureStandby(): void {
  const primary = primaryUrl();
  if (primary.hostname !== "127.0.0.1" && primary.hostname !== "localhost") throw new Error("a standby is only made of a local test cluster");
  shell(`ensure_standby "$1" "$2" "$3"`, dir, String(STANDBY_PORT), primary.port || "5432");
}

/** The same database (a URL of the primary) on the standby. */
export function onStandby(url: string): string {
  const u = new URL(url);
  u.port = String(STANDBY_PORT);
  return u.toString();
}

/** Runs one statement on the standby's `postgres` database. */
export async function standbySql<R = Record<string, unknown>>(sql: string, database = "postgres"): Promise<R[]> {
  const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${STANDBY_PORT}/${database}` });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Replay paused: the standby keeps receiving WAL but shows nothing new (pg_wal_replay_pause). */
export const pauseReplay = async () => void (await standbySql("SELECT pg_wal_replay_pause()"));
export const resumeReplay = async () => void (await standbySql("SELECT pg_wal_replay_resume()"));

/** The standby stopped (pg_ctl stop -m fast) or started again. */
export const stopStandby = () => void shell(`stop_cluster "$1"`, dir);
export const startStandby = () => void shell(`ensure_standby "$1" "$2" "$3"`, dir, String(STANDBY_PORT), primaryUrl().port || "5432");

/** Until the standby has replayed the creation of `url`'s database (at most `ms`). */
export async function standbyHas(url: string, ms = 30_000): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
    const [row] = await standbySql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_database WHERE datname = '${name}'`);
    if (row?.n) return;
    if (Date.now() > end) throw new Error(`the standby has not replayed the creation of ${name}`);
  }
}
