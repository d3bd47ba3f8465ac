import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { render, sql, tableOf, type Sql } from "../sql/template.ts";
import type { FeatureCollection } from "./feature_collections.ts";

export type Bbox = [number, number, number, number];

/** The box of `{{extent}}`, a query of one row whose box is e (an aggregate, so it runs once, not once per ST_XMin…). */
const BOX = "SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1 FROM ({{extent}}) s";

/**
 * A box containing every feature of a layer, cheaply. On a table with a GiST index, PostGIS 3
 * ST_EstimatedExtent reads the index's root box: kept up to date by every insert, rounded outwards
 * to float4, never shrunk by deletes, so it always contains every row (maybe a little more) in well
 * under a millisecond. Derived layers (views, which have no index of their own) and tables where it
 * returns NULL get the exact ST_Extent, a full scan, and so do collections holding one geometry type of a
 * mixed layer (the index box covers all types). Null for an empty collection.
 */
export async function collectionExtent(db: Db, { layer, dimension }: Pick<FeatureCollection, "layer" | "dimension">): Promise<Bbox | null> {
  const box = async (extent: Sql, bindings: Record<string, unknown> = {}) => {
    const [r] = await new Statement(render(BOX, { extent })).run<{ x0: number | null; y0: number; x1: number; y1: number }>(db, bindings);
    return r!.x0 === null ? null : ([r!.x0, r!.y0, r!.x1, r!.y1] as Bbox);
  };
  if (dimension !== undefined) return box(sql`SELECT ST_Extent(geom) AS e FROM ${tableOf(layer)} WHERE ST_Dimension(geom) = :dimension`, { dimension });
  const estimated = layer.readOnly ? null : await box(sql`SELECT ST_EstimatedExtent(:table, 'geom') AS e`, { table: layer.table });
  return estimated ?? (await box(sql`SELECT ST_Extent(geom) AS e FROM ${tableOf(layer)}`));
}
