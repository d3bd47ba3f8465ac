import Database from "better-sqlite3";
import { Problem } from "../http/problem.ts";
import { geoPackageGeometry } from "./geopackage_geometry.ts";
import { epsgProjection, wktProjection } from "./projection.ts";
import type { FileFacts, SourceRow } from "./row_feature.ts";
import { fromSpooledFile } from "./spooled_file.ts";

export interface GeoPackageOptions {
  /** Which feature table, when the GeoPackage holds several. */
  fileLayer?: string;
  /** Whether the import names the coordinate system (`crs=`), overriding the table's. */
  crsGiven: boolean;
  /** A preview: tells rather than refuses (several feature tables: the first; no usable SRS: `facts.crsProblem`). */
  preview?: boolean;
}

const BATCH = 1000;
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const refused = (slug: string, title: string, detail: string, field: string) => new Problem(422, slug, title, detail, [{ path: [field], message: detail }]);

/** The feature table to read and its geometry column and SRS, as gpkg_contents and gpkg_geometry_columns list them. */
function chosenTable(db: Database.Database, fileLayer: string | undefined, preview = false) {
  const tables = featureTables(db);
  return { ...pickTable(tables, fileLayer, preview), all: tables.map((t) => t.name) };
}

function featureTables(db: Database.Database) {
  return db
    .prepare(
      `SELECT c.table_name AS name, g.column_name AS geometry, g.srs_id AS srs
         FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
        WHERE c.data_type = 'features' ORDER BY c.table_name`,
    )
    .all() as { name: string; geometry: string; srs: number }[];
}

function pickTable(tables: ReturnType<typeof featureTables>, fileLayer: string | undefined, preview: boolean) {
  if (tables.length === 0) throw new Error("the GeoPackage holds no feature table");
  const names = tables.map((t) => t.name).join(", ");
  if (fileLayer !== undefined) {
    const chosen = tables.find((t) => t.name === fileLayer);
    if (!chosen)
      throw refused(
        "no-such-file-layer",
        "No such feature table",
        `the GeoPackage holds no feature table ${JSON.stringify(fileLayer)}; it holds ${names}`,
        "file_layer",
      );
    return chosen;
  }
  if (tables.length > 1 && !preview)
    throw refused(
      "several-file-layers",
      "Several feature tables",
      `the GeoPackage holds ${tables.length} feature tables (${names}): give file_layer=<one of them>`,
      "file_layer",
    );
  return tables[0]!;
}

/**
 * The table's coordinate system from gpkg_spatial_ref_sys: a built-in EPSG code when the organization
 * is EPSG, else its WKT definition. srs_id 0 and -1 are GeoPackage's "undefined geographic/cartesian":
 * refused without `crs=`, as a shapefile without a .prj.
 */
function tableCrs(db: Database.Database, table: string, srsId: number): FileFacts["crs"] {
  const srs = db.prepare("SELECT srs_name, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?").get(srsId) as
    | { srs_name: string; organization: string; organization_coordsys_id: number; definition: string }
    | undefined;
  const named = srs?.organization?.toUpperCase() === "EPSG" ? epsgProjection(srs.organization_coordsys_id) : undefined;
  if (named) return named;
  if (srsId <= 0 || !srs || !srs.definition || srs.definition === "undefined")
    throw refused(
      "no-crs",
      "Coordinate system not given",
      `${table}: the GeoPackage does not say its coordinate system (srs_id ${srsId}): give crs=wgs84, cgcs2000 or EPSG:<code>`,
      "crs",
    );
  return wktProjection(srs.definition, `${table}'s coordinate system ${srs.srs_name} (srs_id ${srsId})`);
}

/**
 * The features of one feature table of a GeoPackage (SQLite), a batch at a time, numbered by their
 * feature id. Its coordinate system becomes `facts.crs`.
 */
export function readGeoPackage(bytes: AsyncIterable<Buffer>, options: GeoPackageOptions, facts: FileFacts): AsyncGenerator<SourceRow[]> {
  return fromSpooledFile(bytes, "upload.gpkg", async function* (path) {
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.prepare("SELECT 1 FROM gpkg_contents LIMIT 1").get();
    } catch (e) {
      throw new Error(`not a GeoPackage (${(e as Error).message})`);
    }
    try {
      const table = chosenTable(db, options.fileLayer, options.preview);
      facts.fileLayers = { names: table.all, read: table.name };
      if (!options.crsGiven) {
        try {
          facts.crs = tableCrs(db, table.name, table.srs);
        } catch (e) {
          if (!(options.preview && e instanceof Problem)) throw e;
          facts.crsProblem = e.detail;
        }
      }
      const columns = db.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(table.name) as { name: string; pk: number }[];
      const fid = columns.find((c) => c.pk === 1)?.name;
      let count = 0;
      let batch: SourceRow[] = [];
      for (const record of db.prepare(`SELECT * FROM ${quoted(table.name)}`).iterate() as Iterable<Record<string, unknown>>) {
        const row = fid && typeof record[fid] === "number" ? (record[fid] as number) : ++count;
        const blob = record[table.geometry];
        const cells: Record<string, unknown> = {};
        for (const c of columns) if (c.name !== table.geometry && c.name !== fid) cells[c.name] = record[c.name];
        let geometry;
        try {
          geometry = blob instanceof Buffer ? geoPackageGeometry(blob) : null;
        } catch (e) {
          throw new Error(`feature ${row}: ${(e as Error).message}`);
        }
        batch.push({ row, cells, geometry });
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
      yield batch;
    } finally {
      db.close();
    }
  });
}
