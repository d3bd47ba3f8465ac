import type { Knex } from "knex";

// The questions measure in metres on the WGS84 spheroid (geography). Index the geography cast of every
// point layer so KNN (<->) and ST_DWithin on geography are index searches, not scans.
const POINT_LAYERS = ["villages", "shelters", "depots", "teams"];

export async function up(knex: Knex): Promise<void> {
  for (const t of POINT_LAYERS) await knex.raw(`CREATE INDEX ${t}_geog_gist ON ${t} USING gist ((geom::geography))`);
  await knex.raw(`CREATE INDEX hazards_geog_gist ON hazards USING gist ((geom::geography))`);
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [...POINT_LAYERS, "hazards"]) await knex.raw(`DROP INDEX IF EXISTS ${t}_geog_gist`);
}
