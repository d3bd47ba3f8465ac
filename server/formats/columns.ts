import pg from "pg";
import { valueLabels, type Label } from "../layers/fields.ts";
import { allFields, systemProperties, type Layer } from "../layers/layer.ts";
import { ident } from "../sql/template.ts";

/** What an exported attribute is, in every format: each writer maps these to its own types. */
export type ColumnType = "integer" | "real" | "text" | "date" | "datetime" | "boolean" | "text_list";

export interface Column {
  name: string;
  type: ColumnType;
  label: Label;
  /** The words for its codes (an enum's, a risk level's, a list's known ones). */
  values?: Record<string, Label>;
}

const SYSTEM_LABELS: Record<string, Label> = {
  version: { zh: "版本", en: "Version" },
  created_at: { zh: "创建时间", en: "Created at" },
  updated_at: { zh: "更新时间", en: "Updated at" },
};

/** Every attribute a layer can export, in registry order (name, code, its own fields, system properties). */
export function exportableFields(layer: Layer): string[] {
  return [...Object.keys(allFields(layer)), ...systemProperties(layer)];
}

/** The columns of an export carrying `fields` (a subset of exportableFields; the caller decides who sees what). */
export function columnsOf(layer: Layer, fields: readonly string[]): Column[] {
  const all = allFields(layer);
  return fields.map((name) => {
    const f = all[name];
    if (!f) return { name, type: name === "version" ? "integer" : "datetime", label: SYSTEM_LABELS[name]! };
    const type: ColumnType = f.kind === "number" ? "real" : f.kind === "enum" ? "text" : f.kind;
    const values = valueLabels(f);
    return { name, type, label: f.label, ...(values ? { values } : {}) };
  });
}

/**
 * The SQL value of a column of row `t` in the one representation every writer reads: int8, float8,
 * bool, or text (dates as YYYY-MM-DD, times as UTC ISO 8601, lists joined with ";").
 */
export function columnSql(c: Column): string {
  const col = `t.${ident(c.name)}`;
  switch (c.type) {
    case "integer":
      return `${col}::int8`;
    case "real":
      return `${col}::float8`;
    case "boolean":
      return `${col}::bool`;
    case "date":
      return `to_char(${col}, 'YYYY-MM-DD')`;
    case "datetime":
      return `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case "text_list":
      return `array_to_string(${col}, ';')`;
    case "text":
      return `${col}::text`;
  }
}

/**
 * A column's value as people read it in Chinese (an export asked for with lang=zh), as text: each code by
 * its label (开放, 重大, 危化品处置), lists joined with 、, yes/no as 是/否; what has no label stays as
 * stored. The labels are the registry's constants, inlined as escaped literals.
 */
export function chineseSql(c: Column): string {
  const col = `t.${ident(c.name)}`;
  const words = (value: string) =>
    c.values
      ? `CASE ${value} ${Object.entries(c.values)
          .map(([code, l]) => `WHEN ${pg.escapeLiteral(code)} THEN ${pg.escapeLiteral(l.zh)}`)
          .join(" ")} ELSE ${value} END`
      : value;
  switch (c.type) {
    case "boolean":
      return `CASE ${col} WHEN true THEN '是' WHEN false THEN '否' END`;
    case "text_list":
      return `array_to_string(ARRAY(SELECT ${words("x")} FROM unnest(${col}) WITH ORDINALITY AS u(x, n) ORDER BY n), '、')`;
    case "integer":
    case "text":
      return c.values ? words(`${col}::text`) : columnSql(c);
    default:
      return columnSql(c);
  }
}
