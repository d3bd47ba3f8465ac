// OGC API – Features at national scale: p50/p99 over HTTP beside the very SQL the server ran,
// replayed through pg in the same run, and their ratio (what HTTP, JSON links and Node add).
// Usage: SCALE_DATABASE_URL=postgres://…/hazmap_scale npx tsx scripts/bench-ogc.ts [--quick]
import type { AddressInfo } from "node:net";
import pg from "pg";
import { createDb } from "../server/db.ts";
import { buildApp } from "../server/app.ts";
import { serveProduct } from "./serve_product.ts";

const url = process.env.SCALE_DATABASE_URL;
if (!url) throw new Error("SCALE_DATABASE_URL is not set");
const runs = process.argv.includes("--quick") ? 30 : 200;

const db = createDb({ DATABASE_URL: url, DB_POOL_MAX: 10, STATEMENT_TIMEOUT_MS: 120_000 });
const [{ n }] = (await db.raw("SELECT count(*)::int AS n FROM villages")).rows;

// The measured server is a process of its own; an in-process copy only captures the SQL each request runs.
const served = await serveProduct(url);
const base = `${served.base}/ogc`;
const capturing = buildApp({ db, access: { anonymousRead: true } }).listen(0, "127.0.0.1");
await new Promise((r) => capturing.once("listening", r));
const captureBase = `http://127.0.0.1:${(capturing.address() as AddressInfo).port}/ogc`;

/** Pages deep into the collection: the id a `next` link carries to get there, and the plain offset. */
const depths = [0, 10_000, 100_000, 500_000, 990_000].filter((d) => d < n);
const afterIds: number[] = await Promise.all(
  depths.map(async (d) => (await db.raw("SELECT id::int FROM villages ORDER BY id OFFSET ? LIMIT 1", [d])).rows[0].id - 1),
);
/** The densest places: sample villages with the most neighbours within ±0.1°. */
const dense: [number, number][] = (
  await db.raw(`
  SELECT ST_X(p.geom) AS x, ST_Y(p.geom) AS y FROM (SELECT geom FROM villages WHERE id % 5000 = 11) p
  ORDER BY (SELECT count(*) FROM villages v WHERE v.geom && ST_Expand(p.geom, 0.1)) DESC LIMIT 8`)
).rows.map((r: { x: number; y: number }) => [r.x, r.y]);
const box = ([x, y]: [number, number], half: number) => [x - half, y - half, x + half, y + half].map((v) => v.toFixed(4)).join(",");
const itemIds: number[] = (await db.raw("SELECT id::int FROM villages WHERE id % 50000 = 17 ORDER BY id")).rows.map((r: { id: number }) => r.id);

interface Case {
  name: string;
  path: (i: number) => string;
}
const cases: Case[] = [
  ...depths.map((d, k) => ({
    name: `10 villages, next link at #${d.toLocaleString("en")}`,
    path: () => `/collections/villages/items?limit=10${d ? `&after=${afterIds[k]}` : ""}`,
  })),
  ...depths
    .filter((d) => d > 0)
    .map((d) => ({ name: `10 villages, offset=${d.toLocaleString("en")}`, path: () => `/collections/villages/items?limit=10&offset=${d}` })),
  { name: "0.2° bbox, limit 1000, dense", path: (i: number) => `/collections/villages/items?limit=1000&bbox=${box(dense[i % dense.length]!, 0.1)}` },
  { name: "0.3° bbox, limit 1000, dense", path: (i: number) => `/collections/villages/items?limit=1000&bbox=${box(dense[i % dense.length]!, 0.15)}` },
  { name: "one village by id", path: (i: number) => `/collections/villages/items/${itemIds[i % itemIds.length]}` },
  { name: "one village-risk by id (derived)", path: (i: number) => `/collections/village-risk/items/${itemIds[i % itemIds.length]}` },
];

async function get(to: string): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(to, { headers: { accept: "application/geo+json" } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${to} → ${res.status}: ${body}`);
  return { ms: performance.now() - t0, body };
}

type Statement = { sql: string; bindings: unknown[] };
/** The SQL the server ran for a request, from knex's query events. */
async function capture(path: string): Promise<{ statements: Statement[]; returned: number }> {
  const statements: Statement[] = [];
  const listen = (q: Statement) => statements.push({ sql: q.sql, bindings: q.bindings });
  db.on("query", listen);
  const { body } = await get(captureBase + path);
  db.removeListener("query", listen);
  const doc = JSON.parse(body);
  return { statements, returned: doc.type === "Feature" ? 1 : doc.numberReturned };
}

const clients = await Promise.all(
  [0, 1, 2].map(async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }),
);
/** The statements as the server runs them: the page first, then the count and the previous page's start together. */
async function direct([page, ...after]: Statement[]): Promise<number> {
  const t0 = performance.now();
  await clients[0]!.query(page!.sql, page!.bindings);
  await Promise.all(after.map((s, i) => clients[i + 1]!.query(s.sql, s.bindings)));
  return performance.now() - t0;
}

const quantiles = (xs: number[]) => {
  xs.sort((a, b) => a - b);
  const at = (q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
};

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0)).padStart(7);
console.log(`\nhazmap OGC API bench · ${n.toLocaleString("en")} villages · ${new Date().toISOString()} · ${runs} runs per case, 1 client`);
console.log("request".padEnd(40), "items", "  HTTP p50", "  HTTP p99", "  SQL p50", "  SQL p99", " ratio");
for (const c of cases) {
  const captured: Awaited<ReturnType<typeof capture>>[] = [];
  for (let i = 0; i < 8; i++) captured.push(await capture(c.path(i))); // one at a time: the listener sees every query
  const http: number[] = [];
  const sql: number[] = [];
  for (let i = 0; i < runs; i++) http.push((await get(base + c.path(i))).ms);
  for (let i = 0; i < runs; i++) sql.push(await direct(captured[i % captured.length]!.statements));
  const h = quantiles(http);
  const s = quantiles(sql);
  const items = Math.round(captured.reduce((a, x) => a + x.returned, 0) / captured.length);
  console.log(
    c.name.padEnd(40),
    String(items).padStart(5),
    ms(h.p50),
    "ms",
    ms(h.p99),
    "ms",
    ms(s.p50),
    "ms",
    ms(s.p99),
    "ms",
    (h.p50 / s.p50).toFixed(2).padStart(6),
  );
}

await Promise.all(clients.map((c) => c.end()));
capturing.close();
await served.stop();
await db.destroy();
