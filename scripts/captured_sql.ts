import type pg from "pg";
import type { Db } from "../server/db.ts";
import type { HttpRequest } from "./wrk.ts";

/** One statement a request made the server run: replayed through pg by the benches, as the server ran it. */
export interface Statement {
  sql: string;
  bindings: unknown[];
  name?: string;
}

/** The key of a request in a bare HTTP server's answers (scripts/bare_http.ts): method, path and body, as wrk sends them. */
export const requestKey = (req: HttpRequest) =>
  `${req.body === undefined ? "GET" : "POST"} ${req.path} ${req.body === undefined ? "" : JSON.stringify(req.body)}`;

/**
 * The SQL a request made the server at `base` run (prepared where the server prepares it), seen through
 * knex's query events of `db`, the database handle that server answers with (an in-process server).
 */
export async function captureSql(db: Db, base: string, req: HttpRequest): Promise<Statement[]> {
  const seen: Statement[] = [];
  const listen = (q: Statement) => seen.push({ sql: q.sql, bindings: q.bindings, name: q.name });
  db.on("query", listen);
  try {
    const res = await fetch(
      base + req.path,
      req.body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(req.body) } : {},
    );
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${req.path} → ${res.status}`);
  } finally {
    db.removeListener("query", listen);
  }
  return seen;
}

/** Runs a request's statements on `client`, as the server did; the rows of the last. */
export async function replay(client: pg.ClientBase, statements: Statement[]): Promise<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[] = [];
  for (const s of statements) rows = (await client.query({ name: s.name, text: s.sql, values: s.bindings })).rows;
  return rows;
}
