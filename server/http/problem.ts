import type { ErrorRequestHandler } from "express";
import { toChinese } from "./zh_messages.ts";
import { languageOf } from "./language.ts";

export type FieldPath = (string | number)[];
export interface FieldError {
  path: FieldPath;
  message: string;
}

/** An error that carries its HTTP status and a message safe to show (RFC 9457 problem details). */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
    /** Further members of the problem object (RFC 9457 §3.2), e.g. an import's report. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

/** Each bad field named with its message, as a 400's detail says them. */
const listed = (errors: FieldError[], say: (message: string) => string = (m) => m) =>
  errors.map((e) => `${e.path.join(".") || "body"}: ${say(e.message)}`).join("; ");

export const badRequest = (errors: FieldError[], detail = listed(errors)) => new Problem(400, "invalid-request", "Invalid request", detail, errors);
export const notFound = (detail: string) => new Problem(404, "not-found", "Not found", detail);
export const conflict = (detail: string, errors?: FieldError[]) => new Problem(409, "conflict", "Conflict", detail, errors);
export const preconditionFailed = (detail: string) => new Problem(412, "stale-version", "Precondition failed", detail);
export const preconditionRequired = (detail: string) => new Problem(428, "if-match-required", "Precondition required", detail);

/** What body-parser and PostgreSQL throw, turned into problems a client can act on. */
function toProblem(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  const e = err as { type?: string; status?: number; code?: string; constraint?: string; table?: string; message?: string };
  if (e.type === "entity.parse.failed") return badRequest([{ path: [], message: `malformed JSON: ${e.message}` }]);
  if (e.type === "entity.too.large") return new Problem(413, "too-large", "Payload too large", "request bodies are limited to 10 MB");
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") return new Problem(415, "unsupported-encoding", "Unsupported encoding", e.message);
  if (typeof e.status === "number" && e.status >= 400 && e.status < 500) return new Problem(e.status, "bad-request", "Bad request", e.message);
  return pgProblem(e);
}

/** Map a constraint violation to the field it guards. PostgreSQL names column constraints
 * `<table>_<column>_check|key|fkey`, which is how the migrations declare them. */
function pgProblem(e: { code?: string; constraint?: string; table?: string; column?: string }): Problem | undefined {
  const column = e.column ?? (e.constraint && e.table ? e.constraint.slice(e.table.length + 1).replace(/_(check|key|fkey)$/, "") : undefined);
  const path: FieldPath = column === "geom" ? ["geometry"] : column ? ["properties", column] : [];
  switch (e.code) {
    case "23514":
      return badRequest([{ path, message: "violates the rule for this field" }]);
    case "23502":
      return badRequest([{ path, message: "is required" }]);
    case "23503":
      return badRequest([{ path, message: "refers to something that does not exist" }]);
    case "23505":
      return conflict(`${column ?? "value"} already used by another feature`, [{ path, message: "must be unique" }]);
    case "22021": // a NUL or an invalid byte sequence that passed the edge (parse() refuses NUL by field)
    case "22P05":
      return badRequest([{ path, message: "contains a character that cannot be stored" }]);
    case "22003":
      return badRequest([{ path, message: "is out of range" }]);
    case "57014":
      return new Problem(503, "timeout", "Query timed out", "the database took too long; try a smaller request", undefined, { "Retry-After": "5" });
  }
  return undefined;
}

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string };
  return (
    e.name === "KnexTimeoutError" ||
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "08006", "08001", "08003"].includes(e.code ?? "") ||
    /Connection terminated|connect ECONNREFUSED/.test(e.message ?? "")
  );
}

/** A problem's words in the reader's language; `nouns`: the layers' Chinese names by URL name. */
function inChinese(problem: Problem, nouns: Record<string, string>) {
  const say = (m: string) => toChinese(m, nouns);
  const errors = problem.errors?.map((e) => ({ ...e, message: say(e.message) }));
  // a 400's detail lists its fields: said again from them, so each part is translated whole
  const detail = problem.errors && problem.detail === listed(problem.errors) ? listed(problem.errors, say) : problem.detail && say(problem.detail);
  const report = problem.extensions.errors;
  const extensions = Array.isArray(report) ? { ...problem.extensions, errors: localisedRows(report, "zh", nouns) } : problem.extensions;
  return { title: say(problem.title), detail, errors, extensions };
}

/** An import report's rows ({row, field, message}) in the reader's language. */
function localisedRows<R extends { message: string }>(rows: R[], language: "zh" | "en", nouns: Record<string, string>): R[] {
  return language === "zh" ? rows.map((r) => ({ ...r, message: toChinese(r.message, nouns) })) : rows;
}

/**
 * The one error renderer: every failure leaves as application/problem+json, in the reader's language
 * (Accept-Language: zh or en, English by default); 5xx details only in the log.
 */
export const problemRenderer =
  (nouns: Record<string, string>): ErrorRequestHandler =>
  (err, req, res, _next) => {
    let problem = toProblem(err);
    if (!problem && isDatabaseUnavailable(err)) {
      problem = new Problem(503, "database-unavailable", "Service unavailable", "the database is unreachable; retry shortly", undefined, {
        "Retry-After": "5",
      });
    }
    if (!problem) {
      console.error(`[hazmap] ${req.method} ${req.originalUrl}`, err);
      problem = new Problem(500, "internal", "Internal server error", "an unexpected error occurred; it has been logged");
    }
    const zh = languageOf(req) === "zh";
    const words = zh ? inChinese(problem, nouns) : problem;
    res
      .status(problem.status)
      .set({ ...problem.headers, "Content-Language": zh ? "zh-CN" : "en" })
      .vary("Accept-Language")
      .type("application/problem+json")
      .send(
        JSON.stringify({
          type: `/problems/${problem.slug}`,
          title: words.title,
          status: problem.status,
          detail: words.detail,
          instance: req.originalUrl,
          ...(words.errors ? { errors: words.errors } : {}),
          ...words.extensions,
        }),
      );
  };
