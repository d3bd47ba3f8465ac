import { asStored } from "./copy_text.ts";
import type { RowError, RowFeature } from "./row_feature.ts";

/**
 * Values a file repeats in a column that must be unique (code, admin_code): each later row is an
 * error naming the first. The values are kept as the rows stream by and compared only when asked:
 * where PostgreSQL's unique index answers first (an empty layer), a clean file never pays for the
 * comparison. Values are compared as PostgreSQL will hold them.
 */
export class Duplicates {
  private readonly rows: number[] = [];
  private readonly values: { name: string; seen: unknown[] }[];
  private found: RowError[] | undefined;

  constructor(columns: string[]) {
    this.values = columns.map((name) => ({ name, seen: [] }));
  }

  add(f: RowFeature) {
    this.rows.push(f.row);
    for (const c of this.values) c.seen.push(f.properties[c.name]);
  }

  /** The duplicates, column by column, each in file order. */
  get errors(): RowError[] {
    this.found ??= this.values.flatMap(({ name, seen }) => {
      const first = new Map<unknown, number>();
      const errors: RowError[] = [];
      seen.forEach((v, i) => {
        if (v === undefined) return;
        const value = asStored(v);
        const row = first.get(value);
        if (row === undefined) first.set(value, this.rows[i]!);
        else errors.push({ row: this.rows[i]!, field: name, message: `duplicate ${name} ${JSON.stringify(value)}: already on row ${row} of this file` });
      });
      return errors;
    });
    return this.found;
  }
}
