import type pg from "pg";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { allFields, isMulti, type Layer } from "../layers/layer.ts";
import type { Field } from "../layers/fields.ts";
import { ident } from "../sql/template.ts";
import { Statement } from "../sql/statement.ts";
import type { Jurisdiction } from "../auth/permissions.ts";
import { insideTownships, TOWNSHIP_NAMES_SQL, yourTownships } from "../auth/jurisdiction.ts";
import { copyLine } from "./copy_text.ts";
import type { Duplicates } from "./duplicates.ts";
import type { RowError, RowFeature } from "./row_feature.ts";
import { noSuchReference, type TableCatalog } from "./table_catalog.ts";
import { putBack, setAside } from "./set_aside.ts";

/** A load this large, and larger than the table, rebuilds spatial indexes instead of updating them row by row. */
const BULK_ROWS = 100_000;

/** The type each field's values are staged as. */
export const SQL_TYPES: Record<Field["kind"], string> = {
  text: "text",
  integer: "bigint",
  number: "double precision",
  date: "date",
  boolean: "boolean",
  enum: "text",
  text_list: "text[]",
};

export interface Written {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * The features upserted by `code` through a staging table: rows stream by COPY into a temporary table,
 * PostgreSQL checks them as a set (geometry validity, unique values taken by other features,
 * references, the importer's townships), then updates the features whose code matches and inserts the
 * rest. Returns what was written, or the errors (none listed when only `rejected` rows stop the import).
 */
export async function stagedUpsert(
  client: pg.ClientBase,
  layer: Layer,
  catalog: TableCatalog,
  features: AsyncIterable<RowFeature[]>,
  duplicates: Duplicates,
  within: Jurisdiction,
  rejected: () => boolean,
): Promise<Written | RowError[]> {
  const fields = allFields(layer);
  const columns = Object.keys(fields);
  const t = ident(layer.table);
  await client.query(
    `CREATE TEMP TABLE import_rows (${columns.map((c) => `${ident(c)} ${SQL_TYPES[fields[c]!.kind]}`).join(", ")}, geom geometry, row integer) ON COMMIT DROP`,
  );

  const multi = isMulti(layer);
  let staged = 0;
  async function* copyText(): AsyncGenerator<string> {
    for await (const batch of features) {
      let chunk = "";
      for (const f of batch) {
        duplicates.add(f);
        chunk += `${copyLine(f.properties, columns, f.geometry, multi)}\t${f.row}\n`;
      }
      staged += batch.length;
      if (chunk) yield chunk;
    }
  }
  await pipeline(Readable.from(copyText()), client.query(copyFrom(`COPY import_rows (${columns.map(ident).join(", ")}, geom, row) FROM STDIN`)));

  await client.query("ANALYZE import_rows"); // true row counts, so the checks and the upsert join instead of looping
  const errors = await setChecks(client, layer, catalog, duplicates.errors, within);
  if (errors.length > 0 || rejected()) return errors;

  const matched = await count(client, `SELECT count(*) FROM import_rows s JOIN ${t} t ON t.code = s.code`);
  // what a row leaves empty is kept: a sheet of township names and codes does not erase their boundaries
  const kept = (c: string) => `coalesce(s.${ident(c)}, t.${ident(c)})`;
  const { rowCount: updated } = await client.query(`
    UPDATE ${t} t SET ${columns.map((c) => `${ident(c)} = ${kept(c)}`).join(", ")}, geom = ${kept("geom")}
    FROM import_rows s WHERE t.code = s.code
      AND (${columns.map((c) => `t.${ident(c)}`).join(", ")}, t.geom) IS DISTINCT FROM (${columns.map(kept).join(", ")}, ${kept("geom")})`);
  // what is left is new: the insert then never reads the table it writes (a plan that did would grow with every row)
  if (matched > 0) await client.query(`DELETE FROM import_rows s USING ${t} t WHERE t.code = s.code`);

  const adding = staged - matched;
  const rebuild = adding >= BULK_ROWS && adding > (await count(client, `SELECT count(*) FROM ${t}`));
  if (rebuild) await setAside(client, layer.table, "spatial");
  const valueOf = (c: string) => (catalog.defaults.has(c) ? `coalesce(s.${ident(c)}, ${catalog.defaults.get(c)})` : `s.${ident(c)}`);
  const { rowCount: inserted } = await client.query(`
    INSERT INTO ${t} (${columns.map(ident).join(", ")}, geom)
    SELECT ${columns.map(valueOf).join(", ")}, s.geom FROM import_rows s`);
  if (rebuild) await putBack(client, layer.table);
  return { inserted: inserted!, updated: updated!, unchanged: matched - updated! };
}

async function count(client: pg.ClientBase, sql: string): Promise<number> {
  const { rows } = await client.query<{ count: string }>(sql);
  return Number(rows[0]!.count);
}

/** Checks only the whole set can answer, each as one query over the staged rows; the duplicates found on the way in their place. */
async function setChecks(client: pg.ClientBase, layer: Layer, catalog: TableCatalog, duplicates: RowError[], within: Jurisdiction): Promise<RowError[]> {
  const t = ident(layer.table);
  const errors: RowError[] = [];
  const collect = async (
    sql: string,
    field: (r: Record<string, unknown>) => string,
    message: (r: Record<string, unknown>) => string,
    bindings: Record<string, unknown> = {},
  ) => {
    const rows = await new Statement(sql).on<Record<string, unknown>>(client, bindings);
    for (const r of rows) errors.push({ row: Number(r.row), field: field(r), message: message(r) });
  };
  // a point with coordinates in range (the schema checked them) is always valid
  if (layer.storedAs !== "Point") {
    await collect(
      "SELECT row, ST_IsValidReason(geom) AS reason FROM import_rows WHERE NOT ST_IsValid(geom)",
      () => "geometry",
      (r) => `invalid geometry: ${r.reason}`,
    );
  }
  errors.push(...duplicates);
  const fields = allFields(layer);
  for (const column of catalog.unique.filter((c) => c in fields && c !== "code")) {
    const c = ident(column);
    // taken by a feature the import does not update (another code, or a row without one)
    await collect(
      `SELECT s.row, s.${c} AS value FROM import_rows s JOIN ${t} t ON t.${c} = s.${c} WHERE s.code IS NULL OR t.code IS DISTINCT FROM s.code`,
      () => column,
      (r) => `${column} ${JSON.stringify(r.value)} is already used by another feature of ${layer.name}`,
    );
  }
  for (const ref of catalog.references.filter((r) => r.column in fields)) {
    const c = ident(ref.column);
    await collect(
      `SELECT s.row, s.${c} AS value FROM import_rows s WHERE s.${c} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ident(ref.table)} r WHERE r.${ident(ref.refColumn)} = s.${c})`,
      () => ref.column,
      (r) => noSuchReference(r.value, ref),
    );
  }
  if (within !== "all") {
    // a clerk's rows, and the features they would update, must lie inside the clerk's townships
    const where = yourTownships(within, await new Statement(TOWNSHIP_NAMES_SQL).on<{ admin_code: string; name: string }>(client, { within }));
    await collect(
      `SELECT row FROM import_rows s WHERE NOT ${insideTownships("s.geom", ":within")}`,
      () => "geometry",
      () => `lies outside ${where}`,
      { within },
    );
    await collect(
      `SELECT s.row, s.code FROM import_rows s JOIN ${t} t ON t.code = s.code WHERE NOT ${insideTownships("t.geom", ":within")}`,
      () => "code",
      (r) => `would change ${layer.name} ${JSON.stringify(r.code)}, which lies outside ${where}`,
      { within },
    );
  }
  return errors;
}
