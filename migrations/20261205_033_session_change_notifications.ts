import type { Knex } from "knex";

// Every server process now caches web sessions too, beside API tokens (server/auth/auth_cache.ts). A
// session ended (sign-out, a new password, an admin, a purge, plain SQL) or changed (its expiry moved)
// is announced on NOTIFY hazmap_auth like a token's change (migration 027), so every cache empties at
// once. A new session (INSERT) changes nothing cached.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TRIGGER sessions_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON sessions
                  FOR EACH STATEMENT EXECUTE FUNCTION hazmap_auth_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TRIGGER IF EXISTS sessions_auth_changed ON sessions");
}
