import type { Db } from "../db.ts";
import { allFields, type TiledLayer } from "../layers/layer.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { columnOf, joinSql, literal, render, sql, type Sql, tableOf } from "../sql/template.ts";

const template = sqlFile(new URL("./tile.sql", import.meta.url));
const cached = new Statement(sqlFile(new URL("./tile_cached.sql", import.meta.url)));
const storedTemplate = sqlFile(new URL("./tile_stored.sql", import.meta.url));

/** Tiles up to this zoom span a province or more: costly to thin, few, and asked for by every map. */
export const CACHED_MAX_ZOOM = 8;

/** What a tile ranks its points by: the rank column, or for an enum the position of its value in the declared order. */
function rankOf(layer: TiledLayer): Sql {
  const column = sql`c.${columnOf(layer, layer.tiles.rank.column)}`;
  const field = allFields(layer)[layer.tiles.rank.column];
  if (field?.kind !== "enum") return column;
  return sql`CASE ${column} ${joinSql(
    Object.keys(field.values).map((v, i) => sql`WHEN ${literal(v)} THEN ${i}`),
    sql` `,
  )} END`;
}

const statements = new Map<TiledLayer, { fresh: Statement; stored: Statement }>();

function statementsOf(layer: TiledLayer) {
  let s = statements.get(layer);
  if (!s) {
    const { rank, properties } = layer.tiles;
    const fresh = render(template, {
      table: tableOf(layer),
      rank: sql`${rankOf(layer)} ${rank.order === "asc" ? sql`ASC` : sql`DESC`} NULLS LAST`,
      properties: joinSql(properties.map((p) => sql`t.${columnOf(layer, p)}`)),
    });
    s = { fresh: new Statement(fresh), stored: new Statement(render(storedTemplate, { tile: fresh })) };
    statements.set(layer, s);
  }
  return s;
}

/** Web Mercator's width, metres: a tile at zoom z is this / 2^z wide. */
const WORLD_M = 40_075_016.685_578_5;

/**
 * The MVT bytes of one tile (empty when nothing is there), read from `db`; a low-zoom tile made afresh
 * is kept in `keep` (the primary when `db` is a read replica, where nothing can be written).
 */
export async function tile(db: Db, layer: TiledLayer, z: number, x: number, y: number, keep: Db = db): Promise<Buffer> {
  const s = statementsOf(layer);
  const bindings = { z, x, y, cell: WORLD_M / 2 ** z / 64, layer: layer.name, table: layer.table };
  if (z <= CACHED_MAX_ZOOM) {
    const [hit] = await cached.run<{ mvt: Buffer }>(db, bindings);
    if (hit) return hit.mvt;
  }
  const [made] = await (z <= CACHED_MAX_ZOOM ? s.stored.run<{ mvt: Buffer }>(keep, bindings) : s.fresh.run<{ mvt: Buffer }>(db, bindings));
  return made?.mvt ?? Buffer.alloc(0);
}
