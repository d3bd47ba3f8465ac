// Export a layer to a file, straight from the database (DATABASE_URL), with the server's writers:
//   npm run export -- --layer village-risk --format gpkg --out risk.gpkg [--bbox minLon,minLat,maxLon,maxLat] [--<attribute> value]
import { createWriteStream, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../server/config.ts";
import { createDb } from "../server/db.ts";
import { findLayer, LAYERS } from "../server/layers/index.ts";
import { allFields } from "../server/layers/layer.ts";
import { schemasOf } from "../server/features/schemas.ts";
import { Problem } from "../server/http/problem.ts";
import { parse } from "../server/http/parse.ts";
import { exportableFields } from "../server/formats/columns.ts";
import { FORMAT_NAMES, FORMATS, type FormatName } from "../server/formats/formats.ts";

const usage = `usage: npm run export -- --layer <${LAYERS.map((l) => l.name).join("|")}> --format <${FORMAT_NAMES.join("|")}> --out <file> [--bbox minLon,minLat,maxLon,maxLat] [--<attribute> value]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

const base = { layer: { type: "string" }, format: { type: "string" }, out: { type: "string" } } as const;
const layer = findLayer(String(parseArgs({ options: base, strict: false }).values.layer));
if (!layer) fail("--layer: no such layer");
// the layer's attributes are options too, as filters (--township_code 320102003000)
const filterOptions = Object.fromEntries(["bbox", "q", ...Object.keys(allFields(layer))].map((n) => [n, { type: "string" } as const]));
let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({ options: { ...base, ...filterOptions }, strict: true }).values;
} catch (e) {
  fail((e as Error).message);
}
const { layer: _layer, format, out, ...query } = values;
if (!FORMAT_NAMES.includes(format as FormatName)) fail(`--format: must be one of ${FORMAT_NAMES.join(", ")}`);
if (typeof out !== "string") fail("--out: the file to write is required");

let where;
try {
  const { bbox, q, filters } = parse(schemasOf(layer).list, query);
  where = { bbox, q, filters };
} catch (e) {
  if (!(e instanceof Problem)) throw e;
  fail(e.errors!.map((err) => `--${err.path.join(".")}: ${err.message}`).join("\n"));
}

const db = createDb({ ...loadConfig(), DB_POOL_MAX: 1 });
const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);
let rows = 0;
let shown = 0;
const progress = (n: number) => {
  rows = n;
  if (performance.now() - shown < 1000) return;
  shown = performance.now();
  process.stderr.write(`${layer.name}: ${n.toLocaleString("en")} rows read, ${seconds()} s${process.stderr.isTTY ? "\r" : "\n"}`);
};
try {
  await FORMATS[format as FormatName].write(db, { layer, where, fields: exportableFields(layer), progress }, createWriteStream(out));
  process.stderr.write(`${layer.name}: ${rows.toLocaleString("en")} rows written to ${out} in ${seconds()} s\n`);
} catch (e) {
  rmSync(out, { force: true });
  throw e;
} finally {
  await db.destroy();
}
