import type { Knex } from "knex";

// Least privilege. Until now everything belonged to whoever ran the migrations (the superuser) and the
// server connected as that user, so anyone holding its connection could switch the audit trail off.
// From here on two group roles, shared by every database of the cluster (roles are cluster-wide):
// - hazmap_owner (NOLOGIN) owns every object of the schema; migrations after this one run as it
//   (server/migrate.ts: SET LOCAL ROLE). Whoever migrates logs in as a superuser or a member of it.
// - hazmap_app: what the server may do. Read and write the layers and its own tables; only add to the
//   audit trail and the security events (no UPDATE, DELETE, TRUNCATE or TRIGGER), never reach the
//   audit's months but through the trail, never change the schema. Made NOLOGIN here: the deployment
//   gives it a password and LOGIN (./scripts/start does), or makes its own login a member of it.
// The names are this migration's own constants; the logins are any (see docs/database_roles.md).
const OWNER = "hazmap_owner";
const APP = "hazmap_app";
/** Append-only tables: the app adds rows and reads them back (admins read both through the API). */
const APPEND_ONLY = ["audit", "security_events"];
/** Tables the app has no business with: the migrations' own bookkeeping. */
const NOT_THE_APPS = ["knex_migrations", "knex_migrations_lock"];
/** Tables, views and sequences of this schema that no extension owns (PostGIS's spatial_ref_sys stays its own). */
const OURS = `c.relnamespace = 'public'::regnamespace
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

export async function up(knex: Knex): Promise<void> {
  for (const [role, options] of [
    [OWNER, "NOLOGIN"],
    [APP, "NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"],
  ]) {
    // another database of the cluster may make the role at the same instant
    await knex.raw(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} ${options}; END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
  }
  // a role made before (by a DBA) must not be able to pass over the grants below
  await knex.raw(`
    DO $$ BEGIN
      IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP}' AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb)) THEN
        RAISE EXCEPTION 'role ${APP} is a superuser or may bypass row security, create roles or databases: it must not';
      END IF;
      -- whoever migrates (a DBA's login, not a superuser) becomes the owner's member, to migrate as it later
      IF NOT pg_has_role(session_user, '${OWNER}', 'MEMBER') THEN EXECUTE format('GRANT ${OWNER} TO %I', session_user); END IF;
    END $$`);

  // Every object of the schema to the owner; server/migrate.ts calls it again on every run (a restore
  // made without owners, a table made by hand).
  // Sequences of a column go with their table, and PostGIS's and pgRouting's objects stay the extensions'.
  await knex.raw(`
    CREATE FUNCTION hazmap_give_to_owner() RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
    DECLARE statement text;
    BEGIN
      FOR statement IN
        SELECT format('ALTER %s %s OWNER TO ${OWNER}', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                        WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, c.oid::regclass)
        FROM pg_class c
        WHERE ${OURS} AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relowner <> '${OWNER}'::regrole
          AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
        UNION ALL
        SELECT format('ALTER ROUTINE %s OWNER TO ${OWNER}', p.oid::regprocedure)
        FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> '${OWNER}'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        UNION ALL
        SELECT format('ALTER TYPE %s OWNER TO ${OWNER}', t.oid::regtype)
        FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
        WHERE t.typnamespace = 'public'::regnamespace AND t.typowner <> '${OWNER}'::regrole
          AND t.typtype IN ('c', 'd', 'e') AND (t.typrelid = 0 OR c.relkind = 'c')
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
      LOOP
        EXECUTE statement;
      END LOOP;
    END $$`);

  // A month of the audit trail as 028 made it, now also closed to everyone but the owner: the owner's
  // default privileges below would give the app UPDATE and DELETE on it; the trail is reached through audit.
  await knex.raw(`
    CREATE OR REPLACE FUNCTION hazmap_audit_month(month date) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE
      first date := date_trunc('month', month);
      name text := format('audit_%s', to_char(first, 'YYYY_MM'));
    BEGIN
      IF to_regclass(name) IS NOT NULL THEN RETURN name; END IF;
      EXECUTE format('CREATE TABLE %I (LIKE audit INCLUDING DEFAULTS)', name);
      EXECUTE format('REVOKE ALL ON %I FROM ${APP}, PUBLIC', name);
      ALTER TABLE audit_default DISABLE TRIGGER audit_append_only;
      EXECUTE format('WITH moved AS (DELETE FROM audit_default WHERE at >= %L AND at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                     first, first + interval '1 month', name);
      ALTER TABLE audit_default ENABLE TRIGGER audit_append_only;
      EXECUTE format('ALTER TABLE audit ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, first, first + interval '1 month');
      EXECUTE format('CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION hazmap_audit_refuse()', name);
      RETURN name;
    END $$`);

  // A bulk load builds a layer's indexes and constraints afterwards (server/import/load_into_empty.ts,
  // staged_upsert.ts), which only the table's owner may drop and add. The app asks the owner, through
  // these two SECURITY DEFINER functions, to set aside what the catalogue says and to put the very same
  // back; it never sends DDL of its own. What was set aside is noted in layer_load_set_aside, which the
  // app cannot touch, and a transaction that would commit with anything still set aside is refused.
  await knex.raw(`
    CREATE TABLE layer_load_set_aside (
      layer regclass NOT NULL,
      name text NOT NULL,
      rank integer NOT NULL,
      restore text NOT NULL,
      PRIMARY KEY (layer, name)
    )`);
  await knex.raw(`
    CREATE FUNCTION hazmap_set_aside_restored() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    BEGIN
      IF EXISTS (SELECT FROM layer_load_set_aside WHERE layer = NEW.layer AND name = NEW.name) THEN
        RAISE EXCEPTION '% of % was set aside for a load and never put back', NEW.name, NEW.layer USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE CONSTRAINT TRIGGER layer_load_set_aside_restored AFTER INSERT ON layer_load_set_aside
                  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hazmap_set_aside_restored()`);
  // spatial_only: the GiST indexes (a large load into a table smaller than it). Else, for a load into the
  // empty table, its indexes and unique and foreign-key constraints — all but the primary key, a unique
  // constraint another table's foreign key needs, and geography GiST indexes (PostGIS 3.3 builds only a
  // geometry one sorted, ~2.5 s a million points; a geography one takes ~7 s afterwards, while kept up row
  // by row it adds ~4–5 s, as the file is parsed beside it). Put back unique values, references, indexes.
  await knex.raw(`
    CREATE FUNCTION hazmap_set_aside(tbl regclass, spatial_only boolean) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    DECLARE r record;
    BEGIN
      -- a layer: a table of this schema with a geometry column geom
      IF NOT EXISTS (SELECT FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                     WHERE c.oid = tbl AND c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
                       AND a.attname = 'geom' AND a.atttypid = 'public.geometry'::regtype) THEN
        RAISE EXCEPTION '% is not a layer', tbl USING ERRCODE = 'insufficient_privilege';
      END IF;
      FOR r IN
        SELECT format('DROP INDEX %s', i.indexrelid::regclass) AS drop, pg_get_indexdef(i.indexrelid) AS add, 2 AS rank, i.indexrelid::regclass::text AS name
        FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am m ON m.oid = x.relam
        WHERE spatial_only AND i.indrelid = tbl AND m.amname = 'gist'
        UNION ALL
        SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
               CASE c.contype WHEN 'u' THEN 0 ELSE 1 END, c.conname
        FROM pg_constraint c
        WHERE NOT spatial_only AND c.conrelid = tbl
          AND (c.contype = 'f' OR c.contype = 'u' AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid))
        UNION ALL
        SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), 2, i.indexrelid::regclass::text
        FROM pg_index i
        WHERE NOT spatial_only AND i.indrelid = tbl AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
          AND NOT EXISTS (SELECT 1 FROM pg_opclass o WHERE o.oid = ANY (i.indclass::oid[]) AND o.opcname = 'gist_geography_ops')
      LOOP
        INSERT INTO layer_load_set_aside VALUES (tbl, r.name, r.rank, r.add);
        EXECUTE r.drop;
      END LOOP;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION hazmap_put_back(tbl regclass) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT restore FROM layer_load_set_aside WHERE layer = tbl ORDER BY rank, name LOOP
        EXECUTE r.restore;
      END LOOP;
      DELETE FROM layer_load_set_aside WHERE layer = tbl;
    END $$`);

  await knex.raw("SELECT hazmap_give_to_owner()");

  // what the app may do
  await knex.raw(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  await knex.raw(`GRANT USAGE, CREATE ON SCHEMA public TO ${OWNER}`);
  await knex.raw(`GRANT USAGE ON SCHEMA public TO ${APP}`);
  await knex.raw(`
    DO $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT c.oid::regclass AS rel, c.relkind, c.relispartition FROM pg_class c WHERE ${OURS} AND c.relkind IN ('r', 'p', 'v', 'm', 'S') LOOP
        IF r.relkind = 'S' THEN EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO ${APP}', r.rel);
        ELSIF r.relispartition OR r.rel::text IN (${[...NOT_THE_APPS, "layer_load_set_aside"].map((t) => `'${t}'`).join(", ")}) THEN
          EXECUTE format('REVOKE ALL ON %s FROM ${APP}, PUBLIC', r.rel);
        ELSIF r.relkind IN ('v', 'm') THEN EXECUTE format('GRANT SELECT ON %s TO ${APP}', r.rel);
        ELSIF r.rel::text IN (${APPEND_ONLY.map((t) => `'${t}'`).join(", ")}) THEN EXECUTE format('GRANT SELECT, INSERT ON %s TO ${APP}', r.rel);
        ELSE EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ${APP}', r.rel);
        END IF;
      END LOOP;
    END $$`);
  await knex.raw(`REVOKE ALL ON FUNCTION hazmap_give_to_owner(), hazmap_audit_month(date), hazmap_set_aside(regclass, boolean), hazmap_put_back(regclass) FROM PUBLIC`);
  await knex.raw(`GRANT EXECUTE ON FUNCTION hazmap_set_aside(regclass, boolean), hazmap_put_back(regclass) TO ${APP}`);
  // what later migrations make gets the same (append-only tables and audit months take theirs back)
  await knex.raw(`ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP}`);
  await knex.raw(`ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP}`);
}

/** Back to one owner, the one migrating (the roles stay: other databases of the cluster may use them). */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER} IN SCHEMA public REVOKE ALL ON TABLES FROM ${APP}`);
  await knex.raw(`ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER} IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${APP}`);
  await knex.raw(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP}`);
  await knex.raw(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP}`);
  await knex.raw(`REVOKE ALL ON SCHEMA public FROM ${APP}, ${OWNER}`);
  await knex.raw("DROP FUNCTION hazmap_put_back(regclass), hazmap_set_aside(regclass, boolean)");
  await knex.raw("DROP TABLE layer_load_set_aside");
  await knex.raw("DROP FUNCTION hazmap_set_aside_restored(), hazmap_give_to_owner()");
  await knex.raw(`REASSIGN OWNED BY ${OWNER} TO CURRENT_USER`);
}
