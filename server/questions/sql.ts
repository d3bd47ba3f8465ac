import { readFileSync } from "node:fs";

/**
 * A question's SQL, read once at start-up from the `.sql` file beside its module. Comments are for
 * readers; they are dropped so the `:name` and `?` they mention are not taken for bindings by knex.
 */
export function sqlFile(name: string): string {
  return readFileSync(new URL(`./${name}.sql`, import.meta.url), "utf8").replace(/--[^\n]*/g, "");
}
