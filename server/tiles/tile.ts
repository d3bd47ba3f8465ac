import type { Db } from "../db.ts";
import type { TiledLayer } from "../layers/layer.ts";
import { ident } from "../features/sql.ts";
import { sqlFile } from "../sql_file.ts";

const template = sqlFile(new URL("./tile.sql", import.meta.url));
const queries = new Map<TiledLayer, string>();

function queryOf(layer: TiledLayer): string {
  let sql = queries.get(layer);
  if (!sql) {
    const { rank, properties } = layer.tiles;
    sql = template
      .replace("{{table}}", ident(layer.table))
      .replace("{{rank}}", `c.${ident(rank.column)} ${rank.order === "asc" ? "ASC" : "DESC"} NULLS LAST`)
      .replaceAll("{{properties}}", properties.map((p) => `t.${ident(p)}`).join(", "));
    queries.set(layer, sql);
  }
  return sql;
}

/** Web Mercator's width, metres: a tile at zoom z is this / 2^z wide. */
const WORLD_M = 40_075_016.685_578_5;

/** The MVT bytes of one tile (empty when nothing is there). */
export async function tile(db: Db, layer: TiledLayer, z: number, x: number, y: number): Promise<Buffer> {
  const { rows } = await db.raw(queryOf(layer), { z, x, y, cell: WORLD_M / 2 ** z / 64, layer: layer.name });
  return rows[0]?.mvt ?? Buffer.alloc(0);
}
