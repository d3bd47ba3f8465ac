import { asStored } from "./copy_text.ts";
import type { RowError, RowFeature } from "./row_feature.ts";

/**
 * Values a file repeats in a column that must be unique (code, admin_code): each later row is an
 * error naming the first. Counted as the rows stream by, which is cheaper than grouping the staged
 * rows in PostgreSQL afterwards. Values are compared as PostgreSQL will hold them.
 */
export class Duplicates {
  private readonly columns: { name: string; first: Map<unknown, number>; errors: RowError[] }[];

  constructor(columns: string[]) {
    this.columns = columns.map((name) => ({ name, first: new Map(), errors: [] }));
  }

  /** Whether the feature repeats a value of an earlier row. */
  add(f: RowFeature): boolean {
    let repeats = false;
    for (const c of this.columns) {
      const v = f.properties[c.name];
      if (v === undefined) continue;
      const value = asStored(v);
      const first = c.first.get(value);
      if (first === undefined) c.first.set(value, f.row);
      else {
        c.errors.push({ row: f.row, field: c.name, message: `duplicate ${c.name} ${JSON.stringify(value)}: already on row ${first} of this file` });
        repeats = true;
      }
    }
    return repeats;
  }

  /** The duplicates, column by column, each in file order. */
  get errors(): RowError[] {
    return this.columns.flatMap((c) => c.errors);
  }
}
