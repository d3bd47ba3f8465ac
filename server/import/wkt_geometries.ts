import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";

const statement = new Statement(sqlFile(new URL("./wkt_geometries.sql", import.meta.url)));

/** A WKT cell read by PostGIS: a GeoJSON geometry (2D; `flattened` when Z or M ordinates were dropped), or why not. */
export type WktGeometry = { geometry: unknown; flattened: boolean } | { error: string };

interface Read {
  geometry: unknown;
  srid: number;
  flattened: boolean;
  empty: boolean;
}

function judged(r: Read): WktGeometry {
  if (r.empty) return { error: "the geometry is EMPTY: a feature needs a location" };
  if (r.srid !== 0 && r.srid !== 4326) return { error: `SRID=${r.srid} is not read here: give the coordinates without SRID, in the import's CRS` };
  return { geometry: r.geometry, flattened: r.flattened };
}

/**
 * PostGIS's refusal of a WKT string ("parse error - invalid geometry", the position in its hint).
 */
function parseError(e: unknown): string | undefined {
  const { code, message = "", hint } = e as { code?: string; message?: string; hint?: string };
  const at = code === "XX000" ? /parse error at position (\d+)/.exec(hint ?? "") : null;
  return at ? `${message} (at character ${at[1]})` : undefined;
}

/** One query for the batch; when PostGIS refuses one cell, halves are read apart until each refusal is a row's. */
async function read(db: Db, texts: string[]): Promise<WktGeometry[]> {
  try {
    const rows = await statement.run<Read>(db, { cells: JSON.stringify(texts) });
    return rows.map(judged);
  } catch (e) {
    const error = parseError(e);
    if (error === undefined) throw e;
    if (texts.length === 1) return [{ error }];
    const half = texts.length >> 1;
    return [...(await read(db, texts.slice(0, half))), ...(await read(db, texts.slice(half)))];
  }
}

/**
 * The WKT cells of a batch of rows (undefined: the row has none) as PostGIS reads them, so a WKT
 * column takes every geometry type and notation PostGIS does and then meets the same checks as GeoJSON.
 */
export async function wktGeometries(db: Db, cells: (string | undefined)[]): Promise<(WktGeometry | undefined)[]> {
  const texts = cells.filter((c): c is string => c !== undefined);
  if (texts.length === 0) return cells.map(() => undefined);
  const answers = await read(db, texts);
  let i = 0;
  return cells.map((c) => (c === undefined ? undefined : answers[i++]));
}
