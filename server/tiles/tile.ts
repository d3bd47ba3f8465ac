import type { Db } from "../db.ts";
import { allFields, type TiledLayer } from "../layers/layer.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { columnOf, joinSql, literal, render, sql, type Sql, tableOf } from "../sql/template.ts";

const template = sqlFile(new URL("./tile.sql", import.meta.url));
const thinInTile = sqlFile(new URL("./thin_in_tile.sql", import.meta.url));
const thinnedPoints = sqlFile(new URL("./thinned_points.sql", import.meta.url));
const cached = new Statement(sqlFile(new URL("./tile_cached.sql", import.meta.url)));
const storedTemplate = sqlFile(new URL("./tile_stored.sql", import.meta.url));

/** Tiles up to this zoom span a province or more: few, and asked for by every map. */
export const CACHED_MAX_ZOOM = 8;

/**
 * Point layers' tiles up to this zoom read their points already thinned (thinned_points, kept by
 * migration 030's triggers for these layers, zooms 0–7): thinned afresh, a z4 tile of a million
 * villages took 1.2 s. Beyond it a tile holds few enough points to thin them there and then.
 */
const THINNED_MAX_ZOOM = 7;
const thinnedAtLowZoom = (layer: TiledLayer) => layer.storedAs === "Point";

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

/** A tile's statement made afresh, and the one keeping what it makes in tile_cache. */
interface Made {
  fresh: Statement;
  stored: Statement;
}
const statements = new Map<TiledLayer, { inTile: Made; thinned: Made }>();

function made(layer: TiledLayer, thinned: Sql): Made {
  const fresh = render(template, { thinned, properties: joinSql(layer.tiles.properties.map((p) => sql`t.${columnOf(layer, p)}`)) });
  return { fresh: new Statement(fresh), stored: new Statement(render(storedTemplate, { tile: fresh })) };
}

function statementsOf(layer: TiledLayer, z: number): Made {
  let s = statements.get(layer);
  if (!s) {
    const { rank } = layer.tiles;
    s = {
      inTile: made(layer, render(thinInTile, { table: tableOf(layer), rank: sql`${rankOf(layer)} ${rank.order === "asc" ? sql`ASC` : sql`DESC`} NULLS LAST` })),
      thinned: made(layer, render(thinnedPoints, { table: tableOf(layer) })),
    };
    statements.set(layer, s);
  }
  return thinnedAtLowZoom(layer) && z <= THINNED_MAX_ZOOM ? s.thinned : s.inTile;
}

/** Web Mercator's width, metres: a tile at zoom z is this / 2^z wide. */
const WORLD_M = 40_075_016.685_578_5;

/**
 * The MVT bytes of one tile (empty when nothing is there). A low-zoom tile is kept (tile_cache) and made
 * on `primary`: the cache is UNLOGGED, which a hot standby cannot read, and a tile made on a replica
 * behind a write would be kept after that write's invalidation. Higher zooms read `db`, a replica or not.
 */
export async function tile(db: Db, layer: TiledLayer, z: number, x: number, y: number, primary: Db = db): Promise<Buffer> {
  const s = statementsOf(layer, z);
  const bindings = { z, x, y, cell: WORLD_M / 2 ** z / 64, layer: layer.name, table: layer.table };
  if (z > CACHED_MAX_ZOOM) {
    const [fresh] = await s.fresh.run<{ mvt: Buffer }>(db, bindings);
    return fresh?.mvt ?? Buffer.alloc(0);
  }
  const [hit] = await cached.run<{ mvt: Buffer }>(primary, bindings);
  if (hit) return hit.mvt;
  const [made] = await s.stored.run<{ mvt: Buffer }>(primary, bindings);
  return made?.mvt ?? Buffer.alloc(0);
}
