import type { Knex } from "knex";

// An import of a million rows must not send a million notifications (slow, and a flood for every
// open map). Inside a transaction that sets hazmap.bulk = 'on' (the importer does, SET LOCAL) the
// per-row trigger stays quiet; the importer then sends one {layer, op: "import"} for the layer.
const TABLES = ["townships", "villages", "hazards", "shelters", "depots", "teams"];

export async function up(knex: Knex): Promise<void> {
  for (const t of TABLES) {
    await knex.raw(`DROP TRIGGER ${t}_notify ON ${t}`);
    await knex.raw(`CREATE TRIGGER ${t}_notify AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW
      WHEN (current_setting('hazmap.bulk', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION hazmap_notify()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const t of TABLES) {
    await knex.raw(`DROP TRIGGER ${t}_notify ON ${t}`);
    await knex.raw(`CREATE TRIGGER ${t}_notify AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION hazmap_notify()`);
  }
}
