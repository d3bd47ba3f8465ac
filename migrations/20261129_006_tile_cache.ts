import type { Knex } from "knex";

// Low-zoom tiles cover whole provinces and take up to seconds to thin; every map asks for the same few.
// They are kept in tile_cache, stamped with their layer's generation. Every statement that writes a
// table bumps the generation of each layer drawn from it, in the same transaction, so a tile made
// before a write is never served after it: no invalidation to get wrong, no stale tile.
const SOURCES: [layer: string, table: string][] = [
  ["townships", "townships"], ["villages", "villages"], ["hazards", "hazards"], ["shelters", "shelters"],
  ["depots", "depots"], ["teams", "teams"], ["hazard_zones", "hazards"],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE tile_generation (
      layer text PRIMARY KEY,
      source text NOT NULL,
      generation bigint NOT NULL DEFAULT 0
    )`);
  await knex("tile_generation").insert(SOURCES.map(([layer, source]) => ({ layer, source })));
  // unlogged: a cache, emptied by a crash and refilled on demand
  await knex.raw(`
    CREATE UNLOGGED TABLE tile_cache (
      layer text NOT NULL REFERENCES tile_generation,
      z int NOT NULL, x int NOT NULL, y int NOT NULL,
      generation bigint NOT NULL,
      mvt bytea NOT NULL,
      PRIMARY KEY (layer, z, x, y)
    )`);
  await knex.raw(`
    CREATE FUNCTION hazmap_bump_tile_generation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE tile_generation SET generation = generation + 1 WHERE source = TG_TABLE_NAME;
      RETURN NULL;
    END $$`);
  for (const table of new Set(SOURCES.map(([, t]) => t))) {
    await knex.raw(`CREATE TRIGGER ${table}_tile_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
                    FOR EACH STATEMENT EXECUTE FUNCTION hazmap_bump_tile_generation()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of new Set(SOURCES.map(([, t]) => t))) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_tile_generation ON ${table}`);
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_bump_tile_generation()");
  await knex.raw("DROP TABLE IF EXISTS tile_cache");
  await knex.raw("DROP TABLE IF EXISTS tile_generation");
}
