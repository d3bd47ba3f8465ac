import type { Knex } from "knex";
import type { Layer } from "../layers/layer.ts";
import { toSimplified } from "../text/to_simplified.ts";

/**
 * A village may name its township instead of coding it (`township_name`, a sheet's 乡镇 column): the
 * name is resolved to the township's admin code, which is what is stored (the township's name stays
 * the township's: renaming it renames it for every village). It must name exactly one township,
 * compared in Simplified characters, ignoring case and blanks (埔里鎮 = 埔里镇 = 埔里 镇); a township's
 * code is taken as itself. A name no township has, or several have, is refused: a village silently left
 * out of its township's counts is what this exists to prevent.
 */

export interface FieldIssue {
  field: string;
  message: string;
}
export type ResolveInput = (properties: Record<string, unknown>) => { properties: Record<string, unknown> } | FieldIssue;

const keys = new Map<string, string>();
/** A name as compared. Converting is the slow part, and the same few names come again and again. */
export function nameKey(name: string): string {
  let key = keys.get(name);
  if (key === undefined) {
    key = toSimplified(name.normalize("NFKC")).replace(/\s+/g, "").toLowerCase();
    if (keys.size < 100_000) keys.set(name, key);
  }
  return key;
}

/**
 * What turns a layer's input-only attributes into stored ones (township_name → township_code), reading
 * the townships once for a request or a whole import; undefined when the layer has none.
 */
export async function inputResolver(db: Knex, layer: Layer): Promise<ResolveInput | undefined> {
  if (!layer.inputOnly?.township_name) return undefined;
  const rows: { admin_code: string | null; name: string }[] = await db("townships").select("admin_code", "name");
  const codes = new Set(rows.map((r) => r.admin_code));
  const byKey = new Map<string, typeof rows>();
  for (const r of rows) byKey.set(nameKey(r.name), [...(byKey.get(nameKey(r.name)) ?? []), r]);

  return (properties) => {
    const { township_name: given, ...stored } = properties;
    if (typeof given !== "string") return { properties: stored }; // null: not given
    const field = "township_name";
    let code: string;
    if (codes.has(given)) code = given;
    else {
      const found = byKey.get(nameKey(given)) ?? [];
      if (found.length === 0) return { field, message: `no township is named ${given}: add it to townships first, or give township_code` };
      if (found.length > 1)
        return {
          field,
          message: `${found.length} townships are named ${given} (${found.map((t) => t.admin_code ?? "no code").join(", ")}): give township_code instead`,
        };
      if (found[0]!.admin_code === null) return { field, message: `township ${found[0]!.name} has no admin code: give it one first` };
      code = found[0]!.admin_code;
    }
    if (typeof stored.township_code === "string" && stored.township_code !== code) {
      return { field, message: `names township ${code}, but township_code is ${stored.township_code}` };
    }
    return { properties: { ...stored, township_code: code } };
  };
}
