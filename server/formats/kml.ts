import pg from "pg";
import type { Layer } from "../layers/layer.ts";
import { ident } from "../sql/template.ts";
import { columnSql, columnsOf, type Column, type ColumnType } from "./columns.ts";
import type { ExportFormat } from "./export_format.ts";
import { pipeTextRows, selectSql } from "./rows.ts";

/** The column that carries a layer's risk level 1–4, if it has one. */
const RISK_COLUMNS = ["risk_level", "max_risk_level"];

/** 1 重大 red, 2 较大 orange, 3 一般 yellow, 4 低 blue, as KML colours (aabbggrr). */
const RISK_COLOURS = ["ff0000ff", "ff00a5ff", "ff00ffff", "ffff0000"];

const SIMPLE_TYPES: Record<ColumnType, string> = {
  integer: "int",
  real: "double",
  boolean: "bool",
  text: "string",
  date: "string",
  datetime: "string",
  text_list: "string",
};

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function styles(): string {
  return RISK_COLOURS.map(
    (c, i) =>
      `<Style id="risk${i + 1}"><IconStyle><color>${c}</color></IconStyle><LineStyle><color>${c}</color><width>2</width></LineStyle>` +
      `<PolyStyle><color>66${c.slice(2)}</color></PolyStyle></Style>`,
  ).join("\n");
}

/** Text as XML character data (attribute values here are registry names, which need nothing). */
const xmlText = (sql: string) => `replace(replace(replace(${sql}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;

/**
 * One Placemark per row, written by PostgreSQL: the name in <name>, a risk style, every other
 * attribute (id first) as SchemaData (a NULL drops its element: concat skips NULLs), the geometry
 * from ST_AsKML. String concatenation, because xmlelement() is several times slower.
 */
function placemarkSql(layer: Layer, fields: readonly string[]): string {
  const data = columnsOf(layer, fields).filter((c) => c.name !== "name");
  const simpleData = (name: string, value: string) => `${pg.escapeLiteral(`<SimpleData name="${name}">`)} || ${value} || '</SimpleData>'`;
  const value = (c: Column) =>
    c.type === "text" || c.type === "text_list"
      ? xmlText(columnSql(c))
      : c.type === "boolean"
        ? `${columnSql(c)}::int::text` // xsd:boolean 1/0: GDAL reads "true" as 0
        : `${columnSql(c)}::text`;
  const risk = RISK_COLUMNS.find((c) => fields.includes(c));
  return `concat('<Placemark>',
    ${fields.includes("name") ? `'<name>' || ${xmlText("t.name")} || '</name>',` : ""}
    ${risk ? `'<styleUrl>#risk' || t.${ident(risk)} || '</styleUrl>',` : ""}
    ${pg.escapeLiteral(`<ExtendedData><SchemaData schemaUrl="#${layer.table}">`)},
    ${[simpleData("id", "t.id::text"), ...data.map((c) => simpleData(c.name, value(c)))].join(",\n    ")},
    '</SchemaData></ExtendedData>', ST_AsKML(t.geom, 9), '</Placemark>')`;
}

/** KML 2.2: a Document with the risk styles, the attribute Schema, and a Folder of Placemarks. */
export const kml: ExportFormat = {
  extension: "kml",
  contentType: "application/vnd.google-earth.kml+xml; charset=utf-8",
  write(db, r, out) {
    const fields = columnsOf(r.layer, r.fields).filter((c) => c.name !== "name");
    const schema = [`<SimpleField name="id" type="int"/>`, ...fields.map((c) => `<SimpleField name="${c.name}" type="${SIMPLE_TYPES[c.type]}"/>`)].join("");
    const title = escapeXml(`${r.layer.label.zh} ${r.layer.label.en}`);
    const head =
      `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document id="root_doc">\n` +
      `${styles()}\n<Schema name="${r.layer.table}" id="${r.layer.table}">${schema}</Schema>\n<Folder><name>${escapeXml(r.layer.name)}</name><description>${title}</description>\n`;
    return pipeTextRows(db, r, selectSql(db, r, [placemarkSql(r.layer, r.fields)]), { head, separator: "\n", tail: "\n</Folder>\n</Document>\n</kml>\n" }, out);
  },
};
