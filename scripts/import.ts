// Import a file into a layer, straight into the database (DATABASE_URL), with the same code as
// POST /api/v1/layers/:layer/import. Progress (bytes read) on stderr, the report on stdout; exit 1
// when any row is rejected (nothing is written then).
//   npm run import -- --layer shelters --file x.csv [--format csv] [--crs gcj02|EPSG:4547] [--encoding gbk] [--dry-run]
//   npm run import -- --layer roads --file roads.zip   (a zipped shapefile; .gpkg: a GeoPackage)
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../server/config.ts";
import { createDb } from "../server/db.ts";
import { findLayer } from "../server/layers/index.ts";
import { CRS, CRS_PATTERN, crsParam } from "../server/import/to_wgs84.ts";
import { ENCODINGS, type Encoding } from "../server/import/decode_text.ts";
import { FORMATS, importFeatures, type Format } from "../server/import/import_features.ts";

const { values: args } = parseArgs({
  options: {
    layer: { type: "string" },
    file: { type: "string" },
    format: { type: "string" },
    crs: { type: "string" },
    "file-layer": { type: "string" },
    encoding: { type: "string" },
    "dry-run": { type: "boolean", default: false },
  },
});
const fail = (message: string): never => {
  console.error(
    `import: ${message}\nusage: npm run import -- --layer shelters --file x.csv [--format ${FORMATS.join("|")}] [--crs ${CRS.join("|")}|EPSG:<code>] [--file-layer <name>] [--encoding ${ENCODINGS.join("|")}] [--dry-run]`,
  );
  process.exit(2);
};
const layer = findLayer(args.layer ?? "") ?? fail(`no layer ${JSON.stringify(args.layer ?? "")}`);
if (layer.readOnly) fail(`${layer.name} is derived from other layers and cannot be imported into`);
const file = args.file ?? fail("--file is required");
const format = (args.format ??
  extname(file)
    .slice(1)
    .toLowerCase()
    .replace(/^json$/, "geojson")
    .replace(/^zip$/, "shapefile")
    .replace(/^gpkg$/, "geopackage")) as Format;
if (!FORMATS.includes(format)) fail(`format ${JSON.stringify(format)} is not one of ${FORMATS.join(", ")}`);
if (args.crs !== undefined && !CRS_PATTERN.test(args.crs)) fail(`crs must be one of ${CRS.join(", ")} or EPSG:<code>`);
if (args.encoding && !ENCODINGS.includes(args.encoding as Encoding)) fail(`encoding must be one of ${ENCODINGS.join(", ")}`);

const total = (await stat(file)).size;
let read = 0;
let shown = -1;
/** A bar on stderr, redrawn at each percent. */
function progress(done = false) {
  const percent = total ? Math.floor((read / total) * 100) : 100;
  if (percent === shown && !done) return;
  shown = percent;
  const width = 30;
  const bar = "█".repeat(Math.round((percent / 100) * width)).padEnd(width, "░");
  process.stderr.write(`\r${bar} ${percent}% ${(read / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB${done ? "\n" : ""}`);
}
async function* bytes(): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    read += chunk.length;
    progress();
    yield chunk;
  }
  progress(true);
}

const db = createDb({ ...loadConfig(), DB_POOL_MAX: 2 });
try {
  const report = await importFeatures(db, layer, bytes(), {
    format,
    crs: args.crs === undefined ? undefined : crsParam(args.crs),
    fileLayer: args["file-layer"],
    dryRun: args["dry-run"],
    encoding: args.encoding as Encoding | undefined,
  });
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = report.errors.length > 0 ? 1 : 0;
} catch (e) {
  console.error(`import: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
