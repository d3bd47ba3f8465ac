import type { Db } from "../db.ts";
import { allFields, type TiledLayer } from "../layers/layer.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { columnOf, joinSql, literal, render, sql, type Sql, tableOf } from "../sql/template.ts";

const template = sqlFile(new URL("./tile.sql", import.meta.url));
const thinInTile = sqlFile(new URL("./thin_in_tile.sql", import.meta.url));
const thinnedPoints = sqlFile(new URL("./thinned_points.sql", import.meta.url));
const generalisedAreas = sqlFile(new URL("./generalised_areas.sql", import.meta.url));
const cached = new Statement(sqlFile(new URL("./tile_cached.sql", import.meta.url)));
const storedTemplate = sqlFile(new URL("./tile_stored.sql", import.meta.url));

/** Tiles up to this zoom span a province or more: few, and asked for by every map. */
export const CACHED_MAX_ZOOM = 8;

/**
 * Tiles up to this zoom read what migrations keep ready for them, in step with every write by triggers:
 * a point layer's points already thinned (thinned_points, migration 030): thinned afresh, a z4 tile of
 * a million villages took 1.2 s; hazard zones already generalised to the zoom (generalised_areas,
 * migration 032): buffered and clipped in full afresh, the z0 tile of 2,000 hazards took 336 ms.
 * Beyond it a tile holds few enough points to thin them there and then, and few zones, drawn in full.
 */
const LOW_ZOOM_MAX = 7;

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
const statements = new Map<TiledLayer, { inTile: Made; lowZoom: Made }>();

/** The layer's tile attributes as columns of its rows `t`. */
const propertiesOf = (layer: TiledLayer): Sql => joinSql(layer.tiles.properties.map((p) => sql`t.${columnOf(layer, p)}`));

function made(layer: TiledLayer, thinned: Sql): Made {
  const fresh = render(template, { thinned, properties: propertiesOf(layer) });
  return { fresh: new Statement(fresh), stored: new Statement(render(storedTemplate, { tile: fresh })) };
}

function statementsOf(layer: TiledLayer, z: number): Made {
  let s = statements.get(layer);
  if (!s) {
    const { rank } = layer.tiles;
    const inTile = made(
      layer,
      render(thinInTile, { table: tableOf(layer), rank: sql`${rankOf(layer)} ${rank.order === "asc" ? sql`ASC` : sql`DESC`} NULLS LAST` }),
    );
    const lowZoom =
      layer.storedAs === "Point"
        ? made(layer, render(thinnedPoints, { table: tableOf(layer) }))
        : layer.tiles.generalised
          ? made(layer, render(generalisedAreas, { table: tableOf(layer), properties: propertiesOf(layer) }))
          : inTile;
    s = { inTile, lowZoom };
    statements.set(layer, s);
  }
  return z <= LOW_ZOOM_MAX ? s.lowZoom : s.inTile;
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
