import { allFields, systemProperties, type Layer } from "../layers/layer.ts";

declare const written: unique symbol;
/**
 * SQL text that may fill a `{{placeholder}}`: written in the source (the `sql` tag), a registry
 * identifier (`tableOf`, `columnOf`), a number, or built from those. Never a value from a request:
 * values are bound by name (`:name`, see statement.ts).
 */
export type Sql = string & { readonly [written]: true };

/** A double-quoted SQL identifier. Identifiers only ever come from the registry; refuse anything odd. */
export function ident(name: string): Sql {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a registry identifier: ${name}`);
  return `"${name}"` as Sql;
}

/** A registry code (an enum value such as `county_seat`) as a quoted SQL string: codes only, never a request's value. */
export function literal(code: string): Sql {
  if (!/^[a-z_][a-z0-9_]*$/.test(code)) throw new Error(`not a registry code: ${code}`);
  return `'${code}'` as Sql;
}

/** An identifier unquoted, for a template that quotes it itself, e.g. within a compound name `"rtree_{{table}}_geom"`. */
export function bareIdent(name: string): Sql {
  return ident(name).slice(1, -1) as Sql;
}

/** SQL written in the source: the tag takes only string literals, with Sql or numbers between them. */
export function sql(strings: TemplateStringsArray, ...parts: (Sql | number)[]): Sql {
  return strings.reduce((text, s, i) => text + (i ? textOf(parts[i - 1]!) : "") + s, "") as Sql;
}

const textOf = (v: Sql | number): string => {
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  return String(v);
};

/** Pieces of SQL joined by `separator` (written in the source). */
export const joinSql = (parts: readonly Sql[], separator: Sql = ", " as Sql): Sql => parts.join(separator) as Sql;

/** A layer's table (or view). */
export const tableOf = (layer: Layer): Sql => ident(layer.table);

/** A column of a layer's table: one of its attributes, system properties, id or geom. */
export function columnOf(layer: Layer, name: string): Sql {
  if (!(name in allFields(layer)) && !systemProperties(layer).includes(name) && name !== "id" && name !== "geom") {
    throw new Error(`${layer.name} has no column ${name}`);
  }
  return ident(name);
}

/**
 * A `.sql` template with its `{{name}}` placeholders filled, each everywhere it occurs. A placeholder
 * without a value, or a value without a placeholder, is a programming error: thrown at once.
 */
export function render(template: string, values: Readonly<Record<string, Sql | number>>): Sql {
  for (const name of Object.keys(values)) {
    if (!template.includes(`{{${name}}}`)) throw new Error(`no placeholder {{${name}}} in the template`);
  }
  const text = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for placeholder {{${name}}}`);
    return textOf(values[name]!);
  });
  const left = /\{\{|\}\}/.exec(text);
  if (left) throw new Error(`a malformed placeholder is left in the template at ${left.index}`);
  return text as Sql;
}
