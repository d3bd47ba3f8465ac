import type { Knex } from "knex";

// The audit trail grows by month: a table partitioned by `at`, one partition a month (audit_YYYY_MM)
// and a default one for rows no month holds yet. Old months are exported and detached by an admin
// command (scripts/audit-archive), never deleted. Append-only as before: UPDATE and DELETE are refused
// on every row, TRUNCATE on the table and on each partition (a statement trigger is not inherited).
export async function up(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE audit RENAME TO audit_unpartitioned");
  await knex.raw("ALTER TABLE audit_unpartitioned RENAME CONSTRAINT audit_pkey TO audit_unpartitioned_pkey");
  await knex.raw("DROP INDEX audit_entity, audit_actor, audit_at, audit_ids");
  await knex.raw(`
    CREATE TABLE audit (
      id bigint NOT NULL DEFAULT nextval('audit_id_seq'),
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
      detail jsonb,
      ids int8multirange,
      PRIMARY KEY (id, at)
    ) PARTITION BY RANGE (at)`);
  await knex.raw("ALTER SEQUENCE audit_id_seq OWNED BY audit.id");
  await knex.raw("CREATE INDEX audit_entity ON audit (entity, entity_id)");
  await knex.raw("CREATE INDEX audit_actor ON audit (actor, id)");
  await knex.raw("CREATE INDEX audit_at ON audit USING brin (at)");
  await knex.raw("CREATE INDEX audit_ids ON audit USING gist (ids) WHERE ids IS NOT NULL");
  await knex.raw("CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION hazmap_audit_refuse()");
  await knex.raw("CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit_refuse()");
  await knex.raw("CREATE TABLE audit_default PARTITION OF audit DEFAULT");
  await knex.raw("CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_default FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit_refuse()");

  // A month's partition, made when missing; rows the default partition took for that month move into
  // it (the only time a row of the trail is deleted, and it is inserted again in the same transaction).
  await knex.raw(`
    CREATE FUNCTION hazmap_audit_month(month date) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE
      first date := date_trunc('month', month);
      name text := format('audit_%s', to_char(first, 'YYYY_MM'));
    BEGIN
      IF to_regclass(name) IS NOT NULL THEN RETURN name; END IF;
      EXECUTE format('CREATE TABLE %I (LIKE audit INCLUDING DEFAULTS)', name);
      ALTER TABLE audit_default DISABLE TRIGGER audit_append_only;
      EXECUTE format('WITH moved AS (DELETE FROM audit_default WHERE at >= %L AND at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                     first, first + interval '1 month', name);
      ALTER TABLE audit_default ENABLE TRIGGER audit_append_only;
      EXECUTE format('ALTER TABLE audit ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, first, first + interval '1 month');
      EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit_refuse()', name);
      RETURN name;
    END $$`);
  // the months the trail already spans, and this one and the next three
  await knex.raw(`
    SELECT hazmap_audit_month(m::date)
    FROM generate_series(date_trunc('month', least(now(), (SELECT min(at) FROM audit_unpartitioned))),
                         date_trunc('month', now()) + interval '3 months', interval '1 month') m`);
  await knex.raw("INSERT INTO audit SELECT id, at, actor_id, actor, via, ip, request, action, entity, entity_id, before, after, detail, ids FROM audit_unpartitioned");
  await knex.raw("DROP TABLE audit_unpartitioned");
}

/** One table again, holding the rows of the months still attached (detached ones stay their own tables). */
export async function down(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE audit RENAME TO audit_by_month");
  await knex.raw(`
    CREATE TABLE audit (LIKE audit_by_month INCLUDING DEFAULTS);
    INSERT INTO audit SELECT * FROM audit_by_month;
    ALTER SEQUENCE audit_id_seq OWNED BY audit.id;
    DROP TABLE audit_by_month;
    ALTER TABLE audit ADD PRIMARY KEY (id);
    CREATE INDEX audit_entity ON audit (entity, entity_id);
    CREATE INDEX audit_actor ON audit (actor, id);
    CREATE INDEX audit_at ON audit USING brin (at);
    CREATE INDEX audit_ids ON audit USING gist (ids) WHERE ids IS NOT NULL;
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION hazmap_audit_refuse();
    CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit_refuse();
    DROP FUNCTION hazmap_audit_month(date)`);
}
