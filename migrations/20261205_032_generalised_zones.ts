import type { Knex } from "knex";

// A low-zoom tile of hazard zones buffered every zone under it on the spheroid afresh (the view
// hazard_zones), then clipped and encoded its every vertex: 336 ms for the z0 tile of 2,000 hazards,
// paid again after every write to a hazard. generalised_areas keeps each zone ready for zooms 0–7, in
// Web Mercator: simplified (Douglas–Peucker, half the zoom's tile unit, 1/4096 of a tile) and snapped to
// the zoom's tile grid, counted from the world's top left as every tile's own grid is. So a tile draws
// each zone within about a unit of where clipping the full zone would, and a zone snapped to nothing
// (under a unit or two across: an eighth of a pixel) is kept without a shape (geom NULL). Each row
// also keeps the zone's label point (ST_PointOnSurface of the full zone, as a tile names a zone at
// higher zooms) and extent (which tiles it meets). Statement triggers on hazards keep it in step in the
// writing transaction, so a low-zoom tile is never stale: a zone is made anew when its hazard is added
// or its geometry or radius changes, and goes with its hazard.
const MAX_ZOOM = 7;
/** Web Mercator's width and half width, metres: a tile unit at zoom z is WORLD_M / 2^z / 4096. */
const WORLD_M = 40_075_016.685_578_5;
const HALF_WORLD_M = 20_037_508.342_789_244;

/** Generalise the zones of the hazards `ids` (SQL bigint[]) at every low zoom, after taking away what was kept of them. */
const GENERALISE = `
  CREATE FUNCTION hazmap_generalise_hazard_zones(ids bigint[]) RETURNS void LANGUAGE sql
  BEGIN ATOMIC
    DELETE FROM generalised_areas WHERE source = 'hazard_zones' AND id = ANY (ids);
    -- the zone buffered once per hazard (materialised), not once per zoom
    WITH zones AS MATERIALIZED (
      SELECT id, ST_Transform(geom, 3857) AS merc FROM hazard_zones WHERE id = ANY (ids)
    )
    INSERT INTO generalised_areas (source, z, id, geom, label, extent)
    SELECT 'hazard_zones', z, zones.id, CASE WHEN NOT ST_IsEmpty(s.geom) THEN s.geom END, ST_PointOnSurface(zones.merc), ST_Envelope(zones.merc)
    FROM zones
    CROSS JOIN generate_series(0, ${MAX_ZOOM}) AS z
    CROSS JOIN LATERAL (SELECT ${WORLD_M} / 2 ^ z / 4096 AS unit) u
    CROSS JOIN LATERAL (
      SELECT ST_Multi(ST_SnapToGrid(ST_Simplify(zones.merc, u.unit / 2, true), -${HALF_WORLD_M}, ${HALF_WORLD_M}, u.unit, u.unit)) AS geom
    ) s;
  END`;

/** The trigger function: the zones a statement on hazards changed, made anew in its transaction. */
const KEEPER = `
  CREATE FUNCTION hazmap_keep_generalised_hazard_zones() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    changed bigint[];
  BEGIN
    -- nested: a statement naming new_rows must not even be planned when the trigger has none
    IF TG_OP = 'TRUNCATE' THEN
      DELETE FROM generalised_areas WHERE source = 'hazard_zones';
    ELSIF TG_OP = 'INSERT' THEN
      PERFORM hazmap_generalise_hazard_zones(ARRAY(SELECT id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
      DELETE FROM generalised_areas WHERE source = 'hazard_zones' AND id IN (SELECT id FROM old_rows);
    ELSE
      -- a new name or risk level changes no zone (the tile reads those from hazards): nothing to do
      changed := ARRAY(SELECT n.id FROM old_rows o JOIN new_rows n USING (id)
                       WHERE o.geom IS DISTINCT FROM n.geom OR o.influence_radius_m IS DISTINCT FROM n.influence_radius_m);
      IF cardinality(changed) > 0 THEN
        PERFORM hazmap_generalise_hazard_zones(changed);
      END IF;
    END IF;
    RETURN NULL;
  END $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw("SET LOCAL statement_timeout = 0"); // every zone of a province generalised once: seconds
  await knex.raw(`
    CREATE TABLE generalised_areas (
      source text NOT NULL,
      z int NOT NULL,
      id bigint NOT NULL,
      geom geometry(MultiPolygon, 3857),
      label geometry(Point, 3857) NOT NULL,
      extent geometry(Geometry, 3857) NOT NULL,
      PRIMARY KEY (source, id, z)
    )`);
  await knex.raw("CREATE INDEX generalised_areas_extent_gist ON generalised_areas USING gist (extent)");
  // a tile finds the rows by extent; these two are only drawn (the schema test reads the comment)
  for (const column of ["geom", "label"])
    await knex.raw(`COMMENT ON COLUMN generalised_areas.${column} IS 'not searched: found by extent (generalised_areas_extent_gist)'`);
  await knex.raw(GENERALISE);
  await knex.raw(KEEPER);
  await knex.raw(`CREATE TRIGGER hazards_generalise_insert AFTER INSERT ON hazards REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION hazmap_keep_generalised_hazard_zones()`);
  await knex.raw(`CREATE TRIGGER hazards_generalise_update AFTER UPDATE ON hazards REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION hazmap_keep_generalised_hazard_zones()`);
  await knex.raw(`CREATE TRIGGER hazards_generalise_delete AFTER DELETE ON hazards REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION hazmap_keep_generalised_hazard_zones()`);
  await knex.raw(`CREATE TRIGGER hazards_generalise_truncate AFTER TRUNCATE ON hazards
                  FOR EACH STATEMENT EXECUTE FUNCTION hazmap_keep_generalised_hazard_zones()`);
  await knex.raw("SELECT hazmap_generalise_hazard_zones(ARRAY(SELECT id FROM hazards))");
}

export async function down(knex: Knex): Promise<void> {
  for (const op of ["insert", "update", "delete", "truncate"]) await knex.raw(`DROP TRIGGER IF EXISTS hazards_generalise_${op} ON hazards`);
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_keep_generalised_hazard_zones()");
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_generalise_hazard_zones(bigint[])");
  await knex.raw("DROP TABLE IF EXISTS generalised_areas");
}
