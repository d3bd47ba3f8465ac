import type { Knex } from "knex";

// "Usable" has one meaning in every answer — nearest, coverage gaps, village risk, shelter capacity,
// site suggestions, evacuation: a shelter that is open with free places, a team on standby, a depot that
// holds stock. Each is a view over its table; the planner inlines a view, so the table's indexes serve it.
// The views list every column (`*` is expanded now): a migration that adds a column to one of these
// tables re-creates its view.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE VIEW usable_shelters AS
    SELECT s.* FROM shelters s WHERE s.status = 'open' AND s.capacity > s.occupancy`);
  await knex.raw(`
    CREATE VIEW usable_teams AS
    SELECT t.* FROM teams t WHERE t.status = 'standby'`);
  await knex.raw(`
    CREATE VIEW usable_depots AS
    SELECT d.* FROM depots d WHERE EXISTS (SELECT 1 FROM depot_stock s WHERE s.depot_id = d.id AND s.quantity > 0)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP VIEW IF EXISTS usable_depots");
  await knex.raw("DROP VIEW IF EXISTS usable_teams");
  await knex.raw("DROP VIEW IF EXISTS usable_shelters");
}
