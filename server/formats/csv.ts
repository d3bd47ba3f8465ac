import { Transform } from "node:stream";
import pg from "pg";
import { ident } from "../sql/template.ts";
import { chineseSql, columnSql, columnsOf, type Column } from "./columns.ts";
import type { ExportFormat } from "./export_format.ts";
import { pipeCopy, selectSql } from "./rows.ts";

/** Excel reads a UTF-8 file as UTF-8 (and Chinese right) only when it starts with a byte order mark. */
const BOM = "\uFEFF";

/**
 * A text column's value made safe to open in a spreadsheet (OWASP "CSV injection"): Excel and WPS run a
 * cell beginning with = + - @ tab or carriage return as a formula, so such a text gets a leading `'`,
 * which they show and keep as text. Only text columns: numbers (-3.5 too) stay numbers; a name such as
 * "-3 号仓库" is text and is prefixed.
 */
export function formulaSafe(expression: string): string {
  return `regexp_replace(${expression}, '${FORMULA_START.source}', '''\\1')`;
}

/** What a spreadsheet runs as a formula at the start of a text cell (PostgreSQL's regex reads the same source). */
const FORMULA_START = /^([-=+@\t\r])/;

/** formulaSafe for a text Node writes (the plans' sheets): the same leading `'`. */
export const formulaSafeText = (text: string) => text.replace(FORMULA_START, "'$1");

/** A column as COPY writes it in CSV: booleans as true/false, texts and lists through formulaSafe; in Chinese, by chineseSql. */
function cellSql(c: Column, zh: boolean): string {
  if (zh) return c.type === "text" || c.type === "text_list" ? formulaSafe(chineseSql(c)) : chineseSql(c);
  if (c.type === "boolean") return `${columnSql(c)}::text`;
  return c.type === "text" || c.type === "text_list" ? formulaSafe(columnSql(c)) : columnSql(c);
}

/**
 * CSV written by PostgreSQL's own COPY (RFC 4180 quoting): id, the attributes (booleans as true/false,
 * lists joined with ";", texts through formulaSafe), then lon,lat for point layers or wkt for the others.
 * In Chinese (lang=zh), a sheet for people: the headers are the fields' Chinese labels (编号, 名称 … 经度,
 * 纬度), codes their labels; the import reads such a sheet back.
 */
export const csv: ExportFormat = {
  extension: "csv",
  contentType: "text/csv; charset=utf-8",
  write(db, r, out) {
    const zh = r.language === "zh";
    // a Chinese header is a registry label (not an identifier of ours): quoted as any name
    const header = (c: { name: string; label: { zh: string } }) => (zh ? pg.escapeIdentifier(c.label.zh) : ident(c.name));
    const columns = columnsOf(r.layer, r.fields).map((c) => `${cellSql(c, zh)} AS ${header(c)}`);
    const geometry =
      r.layer.storedAs === "Point"
        ? [`ST_X(t.geom) AS ${header({ name: "lon", label: { zh: "经度" } })}`, `ST_Y(t.geom) AS ${header({ name: "lat", label: { zh: "纬度" } })}`]
        : [`ST_AsText(t.geom) AS ${header({ name: "wkt", label: { zh: "WKT" } })}`];
    let rows = -1; // the header line
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
        r.progress?.(rows);
        done(null, chunk);
      },
    });
    counted.push(BOM);
    return pipeCopy(
      db,
      selectSql(db, r, [`t.id AS ${header({ name: "id", label: { zh: "编号" } })}`, ...columns, ...geometry]),
      "FORMAT csv, HEADER true",
      counted,
      out,
    );
  },
};
