import type { Knex } from "knex";

// A low-zoom tile draws the most important point of each cell 1/64 of the tile wide (server/tiles/tile.sql).
// Made afresh from the table, a z4 tile over a province thins hundreds of thousands of villages (1.2 s);
// every write makes the kept tile be made afresh, so every province view paid it. thinned_points holds
// each cell's winner at zooms 0–7, kept in step with every write by statement triggers in the writing
// transaction, so a low-zoom tile reads at most 66 × 66 rows and is never stale.
//
// A cell at zoom z is the tile at zoom z + 6 (ST_TileEnvelope(z + 6, cx, cy)); its winner is the best of
// its four children's winners at z + 1, so a write recomputes its cells at zoom 7 from the table (a few
// points each, by the geometry index), then each zoom above from four rows, until no winner changes. A statement changing
// more than REBUILD rows (an import) rebuilds the layer's cells once instead, from one pass over the table.
const MAX_ZOOM = 7;
const REBUILD = 10_000;

// The point layers, each with its rank of a row `t` (smaller first; ties go to the smaller id, nulls last):
// copies of the layers' tiles.rank (server/layers/*.ts), as a migration keeps its own.
const RANKS: [table: string, rank: (t: string) => string][] = [
  ["villages", (t) => `-${t}.population`],
  ["shelters", (t) => `-${t}.capacity`],
  ["depots", (t) => `-${t}.floor_area_m2`],
  ["teams", (t) => `-${t}.headcount`],
  ["places", (t) => `CASE ${t}.kind WHEN 'county_seat' THEN 0 WHEN 'town' THEN 1 WHEN 'landmark' THEN 2 WHEN 'village' THEN 3 WHEN 'hamlet' THEN 4 END`],
];

/**
 * A lateral join giving the cell (cx, cy, counted from the world's top left) of row `t`'s point at zoom
 * `z` (SQL): the slippy-map tile of zoom z + 6 holding it, by the tile formula (a million villages'
 * cells by ST_Transform took over 30 s, by this 5 s, sort included, at load 18). None beyond Web Mercator's latitudes;
 * a point on the world's edge (lon ±180, or rounding onto it) is in the edge's cell.
 */
const cellOf = (t: string, z: string) => `
  CROSS JOIN LATERAL (
    SELECT greatest(0, least(floor((ST_X(${t}.geom) + 180) / 360 * 2 ^ (${z} + 6)), 2 ^ (${z} + 6) - 1))::int AS cx,
           greatest(0, least(floor((1 - ln(tan(radians(ST_Y(${t}.geom))) + 1 / cos(radians(ST_Y(${t}.geom)))) / pi()) / 2 * 2 ^ (${z} + 6)), 2 ^ (${z} + 6) - 1))::int AS cy
    WHERE abs(ST_Y(${t}.geom)) < 85.0511287798) AS c`;

/** The whole layer's cells made anew from one pass over its table: after a migration, an import, a large statement. */
function rethin(table: string, rank: (t: string) => string): string {
  return `
  CREATE FUNCTION hazmap_rethin_${table}() RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM thinned_points WHERE source = '${table}';
    INSERT INTO thinned_points (source, z, cx, cy, rank, id)
    SELECT DISTINCT ON (c.cx, c.cy) '${table}', ${MAX_ZOOM}, c.cx, c.cy, coalesce((${rank("t")})::float8, 'Infinity'), t.id
    FROM ${table} t ${cellOf("t", String(MAX_ZOOM))}
    ORDER BY c.cx, c.cy, 5, t.id;
    FOR zoom IN REVERSE ${MAX_ZOOM - 1}..0 LOOP
      INSERT INTO thinned_points (source, z, cx, cy, rank, id)
      SELECT DISTINCT ON (p.cx >> 1, p.cy >> 1) '${table}', zoom, p.cx >> 1, p.cy >> 1, p.rank, p.id
      FROM thinned_points p WHERE p.source = '${table}' AND p.z = zoom + 1
      ORDER BY p.cx >> 1, p.cy >> 1, p.rank, p.id;
    END LOOP;
  END $$`;
}

/** The trigger function keeping `table`'s cells in step with each statement's changed points. */
function keeper(table: string, rank: (t: string) => string): string {
  const key = (t: string) => `coalesce((${rank(t)})::float8, 'Infinity')`;
  return `
  CREATE FUNCTION hazmap_thin_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    xs int[];
    ys int[];
    changes bigint;
  BEGIN
    -- one keeper of a layer at a time, and its reads after the lock see what the one before committed
    PERFORM pg_advisory_xact_lock(hashtext('hazmap_thin'), hashtext('${table}'));
    -- nested: a statement naming new_rows must not even be planned when the trigger has none
    IF TG_OP = 'TRUNCATE' THEN
      DELETE FROM thinned_points WHERE source = '${table}';
      RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
      IF (SELECT count(*) > ${REBUILD} FROM new_rows) THEN
        PERFORM hazmap_rethin_${table}();
        RETURN NULL;
      END IF;
      SELECT array_agg(c.cx), array_agg(c.cy) INTO xs, ys
      FROM (SELECT DISTINCT c.cx, c.cy FROM new_rows t ${cellOf("t", String(MAX_ZOOM))}) c;
    ELSIF TG_OP = 'DELETE' THEN
      IF (SELECT count(*) > ${REBUILD} FROM old_rows) THEN
        PERFORM hazmap_rethin_${table}();
        RETURN NULL;
      END IF;
      SELECT array_agg(c.cx), array_agg(c.cy) INTO xs, ys
      FROM (SELECT DISTINCT c.cx, c.cy FROM old_rows t ${cellOf("t", String(MAX_ZOOM))}) c;
    ELSE
      -- the cells a point left and entered, of the points moved or ranked anew (the rest choose alike)
      SELECT array_agg(c.cx), array_agg(c.cy) INTO xs, ys
      FROM (SELECT DISTINCT c.cx, c.cy
            FROM old_rows o JOIN new_rows n USING (id),
                 LATERAL (VALUES (o.geom), (n.geom)) AS t (geom) ${cellOf("t", String(MAX_ZOOM))}
            WHERE o.geom IS DISTINCT FROM n.geom OR ${key("o")} <> ${key("n")}) c;
      IF cardinality(xs) > ${REBUILD} THEN
        PERFORM hazmap_rethin_${table}();
        RETURN NULL;
      END IF;
    END IF;

    -- each zoom's cells (zoom ${MAX_ZOOM}'s shifted), one statement a zoom from ${MAX_ZOOM} up, until no winner changes: at
    -- ${MAX_ZOOM} the winner from the table, above it the best of the four children; a cell left with no point is deleted
    FOR zoom IN REVERSE ${MAX_ZOOM}..0 LOOP
      EXIT WHEN xs IS NULL;
      IF zoom = ${MAX_ZOOM} THEN
        WITH cells AS (
          SELECT DISTINCT u.cx, u.cy FROM unnest(xs, ys) AS u (cx, cy)
        ), winners AS (
          SELECT u.cx, u.cy, w.rank, w.id
          FROM cells u
          LEFT JOIN LATERAL (SELECT ${key("t")} AS rank, t.id
                             FROM ${table} t ${cellOf("t", "zoom")}
                             WHERE t.geom && ST_Transform(ST_TileEnvelope(zoom + 6, u.cx, u.cy, margin => 1.0 / 64), 4326)
                               AND c.cx = u.cx AND c.cy = u.cy
                             ORDER BY 1, 2 LIMIT 1) AS w ON true
        ), emptied AS (
          DELETE FROM thinned_points p USING winners e
          WHERE e.id IS NULL AND p.source = '${table}' AND p.z = zoom AND p.cx = e.cx AND p.cy = e.cy
          RETURNING 1
        ), won AS (
          INSERT INTO thinned_points (source, z, cx, cy, rank, id)
          SELECT '${table}', zoom, e.cx, e.cy, e.rank, e.id FROM winners e WHERE e.id IS NOT NULL
          ON CONFLICT (source, z, cx, cy) DO UPDATE SET rank = EXCLUDED.rank, id = EXCLUDED.id
          WHERE (thinned_points.rank, thinned_points.id) IS DISTINCT FROM (EXCLUDED.rank, EXCLUDED.id)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM emptied) + (SELECT count(*) FROM won) INTO changes;
      ELSE
        WITH cells AS (
          SELECT DISTINCT u.cx >> (${MAX_ZOOM} - zoom) AS cx, u.cy >> (${MAX_ZOOM} - zoom) AS cy FROM unnest(xs, ys) AS u (cx, cy)
        ), winners AS (
          SELECT u.cx, u.cy, w.rank, w.id
          FROM cells u
          LEFT JOIN LATERAL (SELECT p.rank, p.id FROM thinned_points p
                             WHERE p.source = '${table}' AND p.z = zoom + 1
                               AND p.cx BETWEEN 2 * u.cx AND 2 * u.cx + 1 AND p.cy BETWEEN 2 * u.cy AND 2 * u.cy + 1
                             ORDER BY 1, 2 LIMIT 1) AS w ON true
        ), emptied AS (
          DELETE FROM thinned_points p USING winners e
          WHERE e.id IS NULL AND p.source = '${table}' AND p.z = zoom AND p.cx = e.cx AND p.cy = e.cy
          RETURNING 1
        ), won AS (
          INSERT INTO thinned_points (source, z, cx, cy, rank, id)
          SELECT '${table}', zoom, e.cx, e.cy, e.rank, e.id FROM winners e WHERE e.id IS NOT NULL
          ON CONFLICT (source, z, cx, cy) DO UPDATE SET rank = EXCLUDED.rank, id = EXCLUDED.id
          WHERE (thinned_points.rank, thinned_points.id) IS DISTINCT FROM (EXCLUDED.rank, EXCLUDED.id)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM emptied) + (SELECT count(*) FROM won) INTO changes;
      END IF;
      EXIT WHEN changes = 0; -- no cell's winner changed: none above it changes either
    END LOOP;
    RETURN NULL;
  END $$`;
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw("SET LOCAL statement_timeout = 0"); // a million villages thinned once: seconds
  await knex.raw(`
    CREATE TABLE thinned_points (
      source text NOT NULL,
      z int NOT NULL,
      cx int NOT NULL,
      cy int NOT NULL,
      rank float8 NOT NULL,
      id bigint NOT NULL,
      PRIMARY KEY (source, z, cx, cy)
    )`);
  for (const [table, rank] of RANKS) {
    await knex.raw(rethin(table, rank));
    await knex.raw(keeper(table, rank));
    await knex.raw(`CREATE TRIGGER ${table}_thin_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hazmap_thin_${table}()`);
    await knex.raw(`CREATE TRIGGER ${table}_thin_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hazmap_thin_${table}()`);
    await knex.raw(`CREATE TRIGGER ${table}_thin_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hazmap_thin_${table}()`);
    await knex.raw(`CREATE TRIGGER ${table}_thin_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION hazmap_thin_${table}()`);
    await knex.raw(`SELECT hazmap_rethin_${table}()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of RANKS) {
    for (const op of ["insert", "update", "delete", "truncate"]) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_thin_${op} ON ${table}`);
    await knex.raw(`DROP FUNCTION IF EXISTS hazmap_thin_${table}()`);
    await knex.raw(`DROP FUNCTION IF EXISTS hazmap_rethin_${table}()`);
  }
  await knex.raw("DROP TABLE IF EXISTS thinned_points");
}
