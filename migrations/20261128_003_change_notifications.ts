import type { Knex } from "knex";

// Every committed write to a layer is announced on the channel hazmap_changes, so every server
// (and through it every open map) hears of edits made anywhere: by the API, an import, or plain SQL.
const TABLES = ["townships", "villages", "hazards", "shelters", "depots", "teams"];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION hazmap_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('hazmap_changes', json_build_object(
        'layer', TG_TABLE_NAME, 'op', lower(TG_OP),
        'id', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
      RETURN NULL;
    END $$;`);
  for (const t of TABLES) {
    await knex.raw(`CREATE TRIGGER ${t}_notify AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION hazmap_notify()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const t of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${t}_notify ON ${t}`);
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_notify()");
}
