import type { Knex } from "knex";

// Every server process caches the accounts behind API tokens (server/auth/token_cache.ts). A change to a
// token (revoked, deleted) or to what an account may do (disabled, roles, townships, names) is announced
// on NOTIFY hazmap_auth, whichever process or plain SQL made it, so every cache empties at once.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION hazmap_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('hazmap_auth', TG_TABLE_NAME);
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER api_tokens_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens
                  FOR EACH STATEMENT EXECUTE FUNCTION hazmap_auth_changed()`);
  await knex.raw(`CREATE TRIGGER users_auth_changed AFTER UPDATE OF username, display_name, roles, townships, disabled OR DELETE OR TRUNCATE ON users
                  FOR EACH STATEMENT EXECUTE FUNCTION hazmap_auth_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TRIGGER IF EXISTS users_auth_changed ON users");
  await knex.raw("DROP TRIGGER IF EXISTS api_tokens_auth_changed ON api_tokens");
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_auth_changed()");
}
