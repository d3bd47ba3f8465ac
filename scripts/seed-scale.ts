// Fill a (migrated) database with national-scale benchmark data: runs scripts/seed-scale.sql one
// "-- @step NAME" section at a time on a single connection (its temporary helpers and its
// transaction span the steps), printing each step's time and, at the end, the row counts.
// Usage: SCALE_DATABASE_URL=postgres://… npx tsx scripts/seed-scale.ts   (scripts/seed-scale sets it up)
import { readFile } from "node:fs/promises";
import pg from "pg";

const url = process.env.SCALE_DATABASE_URL;
if (!url) throw new Error("SCALE_DATABASE_URL is not set");

const log = (message: string) => console.error(`\x1b[1m[hazmap]\x1b[0m ${message}`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

const source = await readFile(new URL("./seed-scale.sql", import.meta.url), "utf8");
const steps = source
  .split(/^-- @step /m)
  .slice(1) // before the first step: the file's header comment
  .map((section) => {
    const end = section.indexOf("\n");
    return { name: section.slice(0, end).trim(), sql: section.slice(end + 1) };
  });

const client = new pg.Client({ connectionString: url, application_name: "hazmap-seed-scale" });
client.on("notice", (notice) => log(`  ${notice.message}`));
await client.connect();
try {
  const start = performance.now();
  for (const [index, step] of steps.entries()) {
    const began = performance.now();
    log(`step ${index + 1}/${steps.length}: ${step.name} …`);
    await client.query(step.sql);
    log(`step ${index + 1}/${steps.length}: ${step.name} done in ${seconds(began)}`);
  }
  log(`seeded in ${seconds(start)}`);

  const tables = ["townships", "villages", "shelters", "depots", "depot_stock", "teams", "hazards", "items"];
  const { rows } = await client.query<{ name: string; count: string }>(
    tables.map((t, i) => `SELECT ${i} AS i, '${t}' AS name, count(*) FROM ${t}`).join(" UNION ALL ") + " ORDER BY i",
  );
  for (const r of rows) log(`  ${r.name.padEnd(12)} ${Number(r.count).toLocaleString("en").padStart(10)}`);
} finally {
  await client.end();
}
