import type { z } from "zod";
import { badRequest, type FieldError } from "./problem.ts";

/** One error per bad field; an unknown key is named by its own path. */
function fieldErrors(issue: z.core.$ZodIssue): FieldError[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (issue.code === "unrecognized_keys") return issue.keys.map((k) => ({ path: [...path, k], message: issue.message }));
  return [{ path, message: issue.message }];
}

/** Parse untrusted input with a zod schema; on failure throw a 400 naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badRequest(result.error.issues.flatMap(fieldErrors));
}
