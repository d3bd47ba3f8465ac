import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";
import type pg from "pg";
import type { Db } from "../db.ts";
import { filtered } from "../features/repository.ts";
import { BinaryCopyReader, decode, type Decode } from "./binary_copy.ts";
import { columnSql, columnsOf, type Column } from "./columns.ts";
import { DbfWriter, dbfNames, type DbfField } from "./dbf.ts";
import type { ExportFormat } from "./export_format.ts";
import { FileSink } from "./file_sink.ts";
import { copyOut, selectSql, withExportConnection, type ExportRequest } from "./rows.ts";
import { withTempDir } from "./temp_dir.ts";
import { readWkb, type Shape } from "./wkb.ts";
import type { Layer } from "../layers/layer.ts";

/** ESRI's WKT of WGS 84 (EPSG:4326), what a .prj holds. */
const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const SHAPE_TYPES = { point: 1, line: 3, polygon: 5 } as const;
const SHAPE_KINDS = { Point: "point", MultiLineString: "line", MultiPolygon: "polygon" } as const;

/** A .shp and its .shx index for one shape type (ESRI Shapefile Technical Description, 1998). */
class ShpWriter {
  private readonly shp: FileSink;
  private readonly shx: FileSink;
  private records = 0;
  private readonly bbox = [Infinity, Infinity, -Infinity, -Infinity];
  /** Reused buffers: FileSink copies what it is given. */
  private readonly pointRecord = Buffer.alloc(28);
  private readonly index = Buffer.alloc(8);

  constructor(
    base: string,
    private readonly kind: Shape["kind"],
  ) {
    this.shp = new FileSink(`${base}.shp`);
    this.shx = new FileSink(`${base}.shx`);
    this.shp.write(Buffer.alloc(100));
    this.shx.write(Buffer.alloc(100));
    this.pointRecord.writeInt32BE(10, 4); // 20 bytes of content, in 16-bit words
    this.pointRecord.writeInt32LE(SHAPE_TYPES.point, 8);
  }

  /** A point: the common case at national scale, so without reading it into a Shape first. */
  addPoint(x: number, y: number): void {
    const rec = this.pointRecord;
    rec.writeInt32BE(this.records + 1, 0);
    rec.writeDoubleLE(x, 12);
    rec.writeDoubleLE(y, 20);
    this.write(rec, [x, y, x, y]);
  }

  /** A record with no geometry (the Null shape, type 0): a township without its polygon. */
  addNull(): void {
    const rec = Buffer.alloc(12);
    rec.writeInt32BE(this.records + 1, 0);
    rec.writeInt32BE(2, 4); // 4 bytes of content: the shape type
    this.write(rec, [Infinity, Infinity, -Infinity, -Infinity]);
  }

  add(shape: Shape): void {
    if (this.kind === "point") {
      this.addPoint(shape.parts[0]![0]!, shape.parts[0]![1]!);
      return;
    }
    const points = shape.parts.reduce((n, p) => n + p.length / 2, 0);
    const rec = Buffer.allocUnsafe(8 + 44 + 4 * shape.parts.length + 16 * points);
    rec.writeInt32BE(this.records + 1, 0);
    rec.writeInt32BE((rec.length - 8) / 2, 4);
    rec.writeInt32LE(SHAPE_TYPES[this.kind], 8);
    shape.bbox.forEach((v, i) => rec.writeDoubleLE(v, 12 + 8 * i));
    rec.writeInt32LE(shape.parts.length, 44);
    rec.writeInt32LE(points, 48);
    let at = 52 + 4 * shape.parts.length;
    let first = 0;
    shape.parts.forEach((part, i) => {
      rec.writeInt32LE(first, 52 + 4 * i);
      first += part.length / 2;
      for (const v of part) at = rec.writeDoubleLE(v, at);
    });
    this.write(rec, shape.bbox);
  }

  /** Appends a record (its header filled in but the length) and its index entry. */
  private write(rec: Buffer, bbox: readonly number[]): void {
    this.records++;
    this.index.writeInt32BE(this.shp.size / 2, 0);
    this.index.writeInt32BE((rec.length - 8) / 2, 4);
    this.shx.write(this.index);
    this.shp.write(rec);
    if (bbox[0]! < this.bbox[0]!) this.bbox[0] = bbox[0]!;
    if (bbox[1]! < this.bbox[1]!) this.bbox[1] = bbox[1]!;
    if (bbox[2]! > this.bbox[2]!) this.bbox[2] = bbox[2]!;
    if (bbox[3]! > this.bbox[3]!) this.bbox[3] = bbox[3]!;
  }

  close(): void {
    for (const sink of [this.shp, this.shx]) {
      const head = Buffer.alloc(100);
      head.writeInt32BE(9994, 0);
      head.writeInt32BE(sink.size / 2, 24);
      head.writeInt32LE(1000, 28);
      head.writeInt32LE(SHAPE_TYPES[this.kind], 32);
      if (this.records > 0) this.bbox.forEach((v, i) => head.writeDoubleLE(v, 36 + 8 * i));
      sink.writeAt(head, 0);
      sink.close();
    }
  }
}

/** Bytes a text column needs in the .dbf: its longest value in the export, within dBase's 254. */
async function textWidths(client: pg.Client, db: Db, r: ExportRequest, columns: readonly Column[]): Promise<number[]> {
  if (columns.length === 0) return [];
  const { sql, bindings } = filtered(db, r.layer, r.where)
    .select(db.raw(columns.map((c, i) => `max(octet_length(${columnSql(c)})) AS w${i}`).join(", ")))
    .toSQL()
    .toNative();
  const {
    rows: [row],
  } = await client.query(sql, bindings as unknown[]);
  return columns.map((_, i) => Math.min(254, Math.max(1, Number(row[`w${i}`] ?? 1))));
}

const isText = (c: Column) => c.type === "text" || c.type === "text_list" || c.type === "datetime";

/** The .dbf field of a column (text widths measured), and how its values are read from the COPY. */
function dbfColumn(c: Column, name: string, width: number | undefined): { field: DbfField; decode: Decode } {
  switch (c.type) {
    case "integer":
      return { field: { name, type: "N", length: 11, decimals: 0 }, decode: decode.int8 };
    case "real":
      return { field: { name, type: "N", length: 24, decimals: 15 }, decode: decode.float8 };
    case "date":
      return { field: { name, type: "D", length: 8, decimals: 0 }, decode: decode.text };
    case "boolean":
      return { field: { name, type: "L", length: 1, decimals: 0 }, decode: decode.bool };
    default:
      return { field: { name, type: "C", length: width!, decimals: 0 }, decode: decode.bytes };
  }
}

/**
 * Writes the layer as shapefiles in `dir`: one (named after the table) for a single-type layer, one per
 * shape type (`<table>_point`, `_line`, `_polygon`) for a mixed one, as ogr2ogr does. Returns the file names.
 */
async function writeShapefiles(db: Db, r: ExportRequest, dir: string): Promise<string[]> {
  const columns = columnsOf(r.layer, r.fields);
  const names = dbfNames(["id", ...columns.map((c) => c.name)]);
  const mixed = r.layer.storedAs === "Geometry";
  const files: string[] = [];
  await withExportConnection(db, async (client) => {
    const widths = await textWidths(client, db, r, columns.filter(isText));
    let w = 0;
    const dbf = [
      { field: { name: "id", type: "N", length: 18, decimals: 0 } as DbfField, decode: decode.int8 },
      ...columns.map((c, i) => dbfColumn(c, names[i + 1]!, isText(c) ? widths[w++] : undefined)),
    ];
    const writers = new Map<Shape["kind"], { shp: ShpWriter; dbf: DbfWriter }>();
    const writerFor = (kind: Shape["kind"]) => {
      let writer = writers.get(kind);
      if (!writer) {
        const base = mixed ? `${r.layer.table}_${kind}` : r.layer.table;
        files.push(...["shp", "shx", "dbf", "prj", "cpg"].map((ext) => `${base}.${ext}`));
        writeFileSync(join(dir, `${base}.prj`), WGS84_PRJ);
        writeFileSync(join(dir, `${base}.cpg`), "UTF-8");
        writers.set(
          kind,
          (writer = {
            shp: new ShpWriter(join(dir, base), kind),
            dbf: new DbfWriter(
              join(dir, `${base}.dbf`),
              dbf.map((d) => d.field),
            ),
          }),
        );
      }
      return writer;
    };
    const single = mixed ? undefined : writerFor(SHAPE_KINDS[r.layer.storedAs as Exclude<Layer["storedAs"], "Geometry">]);
    const points = r.layer.storedAs === "Point" ? single : undefined;

    // shapefile rings: outer clockwise, holes counter-clockwise
    const geometry = r.layer.storedAs === "Point" ? "t.geom" : "ST_ForcePolygonCW(t.geom)";
    const select = selectSql(db, r, ["t.id", ...columns.map(columnSql), `ST_AsBinary(${geometry}, 'NDR')`]);
    const reader = new BinaryCopyReader([...dbf.map((d) => d.decode), decode.bytes]);
    try {
      for await (const chunk of copyOut(client, select, "FORMAT binary")) {
        reader.push(chunk as Buffer, (row) => {
          const wkb = row.pop() as Buffer | null;
          if (wkb === null) {
            // only a layer of one shape type may lack geometry (townships): its one file holds the null shape
            single!.shp.addNull();
            single!.dbf.add(row);
            return;
          }
          if (points) {
            // WKB point, little-endian: byte order, type, x, y
            points.shp.addPoint(wkb.readDoubleLE(5), wkb.readDoubleLE(13));
            points.dbf.add(row);
            return;
          }
          const shape = readWkb(wkb);
          const writer = writerFor(shape.kind);
          writer.shp.add(shape);
          writer.dbf.add(row);
        });
        r.progress?.(reader.rows);
        r.signal?.throwIfAborted();
      }
    } finally {
      for (const writer of writers.values()) {
        writer.shp.close();
        writer.dbf.close();
      }
    }
  });
  const mapping = [
    "dbf_name\tfield\tzh\ten",
    ...names.map((n, i) =>
      [n, i === 0 ? "id" : columns[i - 1]!.name, ...(i === 0 ? ["编号", "ID"] : [columns[i - 1]!.label.zh, columns[i - 1]!.label.en])].join("\t"),
    ),
  ];
  writeFileSync(join(dir, "fields.txt"), `${mapping.join("\n")}\n`);
  return [...files, "fields.txt"];
}

/** A .zip of .shp/.shx/.dbf/.prj/.cpg (per shape type) and fields.txt, the dBase name of each attribute. */
export const shapefile: ExportFormat = {
  extension: "zip",
  contentType: "application/zip",
  write(db, r, out) {
    return withTempDir(async (dir) => {
      const files = await writeShapefiles(db, r, dir);
      const zip = new yazl.ZipFile();
      for (const f of files) zip.addFile(join(dir, f), f, { compressionLevel: 1 });
      zip.end();
      await pipeline(zip.outputStream, out);
    });
  },
};
