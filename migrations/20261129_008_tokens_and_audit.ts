import type { Knex } from "knex";

// API tokens for scripts and GIS clients (only a hash is kept), and the audit trail: one row per
// written row of every table below, with who (set per transaction by the application in
// `hazmap.actor`, else the database user), when, the row before and after. Written by statement
// triggers, so no write path (API, import, plain SQL) can skip it; rows can be added, never changed.
const AUDITED: [table: string, keys: string, secrets?: string][] = [
  ["hazards", "id"], ["shelters", "id"], ["depots", "id"], ["teams", "id"], ["villages", "id"], ["townships", "id"],
  ["depot_stock", "depot_id,item_code"],
  ["users", "id", "password_hash"],
  ["api_tokens", "id", "token_hash"],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE api_tokens (
      id bigserial PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
  await knex.raw("CREATE INDEX api_tokens_user_id ON api_tokens (user_id)");

  await knex.raw(`
    CREATE TABLE audit (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      actor_id bigint,
      actor text NOT NULL,
      via text NOT NULL,
      ip text,
      request text,
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text,
      before jsonb,
      after jsonb,
      detail jsonb
    )`);
  await knex.raw("CREATE INDEX audit_entity ON audit (entity, entity_id)");
  await knex.raw("CREATE INDEX audit_actor ON audit (actor, id)");
  await knex.raw("CREATE INDEX audit_at ON audit USING brin (at)"); // entries arrive in time order

  await knex.raw(`
    CREATE FUNCTION hazmap_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw("CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION hazmap_audit_refuse()");
  await knex.raw("CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit_refuse()");

  // A row as the trail keeps it, as SQL over a transition table's alias: one jsonb_build_object over the
  // table's columns (to_jsonb(row) looks up the geometry's conversion again for every row: ~5× slower),
  // geometry as GeoJSON, secrets replaced by a short fingerprint that shows a change and gives nothing away.
  await knex.raw(`
    CREATE FUNCTION hazmap_audit_json(rel regclass, alias text, secrets text[]) RETURNS text LANGUAGE sql STABLE
    RETURN (SELECT 'jsonb_build_object(' || string_agg(format('%L, ', a.attname) || CASE
                      WHEN a.atttypid = 'geometry'::regtype THEN format('ST_AsGeoJSON(%s.%I)::jsonb', alias, a.attname)
                      WHEN a.attname = ANY(secrets) THEN format('''sha256:'' || left(encode(sha256(convert_to(%s.%I, ''UTF8'')), ''hex''), 12)', alias, a.attname)
                      ELSE format('%s.%I', alias, a.attname) END, ', ' ORDER BY a.attnum) || ')'
              FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped)`);
  await knex.raw(auditFunction());
  for (const [table, keys, secrets] of AUDITED) {
    const args = `'${keys}'${secrets ? `, '${secrets}'` : ""}`;
    await knex.raw(`CREATE TRIGGER ${table}_audit_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit(${args})`);
    await knex.raw(`CREATE TRIGGER ${table}_audit_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit(${args})`);
    await knex.raw(`CREATE TRIGGER ${table}_audit_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit(${args})`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of AUDITED) {
    for (const op of ["insert", "update", "delete"]) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_audit_${op} ON ${table}`);
  }
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_audit()");
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_audit_json(regclass, text, text[])");
  await knex.raw("DROP TABLE IF EXISTS audit");
  await knex.raw("DROP FUNCTION IF EXISTS hazmap_audit_refuse()");
  await knex.raw("DROP TABLE IF EXISTS api_tokens");
}

/**
 * The audit trigger function. TG_ARGV: the key columns (comma-separated; the first is the entity id),
 * then the secret columns. One set-based INSERT per statement; only the source of (before, after) pairs
 * differs. `first`: PL/pgSQL run before it (a later migration adds a case), which may use `who…`.
 */
export function auditFunction(first = ""): string {
  return `
    CREATE OR REPLACE FUNCTION hazmap_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      keys text[] := string_to_array(TG_ARGV[0], ',');
      secrets text[] := coalesce(string_to_array(TG_ARGV[1], ','), '{}');
      actor jsonb := coalesce(nullif(current_setting('hazmap.actor', true), '')::jsonb, '{}');
      -- who, as every entry names them: the application's actor, else the database user
      who_id bigint := (actor ->> 'id')::bigint;
      who text := coalesce(actor ->> 'username', session_user);
      who_via text := coalesce(actor ->> 'via', 'database');
      paired text := (SELECT string_agg(format('o.%1$I = n.%1$I', k), ' AND ') FROM unnest(keys) AS k);
      changes text := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT NULL::jsonb AS before, %s AS after FROM new_rows n', hazmap_audit_json(TG_RELID, 'n', secrets))
        WHEN 'DELETE' THEN format('SELECT %s AS before, NULL::jsonb AS after FROM old_rows o', hazmap_audit_json(TG_RELID, 'o', secrets))
        ELSE format('SELECT %s AS before, %s AS after FROM old_rows o FULL JOIN new_rows n ON %s',
                    hazmap_audit_json(TG_RELID, 'o', secrets), hazmap_audit_json(TG_RELID, 'n', secrets), paired)
      END;
    BEGIN${first}
      EXECUTE 'INSERT INTO audit (actor_id, actor, via, ip, request, action, entity, entity_id, before, after)
               SELECT $1, $2, $3, $4, $5, $6, $7, coalesce(c.after, c.before) ->> $8, c.before, c.after
                 FROM (' || changes || ') c'
        USING who_id, who, who_via, actor ->> 'ip', actor ->> 'request', lower(TG_OP), TG_TABLE_NAME, keys[1];
      RETURN NULL;
    END $$`;
}
