// Imports of 1,000,000 village points: ogr2ogr -f PostgreSQL (PG_USE_COPY) of a GeoJSON and a CSV file
// into a fresh scratch database, beside the product's import of the same file over HTTP (validation
// included) into a fresh migrated scratch database, in the same run. The files are written from
// hazmap_scale (read only); scratch databases and files are dropped at the end.
// Usage: SCALE_DATABASE_URL=postgres://postgres@127.0.0.1:5433/hazmap_scale npx tsx scripts/bench-import.ts [--rows N]
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { request, type IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { createDb } from "../server/db.ts";
import { migrate } from "../server/migrate.ts";
import { createAccount } from "../server/auth/accounts.ts";
import { createToken } from "../server/auth/tokens.ts";
import { serveProduct, type Served } from "./serve_product.ts";
import { ogrPostgres } from "./ogr_postgres.ts";

const url = process.env.SCALE_DATABASE_URL;
if (!url) throw new Error("SCALE_DATABASE_URL is not set; run ./scripts/seed-scale, then this with SCALE_DATABASE_URL");
const { values: args } = parseArgs({ options: { rows: { type: "string", default: "1000000" } } });
const rows = Number(args.rows);

const dbUrl = (name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
async function onServer(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: dbUrl("postgres") });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
const OGR_DB = `hazmap_bench_import_ogr_${process.pid}`;
const PRODUCT_DB = `hazmap_bench_import_product_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "hazmap-bench-import-"));
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** The villages as the files a bureau would have: code, name, admin code, people, lon/lat (township codes left out: the scratch database has no townships). */
async function writeFiles(): Promise<{ geojson: string; csv: string }> {
  const source = new pg.Client({ connectionString: url });
  await source.connect();
  const select = `SELECT id, 'V' || id AS code, name, admin_code, population, households, vulnerable, geom FROM villages ORDER BY id LIMIT ${rows}`;
  const csv = join(dir, "villages.csv");
  await pipeline(
    source.query(
      copyTo(
        `COPY (SELECT code, name, admin_code, population, households, vulnerable, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM (${select}) v) TO STDOUT (FORMAT csv, HEADER)`,
      ),
    ),
    createWriteStream(csv),
  );
  // one Feature per line, written as is (a quote and delimiter that never occur keep csv from quoting)
  const geojson = join(dir, "villages.geojson");
  const features = source.query(
    copyTo(`COPY (SELECT CASE WHEN row_number() OVER (ORDER BY id) = 1 THEN '' ELSE ',' END ||
      json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(geom)::json, 'properties',
        json_build_object('code', code, 'name', name, 'admin_code', admin_code, 'population', population, 'households', households, 'vulnerable', vulnerable))::text
    FROM (${select}) v ORDER BY id) TO STDOUT (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`),
  );
  await pipeline(
    Readable.from(
      (async function* () {
        yield '{"type":"FeatureCollection","features":[\n';
        for await (const chunk of features) yield chunk;
        yield "]}\n";
      })(),
    ),
    createWriteStream(geojson),
  );
  await source.end();
  return { geojson, csv };
}

async function freshDatabase(name: string, migrated: boolean) {
  await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await onServer(`CREATE DATABASE "${name}"`);
  const db = createDb({ DATABASE_URL: dbUrl(name), DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 600_000 });
  await (migrated ? migrate(db) : db.raw("CREATE EXTENSION postgis"));
  await db.destroy();
}

/** An API token of a county-level clerk (townships "*"), who may import anywhere. */
async function clerkToken(name: string): Promise<string> {
  const db = createDb({ DATABASE_URL: dbUrl(name), DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 600_000 });
  try {
    const clerk = await createAccount(db, { username: "bench-import", password: randomBytes(24).toString("base64url"), roles: ["clerk"], townships: ["*"] });
    return (await createToken(db, clerk.id, "bench-import")).token;
  } finally {
    await db.destroy();
  }
}

/** ogr2ogr -f PostgreSQL with COPY into a fresh database (its own table, spatial index built at the end). */
async function ogr(file: string, format: "geojson" | "csv"): Promise<number> {
  await freshDatabase(OGR_DB, false);
  const csvOptions = [
    "-oo",
    "X_POSSIBLE_NAMES=lon",
    "-oo",
    "Y_POSSIBLE_NAMES=lat",
    "-oo",
    "KEEP_GEOM_COLUMNS=NO",
    "-oo",
    "AUTODETECT_TYPE=YES",
    "-a_srs",
    "EPSG:4326",
  ];
  const t0 = performance.now();
  execFileSync(
    "ogr2ogr",
    ["-f", "PostgreSQL", ogrPostgres(dbUrl(OGR_DB)), file, "-nln", "villages", "-lco", "GEOMETRY_NAME=geom", ...(format === "csv" ? csvOptions : [])],
    { env: { ...process.env, PG_USE_COPY: "YES" }, stdio: "inherit" },
  );
  return seconds(t0);
}

/** The product's import over HTTP into an empty, migrated database, from the first byte sent to the report. */
async function product(base: string, token: string, file: string, format: "geojson" | "csv"): Promise<{ s: number; report: Record<string, unknown> }> {
  const size = statSync(file).size;
  const t0 = performance.now();
  // node:http, not fetch: fetch gives up on a response that takes over 5 minutes to start
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(
      `${base}/api/v1/layers/villages/import?format=${format}`,
      { method: "POST", headers: { "content-type": "application/octet-stream", "content-length": size, authorization: `Bearer ${token}` } },
      resolve,
    );
    req.on("error", reject);
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(req);
  });
  let text = "";
  for await (const chunk of res) text += chunk;
  const report = JSON.parse(text) as Record<string, unknown>;
  const s = seconds(t0);
  if (res.statusCode !== 200 || report.inserted !== rows)
    throw new Error(`product import of ${format} → ${res.statusCode} ${JSON.stringify(report).slice(0, 500)}`);
  return { s, report };
}

let server: Served | undefined;
try {
  console.error(`writing ${rows.toLocaleString("en")} villages to files…`);
  const files = await writeFiles();
  await freshDatabase(PRODUCT_DB, true);
  const token = await clerkToken(PRODUCT_DB);
  server = await serveProduct(dbUrl(PRODUCT_DB));
  const base = server.base;

  const table: string[] = [];
  for (const format of ["geojson", "csv"] as const) {
    const file = files[format];
    const ogrS = await ogr(file, format);
    const db = createDb({ DATABASE_URL: dbUrl(PRODUCT_DB), DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 600_000 });
    await db.raw("TRUNCATE villages CASCADE"); // empty again: as fresh as a new database
    await db.destroy();
    const { s } = await product(base, token, file, format);
    table.push(
      `| ${format.padEnd(7)} | ${(statSync(file).size / 1e6).toFixed(0).padStart(5)} MB | ${ogrS.toFixed(1).padStart(6)} s | ${s.toFixed(1).padStart(6)} s | ${(s / ogrS).toFixed(2).padStart(5)} |`,
    );
  }
  console.log(`\nhazmap import bench · ${rows.toLocaleString("en")} village points · ${new Date().toISOString()} (2 shared cores: figures are noisy)`);
  console.log("| file    |    size | ogr2ogr  | product  | ratio |");
  console.log("|---------|---------|----------|----------|-------|");
  for (const line of table) console.log(line);
} finally {
  await server?.stop();
  await onServer(`DROP DATABASE IF EXISTS "${OGR_DB}" WITH (FORCE)`);
  await onServer(`DROP DATABASE IF EXISTS "${PRODUCT_DB}" WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
}
