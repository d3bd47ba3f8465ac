import type pg from "pg";
import type { Db } from "./db.ts";

/**
 * A statement run as a named prepared statement: each pooled connection parses and plans it once, and
 * after a few runs PostgreSQL keeps one generic plan. For the short, frequent questions (nearest: ~1 ms
 * to plan, ~0.4 ms to run at national scale) planning would be most of the cost.
 *
 * `sql` names its parameters (`:here`); every use of a name is one parameter, so PostgreSQL converts its
 * value once per run, not once per row (`:here::geography` makes the parameter a geography). A generic
 * plan is only kept when it is costed no worse than a plan for the actual values: keep numbers the
 * planner must see (a LIMIT on an index scan) as constants in `sql`, one statement per value.
 * knex's `query` event is emitted as for any other query (logs, and the bench that replays what the
 * server ran, see it).
 */
export class PreparedStatement {
  readonly text: string;
  private readonly names: string[] = [];

  constructor(readonly name: string, sql: string) {
    // PostgreSQL cuts longer names, and two statements cut to the same name would collide
    if (name.length > 63) throw new Error(`prepared statement name longer than 63 characters: ${name}`);
    this.text = sql.replace(/(?<![:\w]):([a-z_]+)\b/g, (_, param: string) => {
      if (!this.names.includes(param)) this.names.push(param);
      return `$${this.names.indexOf(param) + 1}`;
    });
  }

  async run<R>(db: Db, bindings: Record<string, unknown>): Promise<R[]> {
    const values = this.names.map((param) => {
      if (!(param in bindings)) throw new Error(`${this.name}: no value for :${param}`);
      return bindings[param];
    });
    db.emit("query", { sql: this.text, bindings: values, name: this.name });
    const connection = (await db.client.acquireConnection()) as pg.PoolClient;
    try {
      return (await connection.query({ name: this.name, text: this.text, values })).rows as R[];
    } finally {
      await db.client.releaseConnection(connection);
    }
  }
}
