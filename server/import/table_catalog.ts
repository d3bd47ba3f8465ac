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
  /** Spatial (GiST) indexes, rebuilt rather than maintained row by row in a bulk load. */
  spatialIndexes: { name: string; definition: string }[];
  /**
   * What a load into the empty table builds afterwards, in one pass each, instead of row by row: its
   * indexes and its unique and foreign-key constraints — all but the primary key, a unique constraint
   * another table's foreign key needs, and geography GiST indexes — as statements to drop them and, in
   * this order (unique values first, then references), to add them back. A geography GiST index cannot
   * be built sorted (PostGIS 3.3 sorts only geometry): built afterwards it takes ~7 s a million points,
   * kept up row by row it lengthens the load by ~4–5 s, as the file is parsed beside it. (A geometry
   * one is sorted: ~2.5 s a million points afterwards, where kept up it lengthened the COPY by 3.5–5.5 s.)
   */
  afterLoad: { drop: string; add: string }[];
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
const SPATIAL_INDEXES = new Statement(`SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = :table AND indexdef LIKE '% USING gist %'`);
const AFTER_LOAD = new Statement(`SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop,
              format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS add,
              CASE c.contype WHEN 'u' THEN 0 ELSE 1 END AS rank, c.conname AS name
       FROM pg_constraint c
       WHERE c.conrelid = :table::regclass
         AND (c.contype = 'f' OR c.contype = 'u' AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid))
       UNION ALL
       SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), 2, i.indexrelid::regclass::text
       FROM pg_index i
       WHERE i.indrelid = :table::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
         AND NOT EXISTS (SELECT 1 FROM pg_opclass o WHERE o.oid = ANY (i.indclass::oid[]) AND o.opcname = 'gist_geography_ops')
       ORDER BY rank, name`);

export async function tableCatalog(client: pg.ClientBase, table: string): Promise<TableCatalog> {
  // one after another: a pg client runs one query at a time
  const defaults = await DEFAULTS.on<{ column: string; expr: string }>(client, { table });
  const unique = await UNIQUE.on<{ column: string }>(client, { table });
  const references = await REFERENCES.on<{ column: string; table: string; refColumn: string }>(client, { table });
  const spatialIndexes = await SPATIAL_INDEXES.on<{ name: string; definition: string }>(client, { table });
  const afterLoad = await AFTER_LOAD.on<{ drop: string; add: string }>(client, { table });
  return {
    defaults: new Map(defaults.map((r) => [r.column, r.expr])),
    unique: unique.map((r) => r.column),
    references,
    spatialIndexes,
    afterLoad: afterLoad.map(({ drop, add }) => ({ drop, add })),
  };
}
