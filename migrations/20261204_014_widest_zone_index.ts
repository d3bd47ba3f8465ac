import type { Knex } from "knex";

// Which hazard zones hold a point: hazards are found by their geography index within the widest zone of
// all, max(influence_radius_m), asked once per query (nearest marks every shelter it answers so). This
// index answers that max from its last entry instead of a scan of every hazard.
export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX hazards_influence_radius ON hazards (influence_radius_m)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX IF EXISTS hazards_influence_radius");
}
