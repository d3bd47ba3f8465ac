// Exports of the 1,000,000 villages per format: the product over HTTP (total time, time to first byte,
// the server's memory growth) beside ogr2ogr writing the same format from PostGIS, in the same run.
// Usage: SCALE_DATABASE_URL=postgres://postgres@127.0.0.1:5433/hazmap_scale npx tsx scripts/bench-export.ts [geojson csv …]
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { get, type IncomingMessage } from "node:http";
import { pipeline } from "node:stream/promises";
import { FORMAT_NAMES, FORMATS, type FormatName } from "../server/formats/formats.ts";
import { benchAuthorization, serveProduct } from "./serve_product.ts";
import { ogrPostgres } from "./ogr_postgres.ts";

const url = process.env.SCALE_DATABASE_URL;
if (!url) throw new Error("SCALE_DATABASE_URL is not set; run ./scripts/seed-scale, then this with SCALE_DATABASE_URL");
const formats = (process.argv.slice(2).length ? process.argv.slice(2) : FORMAT_NAMES) as FormatName[];
const layer = "villages";

/** ogr2ogr's driver and options for the same file. */
const OGR: Record<FormatName, { driver: string; options: string[] }> = {
  geojson: { driver: "GeoJSON", options: [] },
  csv: { driver: "CSV", options: ["-lco", "GEOMETRY=AS_XY"] },
  kml: { driver: "KML", options: [] },
  shp: { driver: "ESRI Shapefile", options: ["-lco", "ENCODING=UTF-8"] },
  gpkg: { driver: "GPKG", options: [] },
};

const server = await serveProduct(url);
const authorization = await benchAuthorization(url, ["analyst"]);
const base = server.base;

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))![1]) / 1024;
const dir = mkdtempSync(join(tmpdir(), "hazmap-bench-export-"));
const pgSource = ogrPostgres(url);

async function product(format: FormatName) {
  const out = join(dir, `product.${FORMATS[format].extension}`);
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 20);
  const t0 = performance.now();
  // a connection of its own: a kept-alive one may be closed by the server while ogr2ogr runs
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get(`${base}/api/v1/layers/${layer}/export?format=${format}`, { agent: false, headers: { authorization } }, resolve).on("error", reject),
  );
  if (res.statusCode !== 200) throw new Error(`${format}: HTTP ${res.statusCode}`);
  let firstByte = 0;
  await pipeline(
    res.on("data", () => (firstByte ||= performance.now() - t0)),
    createWriteStream(out),
  );
  const total = performance.now() - t0;
  clearInterval(sampler);
  const size = statSync(out).size;
  rmSync(out);
  return { total, firstByte, growth: peak - before, size };
}

function ogr2ogr(format: FormatName) {
  const out = mkdtempSync(join(dir, "ogr-")); // a shapefile is several files
  const t0 = performance.now();
  execFileSync("ogr2ogr", ["-f", OGR[format].driver, ...OGR[format].options, join(out, `${layer}.${format}`), pgSource, layer], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  const total = performance.now() - t0;
  rmSync(out, { recursive: true, force: true });
  return total;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9);
console.log(`\nhazmap export bench · ${layer} · ${new Date().toISOString()}`);
console.log("format ", "  product", "  1st byte", " RSS growth", "      size", "  ogr2ogr", " ratio");
try {
  for (const format of formats) {
    await product(format); // warm the cache, so both sides read the table from memory
    const p = await product(format);
    const o = ogr2ogr(format);
    console.log(
      format.padEnd(7),
      s(p.total),
      s(p.firstByte),
      `${p.growth.toFixed(0)} MB`.padStart(11),
      `${(p.size / 2 ** 20).toFixed(0)} MB`.padStart(10),
      s(o),
      (p.total / o).toFixed(2).padStart(6),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
}
