import type pg from "pg";
import { Statement } from "../sql/statement.ts";

/** The error of a row whose value the referenced table lacks, the same from every import path. */
export const noSuchReference = (value: unknown, ref: { table: string; refColumn: string }) =>
  `${JSON.stringify(value)} refers to no ${ref.table} ${ref.refColumn}`;

/** What PostgreSQL knows about a layer's table that an import must honour beyond the schema. */
export interface TableCatalog {
  /** Column default expressions (as PostgreSQL prints them), for cells left empty on insert. */
  defaults: Map<string, string>;
  /** Single-column unique constraints besides the primary key, e.g. code, admin_code. */
  unique: string[];
  /** Single-column references, e.g. villages.township_code → townships.admin_code. */
  references: { column: string; table: string; refColumn: string }[];
}

const DEFAULTS = new Statement(`SELECT a.attname AS column, pg_get_expr(d.adbin, d.adrelid) AS expr
       FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
       WHERE d.adrelid = :table::regclass`);
const UNIQUE = new Statement(`SELECT a.attname AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
       WHERE i.indrelid = :table::regclass AND i.indisunique AND NOT i.indisprimary AND i.indnkeyatts = 1 AND i.indexprs IS NULL
       ORDER BY a.attnum`);
const REFERENCES = new Statement(`SELECT a.attname AS column, r.relname AS table, ra.attname AS "refColumn"
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
       WHERE c.conrelid = :table::regclass AND c.contype = 'f' AND cardinality(c.conkey) = 1`);
export async function tableCatalog(client: pg.ClientBase, table: string): Promise<TableCatalog> {
  // one after another: a pg client runs one query at a time
  const defaults = await DEFAULTS.on<{ column: string; expr: string }>(client, { table });
  const unique = await UNIQUE.on<{ column: string }>(client, { table });
  const references = await REFERENCES.on<{ column: string; table: string; refColumn: string }>(client, { table });
  return {
    defaults: new Map(defaults.map((r) => [r.column, r.expr])),
    unique: unique.map((r) => r.column),
    references,
  };
}
