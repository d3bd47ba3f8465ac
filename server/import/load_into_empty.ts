import type pg from "pg";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { allFields, type Layer } from "../layers/layer.ts";
import { ident } from "../features/sql.ts";
import { asStored, copyLine } from "./copy_text.ts";
import type { Duplicates } from "./duplicates.ts";
import type { RowError, RowFeature } from "./row_feature.ts";
import { SQL_TYPES, type Written } from "./staged_upsert.ts";
import { BULK_ROWS, type TableCatalog } from "./table_catalog.ts";

/**
 * Whether an import can go straight into the layer's table: a point layer (a point in range is always
 * valid) that holds no feature. Then it stays empty for others until the import ends (a SHARE ROW
 * EXCLUSIVE lock: others' writes wait, reads go on).
 */
export async function loadsIntoEmpty(client: pg.ClientBase, layer: Layer): Promise<boolean> {
  if (layer.storedAs !== "Point") return false;
  const empty = async () => (await client.query(`SELECT NOT EXISTS (SELECT 1 FROM ${ident(layer.table)}) AS empty`)).rows[0].empty as boolean;
  if (!(await empty())) return false;
  await client.query(`LOCK TABLE ${ident(layer.table)} IN SHARE ROW EXCLUSIVE MODE`);
  return empty();
}

/**
 * The first load of a layer, by COPY straight into its table: PostgreSQL stores and indexes the rows
 * while the file is still being read, with no staging table to fill and read again. The staged checks
 * have nothing to find here but bad references: no other feature holds a code, the duplicates were
 * counted on the way (and kept out of the table), a point is valid. A bad reference makes the table's
 * foreign key refuse the COPY; the values given are then looked up to name the rows. A load of
 * BULK_ROWS or more (known once that many rows have been read) builds the spatial indexes afterwards.
 * Returns what was written, or the errors (none listed when only `rejected` rows stop the import).
 */
export async function loadIntoEmpty(client: pg.ClientBase, layer: Layer, catalog: TableCatalog, features: AsyncIterable<RowFeature[]>, duplicates: Duplicates, rejected: () => boolean): Promise<Written | RowError[]> {
  const fields = allFields(layer);
  const columns = Object.keys(fields);
  const t = ident(layer.table);
  // a cell left empty takes the column's default, as the staged insert's coalesce(value, default) gives it
  const defaulted = columns.filter((c) => catalog.defaults.has(c));
  const defaults: Record<string, unknown> = defaulted.length === 0 ? {} : (await client.query(`SELECT ${defaulted.map((c) => `${catalog.defaults.get(c)} AS ${ident(c)}`).join(", ")}`)).rows[0];
  const references = catalog.references.filter((r) => r.column in fields).map((r) => ({ ...r, rows: new Map<string, number[]>() }));

  let rows = 0;
  async function* copyText(): AsyncGenerator<string> {
    for await (const batch of features) {
      let chunk = "";
      for (const f of batch) {
        for (const r of references) {
          const v = f.properties[r.column];
          if (v === undefined) continue;
          const key = String(asStored(v));
          const at = r.rows.get(key);
          if (at) at.push(f.row);
          else r.rows.set(key, [f.row]);
        }
        if (duplicates.add(f)) continue; // the unique index would refuse it
        chunk += copyLine(f.properties, columns, f.geometry, false, defaults) + "\n";
        rows++;
      }
      if (chunk) yield chunk;
    }
  }
  const text = copyText();
  const head: string[] = [];
  for (let next; rows < BULK_ROWS && !(next = await text.next()).done; ) head.push(next.value);
  const rebuild = rows >= BULK_ROWS;
  if (rebuild) for (const i of catalog.spatialIndexes) await client.query(`DROP INDEX ${ident(i.name)}`);

  await client.query("SAVEPOINT load");
  const copy = client.query(copyFrom(`COPY ${t} (${columns.map(ident).join(", ")}, geom) FROM STDIN`));
  let refused: unknown;
  try {
    await pipeline(Readable.from((async function* () {
      yield* head;
      yield* text;
    })()), copy);
  } catch (e) {
    if ((e as { code?: string }).code !== "23503") throw e; // foreign_key_violation
    refused = e;
    await client.query("ROLLBACK TO SAVEPOINT load");
  }

  if (refused === undefined && !rejected() && duplicates.errors.length === 0) {
    if (rebuild) for (const i of catalog.spatialIndexes) await client.query(i.definition);
    return { inserted: copy.rowCount, updated: 0, unchanged: 0 };
  }
  const errors = [...duplicates.errors];
  for (const r of references) {
    if (r.rows.size === 0) continue;
    const { rows: missing } = await client.query<{ value: unknown }>(
      `SELECT v AS value FROM unnest($1::${SQL_TYPES[fields[r.column]!.kind]}[]) v WHERE NOT EXISTS (SELECT 1 FROM ${ident(r.table)} r WHERE r.${ident(r.refColumn)} = v)`,
      [[...r.rows.keys()]]);
    for (const { value } of missing) {
      for (const row of r.rows.get(String(value))!) errors.push({ row, field: r.column, message: `${JSON.stringify(value)} refers to no ${r.table} ${r.refColumn}` });
    }
  }
  if (refused !== undefined && errors.length === 0) throw refused; // a reference removed meanwhile: say so, not nothing
  return errors;
}
