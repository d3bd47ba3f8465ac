import { z } from "zod";

/** zh/en label of a layer, a field or a code. */
export interface Label {
  zh: string;
  en: string;
}

/**
 * One attribute of a layer. The kind drives everything generic over the registry: the zod schema of a
 * request body, the parsing of a query-string filter, the type of an exported column.
 */
export type Field =
  | { kind: "text"; label: Label; required?: boolean; sensitive?: boolean; max?: number; pattern?: RegExp; rule?: string }
  | {
      kind: "integer" | "number";
      label: Label;
      required?: boolean;
      min?: number;
      max?: number;
      default?: number;
      /** When absent, the value taken from another field's (a road's speed from its class). */
      defaultBy?: { field: string; values: Record<string, number> };
      /** What each value means in words (a risk level: 1 重大 … 4 低). */
      labels?: Record<string, Label>;
    }
  | { kind: "date"; label: Label; required?: boolean }
  | { kind: "boolean"; label: Label; required?: boolean; default?: boolean }
  | { kind: "enum"; label: Label; required?: boolean; values: Record<string, Label>; default?: string }
  | { kind: "text_list"; label: Label; required?: boolean; values?: Record<string, Label>; labels?: Record<string, Label>; default?: string[] };
// `pattern`: what a text must match, `rule` says it in words. `default`: the column's default (it may not be
// NULL), which null stands for in a request body. `values`: the only codes allowed, each with its words;
// `labels`: the words for known codes of an open list (a team's specialties), others allowed too.

/** The words for a field's codes, whether the codes are the only ones allowed (`values`) or known ones (`labels`). */
export function valueLabels(field: Field): Record<string, Label> | undefined {
  return ("values" in field ? field.values : undefined) ?? ("labels" in field ? field.labels : undefined);
}

export type Fields = Record<string, Field>;

// the calendar has no year 0000 (1 BC is followed by AD 1): PostgreSQL refuses it, so does the schema
const isoDate = z.iso.date().regex(/^(?!0000-)/, "there is no year 0000");
const INT4_MAX = 2_147_483_647;
export const TEXT_MAX = 2000;

/** Characters as a clerk counts them and JSON Schema's maxLength does (code points, not UTF-16 units). */
export const characters = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * A text of at most `max` characters, counted as given (before trimming, so what is sent is what is
 * measured) and as JSON Schema's maxLength counts them, then trimmed; `nonEmpty` refuses one that is only
 * blanks, and `pattern` one that does not match it (as patterns, so JSON Schema says them too).
 */
function text(max: number, nonEmpty: boolean, pattern?: RegExp, rule?: string) {
  // PostgreSQL text cannot hold NUL: said as a pattern, so the published schema says it too
  let s = z
    .string()
    .regex(/^[^\u0000]*$/, "must not contain the NUL character")
    .refine((v) => characters(v) <= max, `must be at most ${max} characters`)
    .trim();
  if (nonEmpty) s = s.regex(/\S/, "must not be empty");
  if (pattern) s = s.regex(pattern, rule ?? `must match ${pattern.source}`);
  return s.meta({ maxLength: max });
}

/** The zod type of one field's value in a request body (never null; nullability is added by the caller). */
export function valueSchema(field: Field): z.ZodType {
  switch (field.kind) {
    case "text":
      return text(field.max ?? TEXT_MAX, Boolean(field.required), field.pattern, field.rule);
    case "integer":
    case "number": {
      let n = field.kind === "integer" ? z.number().int() : z.number();
      // integer columns are PostgreSQL integer: a value beyond it would fail the write, not the request
      const min = field.min ?? (field.kind === "integer" ? -INT4_MAX - 1 : undefined);
      if (min !== undefined) n = n.min(min);
      const max = field.max ?? (field.kind === "integer" ? INT4_MAX : undefined);
      if (max !== undefined) n = n.max(max);
      return n;
    }
    case "date":
      return isoDate;
    case "boolean":
      return z.boolean();
    case "enum":
      return z.enum(Object.keys(field.values) as [string, ...string[]]);
    case "text_list": {
      const item = field.values ? z.enum(Object.keys(field.values) as [string, ...string[]]) : text(200, true);
      return z.array(item).max(100);
    }
  }
}

/**
 * The zod type of a query-string filter on one field: `?status=open`, `?risk_level=1,2` (any of),
 * `?specialties=hazmat` (list contains). Parses the string into the values SQL compares with.
 */
export function filterSchema(field: Field): z.ZodType<unknown[]> {
  const list = (item: z.ZodType) =>
    z.preprocess(
      (s) => (typeof s === "string" ? s.split(",").map((v) => v.trim()) : s),
      z.array(item, { error: "must be a value or a comma-separated list of values" }).min(1).max(100),
    );
  switch (field.kind) {
    case "text":
      return z
        .string()
        .max(2000)
        .transform((s) => [s]);
    case "integer":
    case "number":
      return list(z.coerce.number().pipe(valueSchema(field) as z.ZodNumber));
    case "boolean":
      return z.enum(["true", "false"], { error: "must be true or false" }).transform((s) => [s === "true"]);
    case "text_list":
      return list(field.values ? z.enum(Object.keys(field.values) as [string, ...string[]]) : z.string().min(1));
    default:
      return list(valueSchema(field));
  }
}
