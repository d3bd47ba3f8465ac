// The questions at national scale: p50/p99 over HTTP (1 and 8 clients, driven by wrk) beside the very
// SQL the server ran, replayed through pg in the same run, and their ratio; beside both, the same requests
// to a bare node:http server running that SQL and nothing else (scripts/bare_http.ts). Usage: ./scripts/bench [--quick] [--tiles] [--only NAME]
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { createDb } from "../server/db.ts";
import { buildApp } from "../server/app.ts";
import { serveBareHttp, serveProduct } from "./serve_product.ts";
import { wrk, type HttpRequest } from "./wrk.ts";
import { captureSql, replay, requestKey, type Statement } from "./captured_sql.ts";

const url = process.env.SCALE_DATABASE_URL;
if (!url) throw new Error("SCALE_DATABASE_URL is not set; run ./scripts/bench");
const quick = process.argv.includes("--quick");
/** `--only <start of a question's name>`: that question alone (and no tiles), e.g. --only nearest. */
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const tilesOnly = process.argv.includes("--tiles");

const db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 10, STATEMENT_TIMEOUT_MS: 120_000 });
const [{ n }] = (await db.raw("SELECT count(*)::int AS n FROM villages")).rows;
if (n < 100_000) throw new Error(`${url} holds ${n} villages; run ./scripts/seed-scale first`);

// The measured server runs in a process of its own, as in production; an in-process copy only
// captures the SQL each request runs, for the direct replay.
const served = await serveProduct(url);
const base = served.base;
const capturing = buildApp({ db, access: { anonymousRead: true } }).listen(0, "127.0.0.1");
await new Promise((r) => capturing.once("listening", r));
const captureBase = `http://127.0.0.1:${(capturing.address() as AddressInfo).port}`;

/** Fixed "random" points: every 5000th village, so every run asks the same questions. */
const points: [number, number][] = (await db.raw("SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM villages WHERE id % 5000 = 7 ORDER BY id")).rows.map(
  (r: { x: number; y: number }) => [r.x, r.y],
);
/** Dense places: points with the most villages within 20 km. */
const dense: [number, number][] = (
  await db.raw(`
  SELECT ST_X(p.geom) AS x, ST_Y(p.geom) AS y FROM (SELECT geom FROM villages WHERE id % 20000 = 11) p
  ORDER BY (SELECT count(*) FROM villages v WHERE v.geom && geodesic_reach_box(p.geom::geography, 20000)
                                            AND ST_DWithin(v.geom::geography, p.geom::geography, 20000)) DESC LIMIT 10`)
).rows.map((r: { x: number; y: number }) => [r.x, r.y]);
const hazardIds: number[] = (await db.raw("SELECT id::int FROM hazards WHERE id % 40 = 3 ORDER BY id")).rows.map((r: { id: number }) => r.id);
const township: string = (await db.raw("SELECT township_code FROM villages GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")).rows[0].township_code;
const specialty: string = (await db.raw("SELECT unnest(specialties) AS s FROM teams GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")).rows[0].s;
/** Province-sized regions (~20,000 villages each). */
const provinces = ["110,31,113,34", "100,24,104,28", "114,22,117.5,25.5"];

/** `runs` SQL replays (and at most as many distinct requests); `seconds` of HTTP load per client count. */
interface Case {
  name: string;
  runs: number;
  seconds: number;
  clients: number[];
  request: (i: number) => HttpRequest;
}
// Nearest asks by=straight: this database has no road network, and without `by` a question first looks
// for one (three statements more, their answers unused) before answering straight. By road has its own
// bench (./scripts/bench roads).
const cases: Case[] = [
  {
    name: "nearest shelters k=5",
    seconds: 8,
    runs: 400,
    clients: [1, 8],
    request: (i) => ({ path: `/api/v1/nearest?by=straight&layer=shelters&lon=${points[i % points.length]![0]}&lat=${points[i % points.length]![1]}` }),
  },
  {
    name: "nearest depots tent≥20",
    seconds: 8,
    runs: 400,
    clients: [1, 8],
    request: (i) => ({
      path: `/api/v1/nearest?by=straight&layer=depots&item=tent&min_quantity=20&lon=${points[i % points.length]![0]}&lat=${points[i % points.length]![1]}`,
    }),
  },
  {
    name: `nearest teams ${specialty}`,
    seconds: 8,
    runs: 400,
    clients: [1, 8],
    request: (i) => ({
      path: `/api/v1/nearest?by=straight&layer=teams&specialty=${specialty}&status=standby&lon=${points[i % points.length]![0]}&lat=${points[i % points.length]![1]}`,
    }),
  },
  {
    name: "supply plan 2 items ≤100 km",
    seconds: 8,
    runs: 100,
    clients: [1, 8],
    request: (i) => ({
      path: "/api/v1/supply-plan",
      body: {
        lon: points[i % points.length]![0],
        lat: points[i % points.length]![1],
        items: [
          { item: "tent", quantity: 500 },
          { item: "water", quantity: 2000 },
        ],
        max_distance_m: 100_000,
      },
    }),
  },
  {
    name: "shelter capacity 1 township",
    seconds: 10,
    runs: 50,
    clients: [1],
    request: () => ({ path: `/api/v1/shelter-capacity?radius_m=5000&township=${township}` }),
  },
  {
    name: "exposure of a hazard",
    seconds: 8,
    runs: 50,
    clients: [1, 8],
    request: (i) => ({ path: `/api/v1/hazards/${hazardIds[i % hazardIds.length]}/exposure` }),
  },
  {
    name: "evacuation 20 km circle, dense",
    seconds: 6,
    runs: 2,
    clients: [1],
    request: (i) => ({
      path: "/api/v1/evacuation-plan",
      body: { area: { lon: dense[i % dense.length]![0], lat: dense[i % dense.length]![1], radius_m: 20_000 }, max_distance_m: 30_000 },
    }),
  },
  {
    name: "coverage gaps, province (~20k villages)",
    seconds: 10,
    runs: 6,
    clients: [1],
    request: (i) => ({ path: `/api/v1/coverage-gaps?layer=shelters&radius_m=5000&bbox=${provinces[i % provinces.length]}` }),
  },
  ...(quick
    ? []
    : [
        {
          name: "coverage gaps, whole country (1M villages)",
          seconds: 40,
          runs: 2,
          clients: [1],
          request: () => ({ path: "/api/v1/coverage-gaps?layer=shelters&radius_m=5000" }),
        },
      ]),
];

async function http(req: HttpRequest, to = base): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(to + req.path, req.body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(req.body) } : {});
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${req.path} → ${res.status}`);
  return performance.now() - t0;
}

/** The SQL the server ran for a request, seen through the in-process copy. */
const capture = (req: HttpRequest) => captureSql(db, captureBase, req);

/** A request's statements replayed on `client` as the server ran them, timed in ms. */
async function direct(client: pg.Client, statements: Statement[]): Promise<number> {
  const t0 = performance.now();
  await replay(client, statements);
  return performance.now() - t0;
}

async function measure(runs: number, clients: number, one: (i: number, worker: number) => Promise<number>) {
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      while (next < runs) times.push(await one(next++, w));
    }),
  );
  const wall = performance.now() - t0;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), rps: (runs / wall) * 1000 };
}

/** One pg connection per SQL client, as many as the most clients any table drives. */
const clients = await Promise.all(
  Array.from({ length: 16 }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }),
);

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0)).padStart(7);
/** Other work on this machine inflates every figure: the load average is printed beside each table. */
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${cpus().length} cores`;
console.log(`\nhazmap bench · ${n.toLocaleString("en")} villages · ${new Date().toISOString()} · ${load()}`);
// "bare": the same requests to scripts/bare_http.ts, node:http running the very SQL and nothing else (its
// ratio is what HTTP itself costs on this machine; the product's own work is the difference to HTTP's)
console.log("question".padEnd(44), "clients", "  HTTP p50", "  HTTP p99", "  bare p50", "  SQL p50", "  SQL p99", " ratio", "  bare", "  HTTP req/s");
for (const c of tilesOnly ? [] : cases.filter((c) => only === undefined || c.name.startsWith(only))) {
  const requests = Array.from({ length: Math.min(c.runs, points.length) }, (_, i) => c.request(i));
  const statements: Statement[][] = [];
  for (const r of requests) statements.push(await capture(r)); // warm cache too
  const bare = await serveBareHttp(url, Object.fromEntries(requests.map((r, i) => [requestKey(r), statements[i]!])));
  // warm, each request awaited (wrk leaves its last ones running): every pooled connection has prepared and planned
  await measure(Math.min(c.runs, 200), 8, (i) => http(c.request(i)));
  await measure(Math.min(c.runs, 200), 8, (i) => http(requests[i % requests.length]!, bare.base));
  for (const k of c.clients) {
    const h = await wrk(base, requests, k, c.seconds);
    const b = await wrk(bare.base, requests, k, c.seconds);
    const s = await measure(c.runs, k, (i, w) => direct(clients[w]!, statements[i % statements.length]!));
    console.log(
      c.name.padEnd(44),
      String(k).padStart(7),
      ms(h.p50),
      "ms",
      ms(h.p99),
      "ms",
      ms(b.p50),
      "ms",
      ms(s.p50),
      "ms",
      ms(s.p99),
      "ms",
      (h.p50 / s.p50).toFixed(2).padStart(6),
      (b.p50 / s.p50).toFixed(2).padStart(6),
      h.rps.toFixed(0).padStart(12),
    );
  }
  await bare.stop();
}

/** `clients` pg connections replaying `statements` (a request's SQL each) back to back for `seconds`: the SQL's own ceiling. */
async function sqlAlone(statements: Statement[][], k: number, seconds: number) {
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    clients.slice(0, k).map(async (client) => {
      while (performance.now() < end) times.push(await direct(client, statements[next++ % statements.length]!));
    }),
  );
  const wall = performance.now() - t0;
  times.sort((a, b) => a - b);
  return { rps: (times.length / wall) * 1000, p50: times[Math.floor(times.length / 2)]! };
}

// Throughput with several server processes (WORKERS, node:cluster): nearest shelters driven by wrk against
// this run's one process and a second server of two, one after the other, each warmed first, beside the
// same SQL alone through pg with as many clients and the bare HTTP server (scripts/bare_http.ts): on this
// machine the processes share two cores with PostgreSQL and wrk, so the SQL alone is the ceiling no number
// of server processes can pass, and the bare server what any HTTP server could reach below it.
if (!tilesOnly && (only === undefined || "nearest shelters k=5".startsWith(only))) {
  const nearestCase = cases[0]!;
  const requests = Array.from({ length: points.length }, (_, i) => nearestCase.request(i));
  const statements: Statement[][] = [];
  for (const r of requests) statements.push(await capture(r));
  const bare = await serveBareHttp(url, Object.fromEntries(requests.map((r, i) => [requestKey(r), statements[i]!])));
  process.env.WORKERS = "2";
  const two = await serveProduct(url);
  delete process.env.WORKERS;
  await measure(200, 8, (i) => http(requests[i]!, two.base));
  await measure(200, 8, (i) => http(requests[i]!, bare.base));
  console.log(`\n${nearestCase.name}: req/s by server processes, beside the SQL alone and the bare HTTP server (${load()})`);
  console.log("clients".padStart(7), " SQL alone", "      bare", " 1 process", " 2 processes", "  p50 SQL", " p50 bare", "  p50 (1)", "  p50 (2)");
  for (const k of [8, 16]) {
    const sql = await sqlAlone(statements, k, nearestCase.seconds);
    const b = await wrk(bare.base, requests, k, nearestCase.seconds);
    const one = await wrk(base, requests, k, nearestCase.seconds);
    const both = await wrk(two.base, requests, k, nearestCase.seconds);
    console.log(
      String(k).padStart(7),
      sql.rps.toFixed(0).padStart(10),
      b.rps.toFixed(0).padStart(10),
      one.rps.toFixed(0).padStart(10),
      both.rps.toFixed(0).padStart(12),
      ms(sql.p50),
      "ms",
      ms(b.p50),
      "ms",
      ms(one.p50),
      "ms",
      ms(both.p50),
      "ms",
    );
  }
  await Promise.all([two.stop(), bare.stop()]);
}

// Vector tiles: size and time per zoom for the dense points (every tile must stay ≤ 500 KB, p50 ≤ 50 ms).
// Tiles to z8 are kept until a write to their layer: "first" is a tile made afresh (the cache emptied
// before), "kept" the same tile asked for again, as the next map to open asks for it, and "after a
// write" the tile asked for right after a write to a feature in it (made afresh: a kept tile is never
// served after a write), as every map pays during an incident; "write" is that write's own time.
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}
/** A write to one feature of each layer (of its source table) that changes what its tiles show: a rank, a level. */
const TILE_WRITES: Record<string, { table: string; set: string }> = {
  villages: { table: "villages", set: "population = population + 1 - 2 * (population % 2)" },
  shelters: { table: "shelters", set: "capacity = capacity + 1 - 2 * (capacity % 2)" },
  hazards: { table: "hazards", set: "risk_level = 5 - risk_level" },
  "hazard-zones": { table: "hazards", set: "risk_level = 5 - risk_level" },
  townships: { table: "townships", set: "name = name || ''" },
};
const quantile = (times: number[], p: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(p * times.length))]!;
const ms1 = (x: number) => x.toFixed(1).padStart(9);
if (only === undefined) {
  await db.raw("TRUNCATE tile_cache");
  console.log(`\n${load()}`);
  console.log(`\n${"tiles".padEnd(14)} zoom tiles  first p50  first p99   kept p50   kept p99  after write p50  after write p99  write p50  max KB  mean KB`);
  for (const [layer, write] of Object.entries(TILE_WRITES)) {
    for (let z = 0; z <= 14; z++) {
      const addresses = [...new Set([...dense, ...points.slice(0, 30)].map(([x, y]) => tileOf(x, y, z).join("/")))];
      const sizes: number[] = [];
      const fetchTile = async (a: string) => {
        const t0 = performance.now();
        const bytes = await (await fetch(`${base}/tiles/${layer}/${z}/${a}.mvt`)).arrayBuffer();
        sizes.push(bytes.byteLength / 1024);
        return performance.now() - t0;
      };
      const pass = async () => {
        const times: number[] = [];
        for (const a of addresses) times.push(await fetchTile(a));
        return times;
      };
      const [first, kept] = [await pass(), await pass()];
      const afterWrite: number[] = [];
      const writes: number[] = [];
      for (const a of addresses) {
        const [x, y] = a.split("/").map(Number) as [number, number];
        const t0 = performance.now();
        await db.raw(
          `UPDATE ${write.table} SET ${write.set} WHERE id = (SELECT id FROM ${write.table} WHERE geom && ST_Transform(ST_TileEnvelope(?, ?, ?), 4326) ORDER BY id LIMIT 1)`,
          [z, x, y],
        );
        writes.push(performance.now() - t0);
        afterWrite.push(await fetchTile(a));
      }
      console.log(
        layer.padEnd(14),
        String(z).padStart(4),
        String(addresses.length).padStart(5),
        ms1(quantile(first, 0.5)),
        "",
        ms1(quantile(first, 0.99)),
        "",
        ms1(quantile(kept, 0.5)),
        "",
        ms1(quantile(kept, 0.99)),
        "",
        ms1(quantile(afterWrite, 0.5)).padStart(15),
        "",
        ms1(quantile(afterWrite, 0.99)).padStart(15),
        "",
        ms1(quantile(writes, 0.5)),
        Math.max(...sizes)
          .toFixed(0)
          .padStart(7),
        (sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(0).padStart(8),
      );
    }
  }
}
console.log(`${load()}`);

async function explain(title: string, req: HttpRequest) {
  // the question's own statement: the longest one it ran (others are counts and look-ups)
  const [main] = (await capture(req)).sort((a, b) => b.sql.length - a.sql.length);
  const { rows } = await clients[0]!.query(`EXPLAIN (ANALYZE, COSTS OFF) ${main!.sql}`, main!.bindings as unknown[]);
  console.log(`\n-- EXPLAIN ANALYZE: ${title}\n${rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n")}`);
}
if (only === undefined && !tilesOnly) {
  await explain("nearest depots holding tent ≥ 20", cases[1]!.request(0));
  await explain("coverage gaps, one province", cases.find((c) => c.name.startsWith("coverage gaps, province"))!.request(0));
}

await Promise.all(clients.map((c) => c.end()));
capturing.close();
await served.stop();
await db.destroy();
