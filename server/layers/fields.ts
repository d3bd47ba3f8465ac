import { z } from "zod";

/** zh/en label of a layer, a field or a code. */
export interface Label { zh: string; en: string }

/**
 * One attribute of a layer. The kind drives everything generic over the registry: the zod schema of a
 * request body, the parsing of a query-string filter, the type of an exported column.
 */
export type Field =
  | { kind: "text"; label: Label; required?: boolean; sensitive?: boolean; max?: number; pattern?: RegExp }
  | { kind: "integer" | "number"; label: Label; required?: boolean; min?: number; max?: number }
  | { kind: "date" | "boolean"; label: Label; required?: boolean }
  | { kind: "enum"; label: Label; required?: boolean; values: Record<string, Label> }
  | { kind: "text_list"; label: Label; required?: boolean; values?: Record<string, Label> };

export type Fields = Record<string, Field>;

const isoDate = z.iso.date();
const INT4_MAX = 2_147_483_647;

/** The zod type of one field's value in a request body (never null; nullability is added by the caller). */
export function valueSchema(field: Field): z.ZodType {
  switch (field.kind) {
    case "text": {
      let s = z.string().trim().max(field.max ?? 2000);
      if (field.required) s = s.min(1, "must not be empty");
      return field.pattern ? s.regex(field.pattern, `must match ${field.pattern.source}`) : s;
    }
    case "integer":
    case "number": {
      let n = field.kind === "integer" ? z.number().int() : z.number();
      if (field.min !== undefined) n = n.min(field.min);
      // integer columns are PostgreSQL integer: a larger value would fail the write, not the request
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
      const item = field.values ? z.enum(Object.keys(field.values) as [string, ...string[]]) : z.string().trim().min(1).max(200);
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
    z.preprocess((s) => (typeof s === "string" ? s.split(",").map((v) => v.trim()) : s), z.array(item, { error: "must be a value or a comma-separated list of values" }).min(1).max(100));
  switch (field.kind) {
    case "text":
      return z.string().max(2000).transform((s) => [s]);
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
