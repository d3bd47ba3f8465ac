import type pg from "pg";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import type { Db } from "../db.ts";
import { allFields, type Layer } from "../layers/layer.ts";
import type { Field } from "../layers/fields.ts";
import { ident } from "../features/sql.ts";
import { copyField, ewkt } from "./copy_text.ts";
import { tableCatalog, type TableCatalog } from "./table_catalog.ts";
import type { RowError, RowFeature } from "./row_feature.ts";

export interface WriteResult {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows without a code: always inserted as new features. */
  withoutCode: number;
  errors: RowError[];
  /** Errors beyond the first MAX_ERRORS, counted but not listed. */
  moreErrors: number;
}

const MAX_ERRORS = 1000;
/** A load this large, and larger than the table, rebuilds spatial indexes instead of updating them row by row. */
const BULK_ROWS = 100_000;
const ROWS_PER_CHUNK = 2000;

const SQL_TYPES: Record<Field["kind"], string> = {
  text: "text", integer: "bigint", number: "double precision", date: "date", boolean: "boolean", enum: "text", text_list: "text[]",
};

/**
 * Write a file's features into a layer in ONE transaction, all or nothing: rows stream by COPY into a
 * temporary table, PostgreSQL checks them as a set (geometry validity, duplicates in the file, codes
 * taken by other features, references), then upserts by `code`. Any rejected row — here or reported by
 * the caller — rolls everything back; a dry run rolls back too, after counting. Per-row change
 * notifications are off (`hazmap.bulk`); one `{layer, op: "import"}` notification says the layer changed.
 */
export async function writeFeatures(db: Db, layer: Layer, features: AsyncIterable<RowFeature | RowError[]>, { dryRun }: { dryRun: boolean }): Promise<WriteResult> {
  const columns = Object.keys(allFields(layer));
  const fields = allFields(layer);
  const t = ident(layer.table);
  const result: WriteResult = { rows: 0, inserted: 0, updated: 0, unchanged: 0, withoutCode: 0, errors: [], moreErrors: 0 };
  const reject = (errors: RowError[]) => {
    for (const e of errors) result.errors.length < MAX_ERRORS ? result.errors.push(e) : result.moreErrors++;
  };

  const client = (await db.client.acquireConnection()) as pg.PoolClient;
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('hazmap.bulk', 'on', true), set_config('work_mem', '256MB', true), set_config('statement_timeout', '0', true)");
    const catalog = await tableCatalog(client, layer.table);
    await client.query(`CREATE TEMP TABLE import_rows (row integer, ${columns.map((c) => `${ident(c)} ${SQL_TYPES[fields[c]!.kind]}`).join(", ")}, geom geometry) ON COMMIT DROP`);

    const multi = layer.storedAs === "MultiPolygon";
    async function* copyText(): AsyncGenerator<string> {
      let chunk = "";
      let n = 0;
      for await (const f of features) {
        result.rows++;
        if (Array.isArray(f)) {
          reject(f);
          continue;
        }
        if (f.properties.code === undefined) result.withoutCode++;
        let line = String(f.row);
        for (const c of columns) line += "\t" + copyField(f.properties[c]);
        chunk += `${line}\t${ewkt(f.geometry, multi)}\n`;
        if (++n % ROWS_PER_CHUNK === 0) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk) yield chunk;
    }
    await pipeline(Readable.from(copyText()), client.query(copyFrom(`COPY import_rows (row, ${columns.map(ident).join(", ")}, geom) FROM STDIN`)));

    await client.query("ANALYZE import_rows"); // true row counts, so the checks and the upsert join instead of looping
    reject(await setChecks(client, layer, catalog));
    if (result.errors.length > 0) {
      result.errors.sort((a, b) => a.row - b.row);
      await client.query("ROLLBACK");
      return result;
    }

    const matched = await count(client, `SELECT count(*) FROM import_rows s JOIN ${t} t ON t.code = s.code`);
    const kept = (c: string) => `coalesce(s.${ident(c)}, t.${ident(c)})`;
    result.updated = await count(client, `
      WITH changed AS (
        UPDATE ${t} t SET ${columns.map((c) => `${ident(c)} = ${kept(c)}`).join(", ")}, geom = s.geom
        FROM import_rows s WHERE t.code = s.code
          AND (${columns.map((c) => `t.${ident(c)}`).join(", ")}, t.geom) IS DISTINCT FROM (${columns.map(kept).join(", ")}, s.geom)
        RETURNING 1)
      SELECT count(*) FROM changed`);
    result.unchanged = matched - result.updated;
    // what is left is new: the insert then never reads the table it writes (a plan that did would grow with every row)
    if (matched > 0) await client.query(`DELETE FROM import_rows s USING ${t} t WHERE t.code = s.code`);

    const adding = result.rows - matched;
    const rebuild = adding >= BULK_ROWS && adding > (await count(client, `SELECT count(*) FROM ${t}`));
    if (rebuild) for (const i of catalog.spatialIndexes) await client.query(`DROP INDEX ${ident(i.name)}`);
    const valueOf = (c: string) => (catalog.defaults.has(c) ? `coalesce(s.${ident(c)}, ${catalog.defaults.get(c)})` : `s.${ident(c)}`);
    result.inserted = await count(client, `
      WITH added AS (
        INSERT INTO ${t} (${columns.map(ident).join(", ")}, geom)
        SELECT ${columns.map(valueOf).join(", ")}, s.geom FROM import_rows s
        RETURNING 1)
      SELECT count(*) FROM added`);
    if (rebuild) for (const i of catalog.spatialIndexes) await client.query(i.definition);

    if (result.inserted + result.updated > 0) {
      await client.query("SELECT pg_notify('hazmap_changes', json_build_object('layer', $1::text, 'op', 'import')::text)", [layer.table]);
    }
    await client.query(dryRun ? "ROLLBACK" : "COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await db.client.releaseConnection(client);
  }
}

async function count(client: pg.ClientBase, sql: string): Promise<number> {
  const { rows } = await client.query<{ count: string }>(sql);
  return Number(rows[0]!.count);
}

/** Checks only the whole set can answer, each as one query over the staged rows. */
async function setChecks(client: pg.ClientBase, layer: Layer, catalog: TableCatalog): Promise<RowError[]> {
  const t = ident(layer.table);
  const errors: RowError[] = [];
  const collect = async (sql: string, field: (r: Record<string, unknown>) => string, message: (r: Record<string, unknown>) => string) => {
    const { rows } = await client.query(sql);
    for (const r of rows) errors.push({ row: Number(r.row), field: field(r), message: message(r) });
  };
  // a point with coordinates in range (the schema checked them) is always valid
  if (layer.storedAs !== "Point") {
    await collect("SELECT row, ST_IsValidReason(geom) AS reason FROM import_rows WHERE NOT ST_IsValid(geom)", () => "geometry", (r) => `invalid geometry: ${r.reason}`);
  }
  const fields = allFields(layer);
  for (const column of catalog.unique.filter((c) => c in fields)) {
    const c = ident(column);
    await collect(
      `SELECT s.row, s.${c} AS value, d.first FROM (SELECT ${c}, min(row) AS first FROM import_rows WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1) d
       JOIN import_rows s ON s.${c} = d.${c} AND s.row > d.first`,
      () => column, (r) => `duplicate ${column} ${JSON.stringify(r.value)}: already on row ${r.first} of this file`);
    if (column !== "code") {
      // taken by a feature the import does not update (another code, or a row without one)
      await collect(
        `SELECT s.row, s.${c} AS value FROM import_rows s JOIN ${t} t ON t.${c} = s.${c} WHERE s.code IS NULL OR t.code IS DISTINCT FROM s.code`,
        () => column, (r) => `${column} ${JSON.stringify(r.value)} is already used by another feature of ${layer.name}`);
    }
  }
  for (const ref of catalog.references.filter((r) => r.column in fields)) {
    const c = ident(ref.column);
    await collect(
      `SELECT s.row, s.${c} AS value FROM import_rows s WHERE s.${c} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ident(ref.table)} r WHERE r.${ident(ref.refColumn)} = s.${c})`,
      () => ref.column, (r) => `${JSON.stringify(r.value)} refers to no ${ref.table} ${ref.refColumn}`);
  }
  return errors;
}
