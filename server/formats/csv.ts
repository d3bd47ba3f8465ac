import { Transform } from "node:stream";
import { ident } from "../features/sql.ts";
import { columnSql, columnsOf } from "./columns.ts";
import type { ExportFormat } from "./export_format.ts";
import { pipeCopy, selectSql } from "./rows.ts";

/** Excel reads a UTF-8 file as UTF-8 (and Chinese right) only when it starts with a byte order mark. */
const BOM = "\uFEFF";

/**
 * CSV written by PostgreSQL's own COPY (RFC 4180 quoting): id, the attributes (booleans as true/false,
 * lists joined with ";"), then lon,lat for point layers or wkt for the others.
 */
export const csv: ExportFormat = {
  extension: "csv",
  contentType: "text/csv; charset=utf-8",
  write(db, r, out) {
    const columns = columnsOf(r.layer, r.fields).map((c) => `${columnSql(c)}${c.type === "boolean" ? "::text" : ""} AS ${ident(c.name)}`);
    const geometry = r.layer.storedAs === "Point" ? ["ST_X(t.geom) AS lon", "ST_Y(t.geom) AS lat"] : ["ST_AsText(t.geom) AS wkt"];
    let rows = -1; // the header line
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
        r.progress?.(rows);
        done(null, chunk);
      },
    });
    counted.push(BOM);
    return pipeCopy(db, selectSql(db, r, ["t.id", ...columns, ...geometry]), "FORMAT csv, HEADER true", counted, out);
  },
};
