import type { Knex } from "knex";

// Who may sign in: accounts with roles (several each) and, for clerks, the townships they may edit;
// web sessions (only a hash of the cookie's token is kept); failed sign-ins per name, for throttling.
export const ROLES = ["viewer", "commander", "planner", "analyst", "clerk", "admin"] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE users (
      id bigserial PRIMARY KEY,
      username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{2,40}$'),
      display_name text,
      password_hash text NOT NULL,
      roles text[] NOT NULL DEFAULT '{viewer}' CHECK (roles <@ ARRAY[${ROLES.map((r) => `'${r}'`).join(", ")}]::text[]),
      townships text[] NOT NULL DEFAULT '{}',
      disabled boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw(`
    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`);
  await knex.raw("CREATE INDEX sessions_user_id ON sessions (user_id)");
  // keyed by the name typed, whether or not such an account exists: the answer never tells which
  await knex.raw(`
    CREATE TABLE sign_in_failures (
      username text PRIMARY KEY,
      failures integer NOT NULL,
      locked_until timestamptz
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TABLE IF EXISTS sign_in_failures");
  await knex.raw("DROP TABLE IF EXISTS sessions");
  await knex.raw("DROP TABLE IF EXISTS users");
}
