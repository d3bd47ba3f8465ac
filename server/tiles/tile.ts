import type { Db } from "../db.ts";
import type { TiledLayer } from "../layers/layer.ts";
import { ident } from "../sql/template.ts";
import { sqlFile } from "../sql/sql_file.ts";

const template = sqlFile(new URL("./tile.sql", import.meta.url));
const cachedQuery = sqlFile(new URL("./tile_cached.sql", import.meta.url));
const storedTemplate = sqlFile(new URL("./tile_stored.sql", import.meta.url));

/** Tiles up to this zoom span a province or more: costly to thin, few, and asked for by every map. */
export const CACHED_MAX_ZOOM = 8;

const queries = new Map<TiledLayer, { fresh: string; stored: string }>();

function queriesOf(layer: TiledLayer) {
  let q = queries.get(layer);
  if (!q) {
    const { rank, properties } = layer.tiles;
    const fresh = template
      .replace("{{table}}", ident(layer.table))
      .replace("{{rank}}", `c.${ident(rank.column)} ${rank.order === "asc" ? "ASC" : "DESC"} NULLS LAST`)
      .replaceAll("{{properties}}", properties.map((p) => `t.${ident(p)}`).join(", "));
    q = { fresh, stored: storedTemplate.replace("{{tile}}", fresh) };
    queries.set(layer, q);
  }
  return q;
}

/** Web Mercator's width, metres: a tile at zoom z is this / 2^z wide. */
const WORLD_M = 40_075_016.685_578_5;

/** The MVT bytes of one tile (empty when nothing is there). */
export async function tile(db: Db, layer: TiledLayer, z: number, x: number, y: number): Promise<Buffer> {
  const q = queriesOf(layer);
  const bindings = { z, x, y, cell: WORLD_M / 2 ** z / 64, layer: layer.name, table: layer.table };
  if (z <= CACHED_MAX_ZOOM) {
    const { rows } = await db.raw(cachedQuery, bindings);
    if (rows.length) return rows[0].mvt;
  }
  const { rows } = await db.raw(z <= CACHED_MAX_ZOOM ? q.stored : q.fresh, bindings);
  return rows[0]?.mvt ?? Buffer.alloc(0);
}
