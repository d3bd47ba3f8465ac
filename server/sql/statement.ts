import type pg from "pg";
import type { Db } from "../db.ts";
import { withConnection } from "./connection.ts";

/**
 * SQL with named bindings (`:here`), run with an object of values: the one way values reach SQL
 * outside the knex builder. Every use of a name is one parameter, so PostgreSQL converts its value once
 * per run, not once per row (`:here::geography` makes the parameter a geography); a value missing is a
 * programming error, thrown before anything runs; values the SQL does not name are ignored.
 *
 * Given a `prepare` name, the statement runs as a named prepared statement: each pooled connection
 * parses and plans it once, and after a few runs PostgreSQL keeps one generic plan. For the short,
 * frequent questions (nearest: ~1 ms to plan, ~0.4 ms to run at national scale) planning would be most
 * of the cost. A generic plan is only kept when it is costed no worse than a plan for the actual values:
 * keep numbers the planner must see (a LIMIT on an index scan) as constants in the SQL, one statement
 * per value (a `{{placeholder}}`, see template.ts).
 *
 * `run` emits knex's `query` event as for any other query (logs, and the bench that replays what the
 * server ran, see it).
 */
export class Statement {
  readonly text: string;
  private readonly names: string[] = [];

  constructor(
    sql: string,
    readonly prepare?: string,
  ) {
    // PostgreSQL cuts longer names, and two statements cut to the same name would collide
    if (prepare && prepare.length > 63) throw new Error(`prepared statement name longer than 63 characters: ${prepare}`);
    // a 'string literal' is passed over whole: a colon in it is text, not a binding
    this.text = sql.replace(/'(?:[^']|'')*'|(?<![:\w]):([a-z_]+)\b/g, (match, param: string | undefined) => {
      if (param === undefined) return match;
      if (!this.names.includes(param)) this.names.push(param);
      return `$${this.names.indexOf(param) + 1}`;
    });
  }

  /** Runs on a pooled connection of its own. */
  async run<R>(db: Db, bindings: Readonly<Record<string, unknown>> = {}): Promise<R[]> {
    const values = this.values(bindings);
    db.emit("query", { sql: this.text, bindings: values, name: this.prepare });
    return withConnection(db, (client) => this.send<R>(client, values));
  }

  /** Runs on a connection already checked out (withConnection), e.g. within its transaction. */
  async on<R>(client: pg.ClientBase, bindings: Readonly<Record<string, unknown>> = {}): Promise<R[]> {
    return this.send<R>(client, this.values(bindings));
  }

  private async send<R>(client: pg.ClientBase, values: unknown[]): Promise<R[]> {
    return (await client.query({ name: this.prepare, text: this.text, values })).rows as R[];
  }

  private values(bindings: Readonly<Record<string, unknown>>): unknown[] {
    return this.names.map((param) => {
      if (!(param in bindings) || bindings[param] === undefined) throw new Error(`${this.prepare ?? "statement"}: no value for :${param}`);
      return bindings[param];
    });
  }
}
