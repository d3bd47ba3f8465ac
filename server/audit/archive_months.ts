import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { to as copyTo } from "pg-copy-streams";
import type { Db } from "../db.ts";
import { withConnection } from "../sql/connection.ts";

/** A month of the audit trail moved out of it: the file holding its rows, and how many. */
export interface ArchivedMonth {
  partition: string;
  file: string;
  rows: number;
}

/**
 * Exports every month of the audit trail that ends on or before `before` (YYYY-MM-01) to
 * `<dir>/<partition>.csv.gz` (CSV with a header), then detaches it from the trail. The detached table
 * stays in the database, for an admin to drop once the file is kept safe: nothing is deleted here.
 * Each month in one transaction: its rows are read, counted and detached together.
 */
export async function archiveAuditMonths(db: Db, before: string, dir: string): Promise<ArchivedMonth[]> {
  const { rows: months } = await db.raw(
    `SELECT c.relname AS partition
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit'::regclass AND c.relname ~ '^audit_[0-9]{4}_[0-9]{2}$'
        AND to_date(substr(c.relname, 7), 'YYYY_MM') + interval '1 month' <= ?::date
      ORDER BY c.relname`,
    [before],
  );
  const archived: ArchivedMonth[] = [];
  for (const { partition } of months as { partition: string }[]) {
    const file = join(dir, `${partition}.csv.gz`);
    const rows = await withConnection(db, async (client) => {
      await client.query("BEGIN");
      try {
        // no one writes to a month once it is over; the lock makes sure while it is copied
        await client.query(`LOCK TABLE ${partition} IN SHARE MODE`);
        const { rows: counted } = await client.query(`SELECT count(*)::int AS n FROM ${partition}`);
        await pipeline(
          client.query(copyTo(`COPY (SELECT * FROM ${partition} ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)`)),
          createGzip(),
          createWriteStream(file),
        );
        await client.query(`ALTER TABLE audit DETACH PARTITION ${partition}`);
        await client.query("COMMIT");
        return counted[0].n as number;
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    });
    archived.push({ partition, file, rows });
  }
  return archived;
}
