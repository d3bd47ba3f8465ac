// What a read replica adds (./scripts/bench replica): the demo county in a scratch database on the demo
// cluster, a hot standby of that cluster (streaming replication, DATABASE_READ_URLS), and
//  (a) nearest over HTTP (wrk, 1 and 8 connections), the server reading from the primary, then from the
//      replica: a replica adds a database for reads, not speed on one machine, so the point is the ratio;
//  (b) the replica's lag under writes: a commander updates shelters' occupancy for a while; for each write, the time
//      until the standby has replayed past the WAL position the write answered (Hazmap-Wrote-Lsn), and
//      the lag the server's health loop reports (/readyz).
// Usage: ./scripts/bench replica [--seconds N] (default 10 per measurement).
import pg from "pg";
import { parseWalPosition } from "../server/replicas/wal_position.ts";
import { benchAuthorization, serveProduct } from "./serve_product.ts";
import { scratchDemoCounty } from "./scratch_demo_county.ts";
import { wrk } from "./wrk.ts";

const url = process.env.REPLICA_BENCH_DATABASE_URL;
const replicaUrl = process.env.REPLICA_BENCH_READ_URL;
if (!url || !replicaUrl) throw new Error("REPLICA_BENCH_DATABASE_URL and REPLICA_BENCH_READ_URL are not set; run ./scripts/bench replica");
const database = new URL(url).pathname.slice(1);
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 10;

const { db, drop } = await scratchDemoCounty(url);
const { rows: points } = await db.raw(`SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
  FROM ST_Dump(ST_GeneratePoints((SELECT ST_Union(geom) FROM townships), 500, 1)) p`);
const nearest = (points as { lon: number; lat: number }[]).map((p) => ({ path: `/api/v1/nearest?layer=shelters&by=straight&lon=${p.lon}&lat=${p.lat}` }));
/** A connection to the database on the standby, once its creation has been replayed there. */
let standby = new pg.Client({ connectionString: replicaUrl });
await waitFor(async () => {
  standby = new pg.Client({ connectionString: replicaUrl });
  await standby.connect();
  return true;
});

console.log(
  `\nhazmap bench replica · demo county in ${database} · replica ${new URL(replicaUrl).host} · ${seconds} s per measurement · ${new Date().toISOString()}`,
);
console.log(
  `load average before: ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

// ── (a) nearest over HTTP, from the primary and from the replica ────────────────────────────────────
console.log(`\n(a) nearest shelter (straight) over HTTP, ${nearest.length} points in turn`);
console.log(`${"reads from".padEnd(12)}${"conns".padStart(6)}${"req/s".padStart(9)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}`);
const measured: Record<string, number> = {};
for (const from of ["primary", "replica"] as const) {
  if (from === "replica") process.env.DATABASE_READ_URLS = replicaUrl;
  else delete process.env.DATABASE_READ_URLS;
  const server = await serveProduct(url);
  try {
    if (from === "replica") await waitFor(async () => (await readyz(server.base)).replicas?.[0]?.status === "healthy");
    await wrk(server.base, nearest, 1, 2); // warm: prepared statements, caches
    for (const connections of [1, 8]) {
      const r = await wrk(server.base, nearest, connections, seconds);
      measured[`${from}${connections}`] = r.rps;
      console.log(
        `${from.padEnd(12)}${String(connections).padStart(6)}${r.rps.toFixed(0).padStart(9)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}`,
      );
    }
  } finally {
    await server.stop();
  }
}
for (const c of [1, 8])
  console.log(`replica / primary at ${c} connection${c > 1 ? "s" : ""}: ${(measured[`replica${c}`]! / measured[`primary${c}`]!).toFixed(2)}× the req/s`);

// ── (b) the replica's lag under writes ──────────────────────────────────────────────────────────────
process.env.DATABASE_READ_URLS = replicaUrl;
const server = await serveProduct(url);
try {
  await waitFor(async () => (await readyz(server.base)).replicas?.[0]?.status === "healthy");
  const authorization = await benchAuthorization(url, ["commander"]);
  const shelters: { id: number }[] = await db("shelters").orderBy("id").limit(20).select(db.raw("id::int"));
  const replayDelays: number[] = [];
  const reportedLags: number[] = [];
  let writes = 0;
  const deadline = performance.now() + seconds * 1000;
  const sampler = (async () => {
    while (performance.now() < deadline) {
      const lag = (await readyz(server.base).catch(() => undefined))?.replicas?.[0]?.lag_ms;
      if (typeof lag === "number") reportedLags.push(lag);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  for (let i = 0; performance.now() < deadline; i++) {
    const id = shelters[i % shelters.length]!.id;
    const got = await fetch(`${server.base}/api/v1/layers/shelters/features/${id}`, { headers: { authorization } });
    const put = await fetch(`${server.base}/api/v1/layers/shelters/features/${id}`, {
      method: "PATCH",
      headers: { authorization, "content-type": "application/json", "if-match": got.headers.get("etag")! },
      body: JSON.stringify({ properties: { occupancy: i % 50 } }), // what a commander updates in an incident
    });
    const answered = performance.now();
    if (put.status !== 200) throw new Error(`PATCH answered ${put.status}: ${await put.text()}`);
    writes++;
    const position = parseWalPosition(put.headers.get("hazmap-wrote-lsn"))!;
    // how long until the standby holds this write (polled every 2 ms)
    for (;;) {
      const { rows } = await standby.query("SELECT pg_last_wal_replay_lsn()::text AS at");
      if (parseWalPosition(rows[0].at)! >= position) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    replayDelays.push(performance.now() - answered);
  }
  await sampler;
  const q = (v: number[], at: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(at * v.length))] ?? NaN;
  console.log(`\n(b) ${writes} writes (occupancy updates, one at a time) in ${seconds} s`);
  console.log(
    `replayed on the standby after the write answered: p50 ${q(replayDelays, 0.5).toFixed(1)} ms · p99 ${q(replayDelays, 0.99).toFixed(1)} ms · max ${Math.max(...replayDelays).toFixed(1)} ms`,
  );
  console.log(
    `lag the health loop reported (/readyz, ${reportedLags.length} samples): p50 ${q(reportedLags, 0.5)} ms · p99 ${q(reportedLags, 0.99)} ms · max ${Math.max(...reportedLags)} ms`,
  );
} finally {
  await server.stop();
  await standby.end();
  await drop();
}
console.log(
  `load average after: ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

async function readyz(base: string): Promise<{ replicas?: { status: string; lag_ms: number | null }[] }> {
  return (await fetch(`${base}/readyz`)).json();
}

async function waitFor(check: () => Promise<boolean>, ms = 30_000) {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 100))) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error("timed out waiting for the replica");
  }
}
