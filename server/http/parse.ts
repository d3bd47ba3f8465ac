import type { z } from "zod";
import { badRequest, type FieldError, type FieldPath } from "./problem.ts";

/** One error per bad field; an unknown key is named by its own path. */
function fieldErrors(issue: z.core.$ZodIssue): FieldError[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (issue.code === "unrecognized_keys") return issue.keys.map((k) => ({ path: [...path, k], message: issue.message }));
  return [{ path, message: issue.message }];
}

/** Strings holding NUL, which PostgreSQL text cannot store (it would fail the query), by path. Only as deep
 * as any schema here reaches: a body nested deeper is refused by the schema itself. */
function nulStrings(input: unknown): FieldError[] {
  const found: FieldError[] = [];
  const pending: [unknown, FieldPath][] = [[input, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === "string" && value.includes("\u0000")) found.push({ path, message: "must not contain the NUL character" });
    else if (value !== null && typeof value === "object" && path.length < 16) {
      for (const [k, v] of Object.entries(value)) pending.push([v, [...path, Array.isArray(value) ? Number(k) : k]]);
    }
  }
  return found;
}

/** Parse untrusted input with a zod schema; on failure throw a 400 naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const nul = nulStrings(input);
  if (nul.length > 0) throw badRequest(nul);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badRequest(result.error.issues.flatMap(fieldErrors));
}
