import type pg from "pg";
import { finished } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { allFields, type Layer } from "../layers/layer.ts";
import { ident } from "../sql/template.ts";
import { Statement } from "../sql/statement.ts";
import { asStored, copyLine } from "./copy_text.ts";
import type { Duplicates } from "./duplicates.ts";
import type { RowError, RowFeature } from "./row_feature.ts";
import { SQL_TYPES, type Written } from "./staged_upsert.ts";
import { noSuchReference, type TableCatalog } from "./table_catalog.ts";
import { putBack, setAside } from "./set_aside.ts";

/**
 * Whether an import can go straight into the layer's table: a point layer (a point in range is always
 * valid) that holds no feature. The layer is then locked until the import ends, as its indexes are
 * built anew (others' reads and writes of it wait).
 */
export async function loadsIntoEmpty(client: pg.ClientBase, layer: Layer): Promise<boolean> {
  if (layer.storedAs !== "Point") return false;
  const empty = async () => (await client.query(`SELECT NOT EXISTS (SELECT 1 FROM ${ident(layer.table)}) AS empty`)).rows[0].empty as boolean;
  if (!(await empty())) return false;
  await client.query(`LOCK TABLE ${ident(layer.table)} IN ACCESS EXCLUSIVE MODE`);
  return empty();
}

/** Rows by the value they give for each referencing column (township_code → townships), to name the rows of a bad value. */
class References {
  private readonly columns: { column: string; table: string; refColumn: string; rows: Map<string, number[]> }[];

  constructor(catalog: TableCatalog, layer: Layer) {
    const fields = allFields(layer);
    this.columns = catalog.references.filter((r) => r.column in fields).map((r) => ({ ...r, rows: new Map() }));
  }

  add(f: RowFeature) {
    for (const c of this.columns) {
      const v = f.properties[c.column];
      if (v === undefined) continue;
      const key = String(asStored(v));
      const rows = c.rows.get(key);
      if (rows) rows.push(f.row);
      else c.rows.set(key, [f.row]);
    }
  }

  /** The rows whose value the referenced table lacks, with the staged check's message. */
  async errors(client: pg.ClientBase, layer: Layer): Promise<RowError[]> {
    const errors: RowError[] = [];
    for (const c of this.columns) {
      if (c.rows.size === 0) continue;
      const missing = await new Statement(
        `SELECT v AS value FROM unnest(:values::${SQL_TYPES[allFields(layer)[c.column]!.kind]}[]) v
         WHERE NOT EXISTS (SELECT 1 FROM ${ident(c.table)} r WHERE r.${ident(c.refColumn)} = v)`,
      ).on<{ value: unknown }>(client, { values: [...c.rows.keys()] });
      for (const { value } of missing) {
        for (const row of c.rows.get(String(value))!) errors.push({ row, field: c.column, message: noSuchReference(value, c) });
      }
    }
    return errors;
  }
}

/** SQLSTATEs of the constraints a file can break here: unique (a value repeated in the file) and foreign key. */
const REFUSED = new Set(["23505", "23503"]);

/**
 * The first load of a layer, by COPY straight into its table: PostgreSQL stores the rows while the
 * file is still being read, with no staging table to fill and read again, and builds the table's
 * indexes and unique and foreign-key constraints afterwards in one pass each, as PostgreSQL's manual
 * advises for populating a table. The staged checks have nothing to find here that those constraints
 * do not: no other feature holds a value, a point is valid. So a clean file is proven by the table
 * alone. When they refuse it (a repeated code, a bad reference), or rows were rejected on the way, the
 * load is undone to its savepoint and the values kept on the way name every row: repeated values
 * compared, referenced values looked up. Returns what was written, or the errors (none listed when
 * only `rejected` rows stop the import).
 */
export async function loadIntoEmpty(
  client: pg.ClientBase,
  layer: Layer,
  catalog: TableCatalog,
  features: AsyncIterable<RowFeature[]>,
  duplicates: Duplicates,
  rejected: () => boolean,
): Promise<Written | RowError[]> {
  const columns = Object.keys(allFields(layer));
  // a cell left empty takes the column's default, as the staged insert's coalesce(value, default) gives it
  const defaulted = columns.filter((c) => catalog.defaults.has(c));
  const defaults: Record<string, unknown> =
    defaulted.length === 0 ? {} : (await client.query(`SELECT ${defaulted.map((c) => `${catalog.defaults.get(c)} AS ${ident(c)}`).join(", ")}`)).rows[0];
  const references = new References(catalog, layer);

  await setAside(client, layer.table, "all");
  await client.query("SAVEPOINT load");
  const copy = client.query(copyFrom(`COPY ${ident(layer.table)} (${columns.map(ident).join(", ")}, geom) FROM STDIN`));
  const refused = finished(copy).then(
    () => undefined,
    (e: unknown) => e,
  );
  try {
    for await (const batch of features) {
      let chunk = "";
      for (const f of batch) {
        duplicates.add(f);
        references.add(f);
        chunk += copyLine(f.properties, columns, f.geometry, false, defaults) + "\n";
      }
      if (!copy.errored && !copy.write(chunk)) await Promise.race([new Promise((drained) => copy.once("drain", drained)), refused]);
    }
  } catch (e) {
    copy.destroy(e as Error); // the file is unreadable: the COPY is abandoned
    await refused;
    throw e;
  }
  if (!copy.errored) copy.end();
  let error = await refused;
  if (error === undefined && !rejected()) {
    try {
      await putBack(client, layer.table);
      return { inserted: copy.rowCount, updated: 0, unchanged: 0 };
    } catch (e) {
      error = e;
    }
  }
  if (error !== undefined) {
    if (!REFUSED.has((error as { code?: string }).code ?? "")) throw error;
    await client.query("ROLLBACK TO SAVEPOINT load");
  }
  const errors = [...duplicates.errors, ...(await references.errors(client, layer))];
  if (error !== undefined && errors.length === 0) throw error; // refused for a reason the file does not show (a reference removed meanwhile)
  return errors;
}
