import type { Knex } from "knex";

// Security events (failed sign-ins, locks, refused requests), kept apart from the audit trail: they are
// written outside the request's transaction (a refused write rolls back) and budgeted per source and
// minute, so a flood is counted rather than written without bound. And the sign-in throttle, which
// replaces sign_in_failures: counted per name *and* source, so anonymous requests from one place cannot
// lock a name for everyone.
const KINDS = ["sign_in_failed", "account_locked", "refused", "out_of_jurisdiction"];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE security_events (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      kind text NOT NULL CHECK (kind IN (${KINDS.map((k) => `'${k}'`).join(", ")})),
      status integer,
      username text,
      account_id bigint,
      ip text,
      method text,
      path text,
      detail jsonb
    )`);
  await knex.raw("CREATE INDEX security_events_at ON security_events USING brin (at)"); // arrive in time order
  await knex.raw("CREATE INDEX security_events_kind ON security_events (kind, id)");
  await knex.raw("CREATE INDEX security_events_ip ON security_events (ip, id)");
  await knex.raw("CREATE INDEX security_events_username ON security_events (username, id)");
  await knex.raw(`
    CREATE FUNCTION hazmap_security_events_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'security events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw("CREATE TRIGGER security_events_append_only BEFORE UPDATE OR DELETE ON security_events FOR EACH ROW EXECUTE FUNCTION hazmap_security_events_refuse()");
  await knex.raw("CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events FOR EACH STATEMENT EXECUTE FUNCTION hazmap_security_events_refuse()");

  // events offered per source ('' = all sources) and minute; those past the budget are only counted here
  await knex.raw(`
    CREATE TABLE security_event_budget (
      source text NOT NULL,
      minute timestamptz NOT NULL,
      events integer NOT NULL,
      PRIMARY KEY (source, minute)
    )`);

  // password checks granted since the last success, per name typed and source; '' stands for "any"
  // (('', source): a source's checks across names). Granting, counting and locking are one statement.
  await knex.raw(`
    CREATE TABLE sign_in_throttle (
      username text NOT NULL,
      source text NOT NULL,
      checks integer NOT NULL,
      until timestamptz NOT NULL,
      PRIMARY KEY (username, source)
    )`);
  await knex.raw("DROP TABLE sign_in_failures");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE sign_in_failures (username text PRIMARY KEY, failures integer NOT NULL, locked_until timestamptz)`);
  await knex.raw("DROP TABLE IF EXISTS sign_in_throttle");
  await knex.raw("DROP TABLE IF EXISTS security_event_budget");
  await knex.raw("DROP TABLE IF EXISTS security_events");
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_security_events_refuse()");
}
