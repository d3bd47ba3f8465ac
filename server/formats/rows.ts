import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Db } from "../db.ts";
import type { Layer } from "../layers/layer.ts";
import type { ListQuery } from "../features/schemas.ts";
import { filtered } from "../features/repository.ts";
import { BinaryCopyReader, decode } from "./binary_copy.ts";
import { withConnection } from "../sql/connection.ts";

/** What to export: the rows of a layer within a list query's bbox and filters, with these fields. */
export interface ExportRequest {
  layer: Layer;
  where: Omit<ListQuery, "limit" | "offset">;
  /** Attribute names, a subset of exportableFields(layer): who may see what is the caller's decision. */
  fields: readonly string[];
  /** Told the number of rows read so far, now and then (the CLI's progress). */
  progress?: (rows: number) => void;
  /** Aborted when the client goes away: files being built stop (streams stop by themselves). */
  signal?: AbortSignal;
  /** zh: a sheet for people (CSV): Chinese headers, codes by their labels. Absent: names and codes. */
  language?: "zh";
}

/** A value as a literal of unknown type, which PostgreSQL reads exactly as the text parameter pg would send. */
function literal(v: unknown): string {
  if (Array.isArray(v)) return pg.escapeLiteral(`{${v.map((s) => `"${String(s).replace(/["\\]/g, "\\$&")}"`).join(",")}}`);
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  return pg.escapeLiteral(String(v));
}

/**
 * The SELECT of `columns` (SQL expressions over row `t`) for the rows an export covers, in id order, as
 * one text: COPY takes no bind parameters, so the filter values are inlined as escaped literals.
 */
export function selectSql(db: Db, r: ExportRequest, columns: readonly string[]): string {
  const { sql, bindings } = filtered(db, r.layer, r.where)
    .select(db.raw(columns.join(", ")))
    .orderBy("t.id")
    .toSQL()
    .toNative();
  return sql.replace(/\$(\d+)/g, (_, i: string) => literal(bindings[Number(i) - 1]));
}

/**
 * Runs `work` on a pooled connection in one read-only REPEATABLE READ transaction (every statement sees
 * the same snapshot) with no statement timeout: a national export runs longer than any request. If the
 * work fails midway, e.g. the client went away during a COPY, the connection is closed (which stops the
 * query) rather than returned to the pool mid-COPY.
 */
export function withExportConnection<T>(db: Db, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withConnection(db, async (client) => {
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = 0");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  });
}

/** `COPY (select) TO STDOUT (options)` as a readable stream of the bytes PostgreSQL sends. */
export function copyOut(client: pg.Client, select: string, options: string) {
  return client.query(copyTo(`COPY (${select}) TO STDOUT (${options})`));
}

/**
 * Streams a COPY to `out` through `through` with backpressure, ending `out`; rejects, closing the
 * connection, when either side fails or `out` is closed early.
 */
export function pipeCopy(db: Db, select: string, options: string, through: Transform, out: Writable): Promise<void> {
  return withExportConnection(db, (client) => pipeline(copyOut(client, select, options), through, out));
}

/**
 * Streams a SELECT of one text column (each row a piece of the file PostgreSQL wrote) to `out` as
 * head, the rows joined by `separator`, tail. Binary COPY frames the rows, so no text is escaped.
 */
export function pipeTextRows(db: Db, r: ExportRequest, select: string, text: { head: string; separator: string; tail: string }, out: Writable): Promise<void> {
  const reader = new BinaryCopyReader([decode.bytes]);
  const separator = Buffer.from(text.separator);
  const join = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const pieces: Buffer[] = [];
      reader.push(chunk, ([piece]) => {
        if (reader.rows > 1) pieces.push(separator);
        pieces.push(piece as Buffer);
      });
      r.progress?.(reader.rows);
      done(null, Buffer.concat(pieces));
    },
    flush(done) {
      done(null, text.tail);
    },
  });
  join.push(text.head);
  return pipeCopy(db, select, "FORMAT binary", join, out);
}
