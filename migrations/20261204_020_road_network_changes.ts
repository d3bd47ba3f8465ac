import type { Knex } from "knex";

// Which roads' edges changed, generation by generation, so a server holding the network in memory reloads
// only those roads' edges (keyed on road_id) instead of the whole network after a single edit.
// road_network_changes(generation, road_id): every statement that writes road_edges (migration 016's
// renode and recost, inside the write to roads) logs the roads it touched at the generation it runs in
// (road_network_follow bumps it first). road_network.changes_kept_from: the log holds every change made
// in a generation after it; a server holding an older generation reloads the whole network. A statement
// touching more than 5,000 roads (an import) is not logged: it empties the log and moves changes_kept_from
// to its generation, as a whole reload is then as cheap. The log keeps the last 10,000 generations.

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE TABLE road_network_changes (generation bigint NOT NULL, road_id bigint NOT NULL)");
  await knex.raw("CREATE INDEX road_network_changes_generation ON road_network_changes (generation)");
  await knex.raw("ALTER TABLE road_network ADD COLUMN changes_kept_from bigint");
  await knex.raw("UPDATE road_network SET changes_kept_from = roads_generation");
  await knex.raw("ALTER TABLE road_network ALTER COLUMN changes_kept_from SET NOT NULL");
  await knex.raw(`
    CREATE FUNCTION road_network_log_changes() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
    DECLARE
      g bigint;
      roads bigint[];
    BEGIN
      SELECT roads_generation INTO g FROM road_network;
      IF TG_OP <> 'TRUNCATE' THEN
        SELECT array_agg(DISTINCT road_id) INTO roads FROM changed;
        IF roads IS NULL THEN
          RETURN NULL;
        END IF;
      END IF;
      IF TG_OP = 'TRUNCATE' OR cardinality(roads) > 5000 THEN
        DELETE FROM road_network_changes;
        UPDATE road_network SET changes_kept_from = g;
      ELSE
        INSERT INTO road_network_changes (generation, road_id) SELECT g, unnest(roads);
        IF g > 10000 THEN
          DELETE FROM road_network_changes WHERE generation <= g - 10000;
          UPDATE road_network SET changes_kept_from = g - 10000 WHERE changes_kept_from < g - 10000;
        END IF;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER road_edges_log_insert AFTER INSERT ON road_edges REFERENCING NEW TABLE AS changed
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_log_changes()`);
  await knex.raw(`CREATE TRIGGER road_edges_log_update AFTER UPDATE ON road_edges REFERENCING NEW TABLE AS changed
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_log_changes()`);
  await knex.raw(`CREATE TRIGGER road_edges_log_delete AFTER DELETE ON road_edges REFERENCING OLD TABLE AS changed
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_log_changes()`);
  await knex.raw(`CREATE TRIGGER road_edges_log_truncate AFTER TRUNCATE ON road_edges
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_log_changes()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const op of ["insert", "update", "delete", "truncate"]) await knex.raw(`DROP TRIGGER IF EXISTS road_edges_log_${op} ON road_edges`);
  await knex.raw("DROP FUNCTION IF EXISTS road_network_log_changes()");
  await knex.raw("ALTER TABLE road_network DROP COLUMN IF EXISTS changes_kept_from");
  await knex.raw("DROP TABLE IF EXISTS road_network_changes");
}
