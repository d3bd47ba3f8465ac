import type { Field } from "../layers/fields.ts";
import { toSimplified } from "../text/to_simplified.ts";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const YES = new Set(["是", "有", "true", "yes", "y", "1", "t"]);
const NO = new Set(["否", "无", "false", "no", "n", "0", "f"]);
/** Lists clerks type: 帐篷;棉被 · 帐篷、棉被 · tents, quilts (half- and full-width). */
const LIST_SEPARATOR = /[;；、,，]/;

/** A code given as itself or as its zh/en label, in Simplified or Traditional Chinese (开放, 開放 → open). */
function codeOf(values: Record<string, { zh: string; en: string }>, s: string): string {
  if (s in values) return s;
  const lower = s.toLowerCase();
  for (const [code, label] of Object.entries(values)) if (label.zh === s || label.en.toLowerCase() === lower || code.toLowerCase() === lower) return code;
  const zh = toSimplified(s);
  for (const [code, label] of Object.entries(values)) if (label.zh === zh) return code;
  return s; // the schema names what is allowed
}

/**
 * A cell (text from CSV, a number or date from a sheet, any JSON from GeoJSON) as the value the
 * layer's schema expects. An empty cell is undefined: "not given". What cannot be read is passed
 * on unchanged, so the schema's own message explains it.
 */
export function cellValue(field: Field, raw: unknown): unknown {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === "string") {
    raw = raw.trim();
    if (raw === "") return undefined;
  }
  switch (field.kind) {
    case "text":
      return typeof raw === "number" ? String(raw) : raw;
    case "integer":
    case "number": {
      if (typeof raw !== "string") return raw;
      const digits = raw.includes(",") ? raw.replace(/,/g, "") : raw; // 1,200 as written in sheets
      if (NUMBER.test(digits)) return Number(digits);
      const code = "labels" in field && field.labels ? codeOf(field.labels, raw) : raw; // 重大 → 1
      return code !== raw && NUMBER.test(code) ? Number(code) : raw;
    }
    case "date":
      return raw instanceof Date ? raw.toISOString().slice(0, 10) : raw;
    case "boolean": {
      const s = String(raw).toLowerCase();
      const zh = YES.has(s) || NO.has(s) ? s : toSimplified(s); // 無 → 无
      return YES.has(zh) ? true : NO.has(zh) ? false : raw;
    }
    case "enum":
      return typeof raw === "string" ? codeOf(field.values, raw) : raw;
    case "text_list": {
      const items =
        typeof raw === "string"
          ? raw
              .split(LIST_SEPARATOR)
              .map((s) => s.trim())
              .filter(Boolean)
          : raw;
      const known = field.values ?? field.labels; // 危化品救援 → hazmat, also in an open list
      return known && Array.isArray(items) ? items.map((i) => (typeof i === "string" ? codeOf(known, i) : i)) : items;
    }
  }
}
