import type { Knex } from "knex";

// Everyone following an incident sees what is done for it as it is done: a dispatch sent, delivered or
// cancelled, a team deployed or released, a note written is announced on the live feed (NOTIFY
// hazmap_changes, {layer: <table>, op, id}) like a write to a layer, so every open incident panel reads
// its timeline again. Migration 026 announced only the incidents themselves.
const TABLES = ["dispatches", "deployments", "incident_notes"];

export async function up(knex: Knex): Promise<void> {
  for (const t of TABLES)
    await knex.raw(`CREATE TRIGGER ${t}_notify AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION hazmap_notify()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const t of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${t}_notify ON ${t}`);
}
