import { readFileSync } from "node:fs";

/**
 * SQL kept in a `.sql` file beside its module, read once at start-up. Comments are for readers; they
 * are dropped so the `:name` and `{{name}}` they mention are not taken for bindings or placeholders.
 */
export function sqlFile(url: URL): string {
  return readFileSync(url, "utf8").replace(/--[^\n]*/g, "");
}
