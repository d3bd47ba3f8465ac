// Load on the demo county, against a server process of its own on a scratch database (dropped after):
//  (a) 64 clients asking nearest and coverage-gaps questions at random points in the county: every
//      request must succeed and p99 stay under 10 × p50;
//  (b) 50 clients editing the same 10 shelters with If-Match (read, write, re-read and retry on 412):
//      versions must rise by exactly one per accepted write, no accepted write may be lost, and each
//      must be in the audit trail under its writer (a commander account and API token per client).
//      With read replicas (DATABASE_READ_URLS, `./scripts/load --replica`) each writer sends back the WAL
//      position its last write answered (Hazmap-Wrote-Lsn, as a program does) and must never read a
//      shelter at a version older than the one it wrote (no stale read for the writer).
// Usage: ./scripts/load [--seconds N] [--replica] (default 60 per part; WORKERS=N: N server processes).
// Exits 1 when a floor is not met.
import http from "node:http";
import { readFileSync } from "node:fs";
import pg from "pg";
import type { Db } from "../server/db.ts";
import { freePort, serveProduct } from "./serve_product.ts";
import { scratchDemoCounty } from "./scratch_demo_county.ts";
import { createAccount } from "../server/auth/accounts.ts";
import { createToken } from "../server/auth/tokens.ts";

const url = process.env.LOAD_DATABASE_URL;
const replicaUrl = process.env.DATABASE_READ_URLS?.split(",")[0];
if (!url) throw new Error("LOAD_DATABASE_URL is not set; run ./scripts/load");
const database = new URL(url).pathname.slice(1);
if (!database.endsWith("_load")) throw new Error(`${database} would be dropped and recreated: name a scratch database ending in _load`);
const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 60;
const port = Number(process.env.LOAD_PORT) || (await freePort());
const base = { host: "127.0.0.1", port };

const READERS = 64;
const WRITERS = 50;
const EDITED_SHELTERS = 10;

// ── a small keep-alive HTTP client: the load generator shares the two cores with the server ──────────

const agent = new http.Agent({ keepAlive: true, maxSockets: READERS + WRITERS });

/** status 0: no answer (network error or 30 s without one). */
interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        ...base,
        agent,
        method,
        path,
        timeout: 30_000,
        headers: payload ? { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.on("error", reject);
    req.end(payload);
  }).catch((e: Error) => ({ status: 0, headers: {}, body: e.message }));
}

const failure = (r: Reply) => (r.status === 0 ? r.body : `HTTP ${r.status} ${r.body.slice(0, 120)}`);

// ── the scratch database and the server ─────────────────────────────────────────────────────────────

const { db, drop } = await scratchDemoCounty(url);
const server = await serveProduct(url, port);

let failed = false;
try {
  console.log(`\nhazmap load · demo county in ${database} · server pid ${server.pid} on :${port} · ${seconds} s per part · ${new Date().toISOString()}`);
  console.log(`processes: ${process.env.WORKERS ?? 1} · reads from: ${replicaUrl ? `the primary and a replica (${new URL(replicaUrl).host})` : "the primary"}`);
  failed = !(await questions(db));
  failed = !(await edits(db)) || failed;
} finally {
  const code = await server.stop();
  if (code !== 0) console.error(`the server exited with ${code} on SIGTERM`);
  agent.destroy();
  await drop();
}
process.exit(failed ? 1 : 0);

/** CPU seconds the server's processes (WORKERS: its workers too) and this one have used so far (Linux /proc, 100 ticks a second). */
function cpuSeconds(): { server: number; generator: number } {
  const children = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, "utf8").split(" ").filter(Boolean);
  const ticks = [String(server.pid), ...children].reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return sum + Number(fields[11]) + Number(fields[12]);
  }, 0);
  const { user, system } = process.cpuUsage();
  return { server: ticks / 100, generator: (user + system) / 1e6 };
}

/** Transactions committed in the load database so far, on the primary and on the replica (which one answered the reads). */
async function transactions(): Promise<{ primary: number; replica: number }> {
  const committed = async (at: string) => {
    const client = new pg.Client({ connectionString: at });
    await client.connect();
    try {
      return Number((await client.query("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")).rows[0].xact_commit);
    } finally {
      await client.end();
    }
  };
  return { primary: await committed(url!), replica: replicaUrl ? await committed(replicaUrl) : 0 };
}

async function transactionsLine(since: { primary: number; replica: number }): Promise<string> {
  const now = await transactions();
  return `transactions: primary ${now.primary - since.primary} · replica ${now.replica - since.replica}`;
}

/** Who used the two cores during a part: the question is whether the generator starved the server. */
function cpuLine(since: { server: number; generator: number }, wall: number): string {
  const now = cpuSeconds();
  const share = (s: number) => `${s.toFixed(1)} s (${((100 * s) / wall).toFixed(0)}% of a core)`;
  return `cpu: server ${share(now.server - since.server)} · load generator ${share(now.generator - since.generator)}`;
}

// ── (a) questions ───────────────────────────────────────────────────────────────────────────────────

async function questions(db: Db): Promise<boolean> {
  // random points inside the county (the townships' union), the same every run
  const { rows } = await db.raw(`SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
    FROM ST_Dump(ST_GeneratePoints((SELECT ST_Union(geom) FROM townships), 5000, 1)) p`);
  const points = rows as { lon: number; lat: number }[];
  const kinds: [name: string, path: (p: { lon: number; lat: number }, i: number) => string][] = [
    ["nearest shelters", (p) => `/api/v1/nearest?layer=shelters&lon=${p.lon}&lat=${p.lat}`],
    ["nearest depots with tents", (p) => `/api/v1/nearest?layer=depots&item=tent&min_quantity=20&lon=${p.lon}&lat=${p.lat}`],
    ["nearest standby teams", (p) => `/api/v1/nearest?layer=teams&status=standby&lon=${p.lon}&lat=${p.lat}`],
    ["coverage gaps", (_, i) => `/api/v1/coverage-gaps?layer=${["shelters", "depots", "teams"][i % 3]}&radius_m=5000`],
  ];
  for (const [, path] of kinds) for (let i = 0; i < 3; i++) await request("GET", path(points[i]!, i)); // warm up

  const times = kinds.map(() => [] as number[]);
  const errors = new Map<string, number>();
  const deadline = performance.now() + seconds * 1000;
  let next = 0;
  const committed = await transactions();
  const cpu = cpuSeconds();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (performance.now() < deadline) {
        const i = next++;
        const k = i % kinds.length;
        const start = performance.now();
        const r = await request("GET", kinds[k]![1](points[i % points.length]!, i));
        if (r.status >= 200 && r.status < 300) times[k]!.push(performance.now() - start);
        else errors.set(failure(r), (errors.get(failure(r)) ?? 0) + 1);
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;

  const all = times.flat();
  const failures = [...errors.values()].reduce((a, b) => a + b, 0);
  const p = percentiles(all);
  console.log(`\n(a) ${READERS} clients asking questions for ${wall.toFixed(1)} s`);
  console.log(`${"question".padEnd(28)}${"requests".padStart(10)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"p99/p50".padStart(9)}`);
  kinds.forEach(([name], k) => {
    const q = percentiles(times[k]!);
    console.log(
      `${name.padEnd(28)}${String(times[k]!.length).padStart(10)}${q.p50.toFixed(1).padStart(9)}${q.p99.toFixed(1).padStart(9)}${(q.p99 / q.p50).toFixed(2).padStart(9)}`,
    );
  });
  console.log(
    `${"all".padEnd(28)}${String(all.length + failures).padStart(10)}${p.p50.toFixed(1).padStart(9)}${p.p99.toFixed(1).padStart(9)}${(p.p99 / p.p50).toFixed(2).padStart(9)}`,
  );
  console.log(`requests ${all.length + failures} · errors ${failures} · ${((all.length + failures) / wall).toFixed(0)} req/s`);
  for (const [e, n] of errors) console.log(`  ${n} × ${e}`);
  console.log(cpuLine(cpu, wall));
  if (replicaUrl) console.log(await transactionsLine(committed));
  const ok = failures === 0 && p.p99 < 10 * p.p50;
  console.log(`floor (0 errors, p99 < 10 × p50): ${ok ? "met" : "NOT MET"}`);
  return ok;
}

function percentiles(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

// ── (b) edits ───────────────────────────────────────────────────────────────────────────────────────

/** One write the server accepted: what the client read, what it wrote, the version it got. */
interface AcceptedWrite {
  shelter: number;
  client: number;
  read: { version: number; occupancy: number };
  occupancy: number;
  version: number;
}

async function edits(db: Db): Promise<boolean> {
  const initial: { id: number; version: number; occupancy: number }[] = await db("shelters")
    .orderBy("id")
    .limit(EDITED_SHELTERS)
    .select(db.raw("id::int"), "version", "occupancy");
  const accepted: AcceptedWrite[] = [];
  // commanders update shelter occupancy during an incident: one account and token per client
  const tokens = await Promise.all(
    Array.from({ length: WRITERS }, async (_, client) => {
      const account = await createAccount(db, { username: writerName(client), password: `load test ${client} ${Math.random()}`, roles: ["commander"] });
      return `Bearer ${(await createToken(db, account.id, "load")).token}`;
    }),
  );
  const conflicts = new Map<number, number>();
  const errors = new Map<string, number>();
  const error = (e: string) => errors.set(e, (errors.get(e) ?? 0) + 1);
  let staleReads = 0;
  let ownReads = 0;
  const deadline = performance.now() + seconds * 1000;
  const committed = await transactions();
  const cpu = cpuSeconds();
  const t0 = performance.now();

  await Promise.all(
    Array.from({ length: WRITERS }, async (_, client) => {
      /** The WAL position this client's last write answered, sent back with its requests. */
      let wrote: Record<string, string> = {};
      /** shelter → the version this client last wrote: what it must never read older than. */
      const written = new Map<number, number>();
      // each write carries its author and number in the value, so every accepted value is unique
      for (let seq = 1; performance.now() < deadline; seq++) {
        const shelter = initial[Math.floor(Math.random() * initial.length)]!.id;
        const occupancy = seq * 100 + client;
        const path = `/api/v1/layers/shelters/features/${shelter}`;
        for (;;) {
          const got = await request("GET", path, undefined, { authorization: tokens[client]!, ...wrote });
          if (got.status !== 200) {
            error(`GET ${failure(got)}`);
            break;
          }
          const { version, occupancy: was } = JSON.parse(got.body).properties as { version: number; occupancy: number };
          const read = { version, occupancy: was };
          if (written.has(shelter)) {
            ownReads++;
            if (version < written.get(shelter)!) {
              staleReads++;
              error(`stale read: shelter ${shelter} at version ${version}, after this client wrote version ${written.get(shelter)}`);
            }
          }
          if (got.headers.etag !== `"${read.version}"`) error(`GET ETag ${got.headers.etag} for version ${read.version}`);
          const put = await request("PATCH", path, { properties: { occupancy } }, { "If-Match": got.headers.etag!, authorization: tokens[client]!, ...wrote });
          if (put.status === 412) {
            conflicts.set(shelter, (conflicts.get(shelter) ?? 0) + 1);
            continue;
          }
          if (put.status !== 200) {
            error(`PATCH ${failure(put)}`);
            break;
          }
          const answer = JSON.parse(put.body).properties;
          if (answer.occupancy !== occupancy) error(`PATCH answered occupancy ${answer.occupancy}, not the ${occupancy} sent`);
          accepted.push({ shelter, client, read, occupancy, version: answer.version });
          written.set(shelter, answer.version);
          const position = put.headers["hazmap-wrote-lsn"];
          if (typeof position === "string") wrote = { "hazmap-wrote-lsn": position };
          else if (replicaUrl) error("PATCH answered no Hazmap-Wrote-Lsn");
          break;
        }
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;

  const final = new Map<number, { version: number; occupancy: number }>(
    (
      await db("shelters")
        .whereIn(
          "id",
          initial.map((s) => s.id),
        )
        .select(db.raw("id::int"), "version", "occupancy")
    ).map((r: { id: number; version: number; occupancy: number }) => [r.id, r]),
  );
  console.log(`\n(b) ${WRITERS} clients editing ${EDITED_SHELTERS} shelters with If-Match for ${wall.toFixed(1)} s`);
  console.log(
    `${"shelter".padStart(8)}${"accepted".padStart(10)}${"412s".padStart(8)}${"version".padStart(16)}${"final value".padStart(13)}${"last accepted".padStart(15)}  checks`,
  );
  let ok = errors.size === 0;
  for (const s of initial) {
    const mine = accepted.filter((w) => w.shelter === s.id).sort((a, b) => a.version - b.version);
    const now = final.get(s.id)!;
    const last = mine.at(-1)?.occupancy ?? s.occupancy;
    const problems = [
      // versions: the accepted writes got initial+1 … initial+n, one each, and the row is at initial+n
      ...mine.flatMap((w, i) => (w.version === s.version + i + 1 ? [] : [`write ${i + 1} got version ${w.version}`])),
      ...mine.flatMap((w) => (w.version === w.read.version + 1 ? [] : [`write based on ${w.read.version} got ${w.version}`])),
      ...(now.version === s.version + mine.length ? [] : [`final version ${now.version} ≠ ${s.version} + ${mine.length}`]),
      // nothing lost: each accepted write replaced exactly the value of the one before it, and the last one stands
      ...mine.flatMap((w, i) => {
        const before = i === 0 ? s.occupancy : mine[i - 1]!.occupancy;
        return w.read.occupancy === before ? [] : [`write at version ${w.version} replaced ${w.read.occupancy}, not ${before}`];
      }),
      ...(now.occupancy === last ? [] : [`final value ${now.occupancy} ≠ last accepted ${last}`]),
    ];
    ok &&= problems.length === 0;
    console.log(
      `${String(s.id).padStart(8)}${String(mine.length).padStart(10)}${String(conflicts.get(s.id) ?? 0).padStart(8)}${`${s.version} → ${now.version}`.padStart(16)}${String(now.occupancy).padStart(13)}${String(last).padStart(15)}  ${problems.length ? problems.slice(0, 3).join("; ") : "ok"}`,
    );
  }
  const retries = [...conflicts.values()].reduce((a, b) => a + b, 0);
  console.log(
    `accepted ${accepted.length} (${(accepted.length / wall).toFixed(0)}/s) · 412 conflicts re-read and retried ${retries} · errors ${[...errors.values()].reduce((a, b) => a + b, 0)}`,
  );
  console.log(`reads by a writer of a shelter it had written: ${ownReads} · older than its own write: ${staleReads}`);
  for (const [e, n] of errors) console.log(`  ${n} × ${e}`);
  console.log(cpuLine(cpu, wall));
  if (replicaUrl) console.log(await transactionsLine(committed));
  const audit = await checkAuditTrail(
    db,
    initial.map((s) => s.id),
    accepted,
  );
  ok &&= audit.ok;
  console.log(`audit trail: ${audit.line}`);
  console.log(
    `floor (versions +1 per accepted write, no accepted write lost, each in the audit trail, no stale read for the writer, 0 errors): ${ok ? "met" : "NOT MET"}`,
  );
  return ok;
}

function writerName(client: number): string {
  return `writer-${String(client).padStart(2, "0")}`;
}

/**
 * Every accepted write must be in the audit trail under its writer, with the value it replaced and the
 * value and version it wrote, and the trail must hold no other change of these shelters.
 */
async function checkAuditTrail(db: Db, shelters: number[], accepted: AcceptedWrite[]): Promise<{ ok: boolean; line: string }> {
  const rows: { entity_id: string; actor: string; before: { occupancy: number; version: number }; after: { occupancy: number; version: number } }[] = await db(
    "audit",
  )
    .where({ entity: "shelters", action: "update" })
    .whereIn("entity_id", shelters.map(String))
    .select("entity_id", "actor", "before", "after");
  const byVersion = new Map(rows.map((r) => [`${r.entity_id}@${r.after.version}`, r]));
  const problems: string[] = [];
  for (const w of accepted) {
    const r = byVersion.get(`${w.shelter}@${w.version}`);
    if (!r) problems.push(`shelter ${w.shelter} version ${w.version}: no audit entry`);
    else if (r.actor !== writerName(w.client) || r.before.occupancy !== w.read.occupancy || r.after.occupancy !== w.occupancy) {
      problems.push(
        `shelter ${w.shelter} version ${w.version}: audit says ${r.actor} ${r.before.occupancy} → ${r.after.occupancy}, the write was ${writerName(w.client)} ${w.read.occupancy} → ${w.occupancy}`,
      );
    }
  }
  if (rows.length !== accepted.length) problems.push(`${rows.length} audit entries for ${accepted.length} accepted writes`);
  return {
    ok: problems.length === 0,
    line:
      problems.length === 0
        ? `all ${accepted.length} accepted writes found, each under its writer with before and after`
        : `${problems.length} problems: ${problems.slice(0, 3).join("; ")}`,
  };
}
