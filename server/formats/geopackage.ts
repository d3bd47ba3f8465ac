import { createReadStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3";
import type { Db } from "../db.ts";
import { bareIdent, ident, render } from "../sql/template.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { BinaryCopyReader, decode, type Decode } from "./binary_copy.ts";
import { columnSql, columnsOf, type ColumnType } from "./columns.ts";
import type { ExportFormat } from "./export_format.ts";
import { copyOut, selectSql, withExportConnection, type ExportRequest } from "./rows.ts";
import { withTempDir } from "./temp_dir.ts";

const SCHEMA = sqlFile(new URL("./geopackage.sql", import.meta.url));
const RTREE = sqlFile(new URL("./geopackage_rtree.sql", import.meta.url));

/** "GPKG" as a big-endian integer, and GeoPackage 1.2.0 (§1.1.1.1.1). */
const APPLICATION_ID = 0x47504b47;
const USER_VERSION = 10200;

const COLUMN_TYPES: Record<ColumnType, { sql: string; decode: Decode }> = {
  integer: { sql: "INTEGER", decode: decode.int8 },
  real: { sql: "REAL", decode: decode.float8 },
  boolean: { sql: "BOOLEAN", decode: (b, s) => b[s] }, // SQLite stores booleans as 0/1
  date: { sql: "DATE", decode: decode.text },
  datetime: { sql: "DATETIME", decode: decode.text },
  text: { sql: "TEXT", decode: decode.text },
  text_list: { sql: "TEXT", decode: decode.text },
};
const GEOMETRY_TYPES = { Point: "POINT", MultiLineString: "MULTILINESTRING", MultiPolygon: "MULTIPOLYGON", Geometry: "GEOMETRY" } as const;

type Envelope = [minX: number, maxX: number, minY: number, maxY: number];

/**
 * A GeoPackage geometry blob (§2.1.3): "GP", version 0, flags (bit 0: little-endian; bits 1–3: envelope
 * kind, 0 none or 1 [minx, maxx, miny, maxy]), srs_id, the envelope, then the WKB. Points carry none.
 */
function geometryBlob(wkb: Buffer, envelope: Envelope | null): Buffer {
  const head = envelope ? 40 : 8;
  const blob = Buffer.allocUnsafe(head + wkb.length);
  blob.write("GP", 0, "latin1");
  blob[2] = 0;
  blob[3] = envelope ? 0b011 : 0b001;
  blob.writeInt32LE(4326, 4);
  envelope?.forEach((v, i) => blob.writeDoubleLE(v, 8 + 8 * i));
  wkb.copy(blob, head);
  return blob;
}

/** The envelope of a blob written by geometryBlob: from its header, or the point itself. */
function envelopeOf(blob: Buffer): Envelope {
  if (blob[3]! & 0b1110) return [0, 1, 2, 3].map((i) => blob.readDoubleLE(8 + 8 * i)) as Envelope;
  const x = blob.readDoubleLE(8 + 5);
  const y = blob.readDoubleLE(8 + 13);
  return [x, x, y, y];
}

/** Writes the export as a GeoPackage at `path`: rows first in one transaction, the R-tree after. */
async function writeGeoPackage(db: Db, r: ExportRequest, path: string): Promise<void> {
  const columns = columnsOf(r.layer, r.fields);
  const table = r.layer.table;
  const points = r.layer.storedAs === "Point";
  const gpkg = new Database(path);
  try {
    gpkg.pragma(`application_id = ${APPLICATION_ID}`);
    gpkg.pragma(`user_version = ${USER_VERSION}`);
    gpkg.pragma("journal_mode = OFF"); // a file being made from scratch: nothing to roll back to
    gpkg.pragma("synchronous = OFF");
    (["ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"] as const).forEach((name, i) =>
      gpkg.function(name, { deterministic: true }, (g: unknown) => envelopeOf(g as Buffer)[i]!),
    );
    gpkg.function("ST_IsEmpty", { deterministic: true }, (_geometry: unknown) => 0); // the layers' CHECKs forbid empty geometries
    gpkg.exec(SCHEMA);
    gpkg.exec(
      `CREATE TABLE ${ident(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${GEOMETRY_TYPES[r.layer.storedAs]}` +
        columns.map((c) => `, ${ident(c.name)} ${COLUMN_TYPES[c.type].sql}`).join("") +
        ")",
    );
    const insert = gpkg.prepare(`INSERT INTO ${ident(table)} VALUES (${["?", "?", ...columns.map(() => "?")].join(", ")})`);

    const bounds = [Infinity, Infinity, -Infinity, -Infinity];
    gpkg.exec("BEGIN");
    await withExportConnection(db, async (client) => {
      const envelope = ["ST_XMin", "ST_XMax", "ST_YMin", "ST_YMax"].map((f) => `${f}(t.geom)`);
      const select = selectSql(db, r, ["t.id", "ST_AsBinary(t.geom, 'NDR')", ...envelope, ...columns.map(columnSql)]);
      const reader = new BinaryCopyReader([
        decode.int8,
        decode.bytes,
        ...envelope.map(() => decode.float8),
        ...columns.map((c) => COLUMN_TYPES[c.type].decode),
      ]);
      for await (const chunk of copyOut(client, select, "FORMAT binary")) {
        reader.push(chunk as Buffer, (row) => {
          const env = row.splice(2, 4) as Envelope;
          if (row[1] === null) return void insert.run(row); // no geometry (a township without its polygon): no envelope
          if (env[0] < bounds[0]!) bounds[0] = env[0];
          if (env[2] < bounds[1]!) bounds[1] = env[2];
          if (env[1] > bounds[2]!) bounds[2] = env[1];
          if (env[3] > bounds[3]!) bounds[3] = env[3];
          row[1] = geometryBlob(row[1] as Buffer, points ? null : env);
          insert.run(row);
        });
        r.progress?.(reader.rows);
        r.signal?.throwIfAborted();
      }
    });
    const extent = bounds.map((v) => (Number.isFinite(v) ? v : null)); // no rows, no extent
    gpkg
      .prepare(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)",
      )
      .run(table, r.layer.name, `${r.layer.label.zh} ${r.layer.label.en}`, ...extent);
    gpkg.prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)").run(table, GEOMETRY_TYPES[r.layer.storedAs]);
    gpkg.exec("COMMIT");
    gpkg.exec(render(RTREE, { table: bareIdent(table) }));
  } finally {
    gpkg.close();
  }
}

/** GeoPackage 1.2 with the layer's attribute types, SRS 4326 and an R-tree spatial index. */
export const geopackage: ExportFormat = {
  extension: "gpkg",
  contentType: "application/geopackage+sqlite3",
  write(db, r, out) {
    return withTempDir(async (dir) => {
      const path = join(dir, `${r.layer.table}.gpkg`);
      await writeGeoPackage(db, r, path);
      await pipeline(createReadStream(path), out);
    });
  },
};
