// Least privilege: the server connects as the application role, which is no superuser, owns nothing,
// reads and writes the layers, may only add to the audit trail and cannot change the schema. Checked as
// that role on a real database, and through the real server (the test world's server connects as it).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../server/db.ts";
import { APP_ROLE, OWNER_ROLE } from "../../server/migrate.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
let app: Db;
beforeAll(async () => {
  w = await startWorld();
  app = createDb({ DATABASE_URL: w.appUrl, DB_POOL_MAX: 2, STATEMENT_TIMEOUT_MS: 60_000 }, "hazmap-test-app");
});
afterAll(async () => {
  await app.destroy();
  await w.close();
});

/** The SQLSTATE and message a statement run as the application role fails with. */
async function refusal(sql: string): Promise<{ code: string; message: string }> {
  try {
    await app.raw(sql);
  } catch (e) {
    const { code, message } = e as { code: string; message: string };
    return { code, message };
  }
  throw new Error(`${sql}: not refused`);
}
const PERMISSION_DENIED = { code: "42501", message: expect.stringMatching(/permission denied|must be owner/) };
const thisMonth = () => {
  const now = new Date();
  return `audit_${now.getUTCFullYear()}_${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
};
const trail = async () => (await w.db("audit").orderBy("id").select("id", "actor", "action")).map((r) => `${r.id} ${r.actor} ${r.action}`);

describe("the application role", () => {
  it("is what the server connects as, named hazmap, and it is no superuser and may not make roles or databases", async () => {
    expect((await w.fetch(`${w.base}/api/v1/layers/shelters/features`)).status).toBe(200); // the pool holds a connection
    const { rows: sessions } = await w.db.raw("SELECT usename, application_name FROM pg_stat_activity WHERE datname = current_database() AND usename = ?", [
      APP_ROLE,
    ]);
    const names = new Set<string>(sessions.map((s: { application_name: string }) => s.application_name));
    names.delete("hazmap-test-app"); // this test's own
    expect(names).toContain("hazmap"); // the pool's; the connections that LISTEN say what for
    expect([...names].filter((n) => !["hazmap", "hazmap-auth", "hazmap-changes"].includes(n))).toEqual([]);
    const { rows } = await w.db.raw("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = ?", [APP_ROLE]);
    expect(rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolreplication: false }]);
    expect((await app.raw("SELECT current_user AS who")).rows[0].who).toBe(APP_ROLE);
  });

  it("owns nothing: every table, view, sequence and function of the schema is the owner role's", async () => {
    const { rows: owned } = await w.db.raw(
      `SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
       UNION ALL
       SELECT p.proname, pg_get_userbyid(p.proowner) FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
    );
    expect(owned.length).toBeGreaterThan(60);
    expect(owned.filter((o: { owner: string }) => o.owner !== OWNER_ROLE)).toEqual([]);
    const { rows } = await w.db.raw("SELECT count(*)::int AS n FROM pg_class WHERE relowner = ?::regrole", [APP_ROLE]);
    expect(rows[0].n).toBe(0);
  });

  it("cannot change the schema: alter, create, drop", async () => {
    for (const sql of [
      "ALTER TABLE villages ADD COLUMN secret text",
      "ALTER TABLE shelters DROP CONSTRAINT shelters_code_key",
      "CREATE TABLE mine (id int)",
      "CREATE VIEW mine AS SELECT 1",
      "CREATE FUNCTION mine() RETURNS int LANGUAGE sql AS 'SELECT 1'",
      "DROP TABLE tile_cache",
      "DROP INDEX villages_geom_gist",
      "CREATE INDEX mine ON villages (name)",
      "TRUNCATE villages",
    ]) {
      expect(await refusal(sql), sql).toEqual(PERMISSION_DENIED);
    }
    expect((await w.db.raw("SELECT to_regclass('mine') AS t")).rows[0].t).toBeNull();
  });

  it("cannot switch the audit trail off, change it or empty it, nor reach its months but through it", async () => {
    const before = await trail();
    expect(before.length).toBeGreaterThan(0); // the world's tester and token were written
    for (const sql of [
      "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
      "ALTER TABLE audit DISABLE TRIGGER ALL",
      "DROP TRIGGER audit_append_only ON audit",
      "ALTER TABLE villages DISABLE TRIGGER villages_audit_insert",
      "CREATE TRIGGER mine BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION hazmap_audit_refuse()",
      "ALTER TABLE audit DETACH PARTITION audit_default",
      "SET session_replication_role = replica",
      "UPDATE audit SET actor = 'someone else'",
      "DELETE FROM audit",
      "TRUNCATE audit",
      `DELETE FROM ${thisMonth()}`,
      `UPDATE ${thisMonth()} SET actor = 'someone else'`,
      `INSERT INTO ${thisMonth()} (actor, via, action, entity) VALUES ('forged', 'database', 'insert', 'teams')`,
      "SELECT count(*) FROM audit_default",
      "TRUNCATE audit_default",
      "SELECT hazmap_audit_month('2020-01-01')",
      "SELECT hazmap_give_to_owner()",
      "UPDATE security_events SET kind = 'refused'",
      "DELETE FROM security_events",
    ]) {
      expect(await refusal(sql), sql).toEqual(PERMISSION_DENIED);
    }
    expect(await trail()).toEqual(before);
  });

  it("writes the layers through the API, and every write is added to the audit trail under its author", async () => {
    const since = Number((await w.db("audit").max("id as m").first())!.m);
    const res = await w.fetch(`${w.base}/api/v1/layers/teams/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [104.1, 30.6] }, properties: { name: "权限测试队" } }),
    });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    const patched = await w.fetch(`${w.base}/api/v1/layers/teams/features/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": '"1"' },
      body: JSON.stringify({ properties: { headcount: 12 } }),
    });
    expect(patched.status).toBe(200);
    const entries = await w.db("audit").where("id", ">", since).andWhere({ entity: "teams" }).orderBy("id").select("actor", "action", "entity_id");
    expect(entries).toEqual([
      { actor: "tester", action: "insert", entity_id: String(id) },
      { actor: "tester", action: "update", entity_id: String(id) },
    ]);
    // and it reads the trail back, for admins
    expect((await w.fetch(`${w.base}/api/v1/audit?entity=teams`)).status).toBe(200);
  });

  it("has a bulk load's indexes and constraints set aside and put back by the owner, for layers only, never left out at commit", async () => {
    const shape = async () =>
      (
        await w.db.raw(
          "SELECT indexdef AS d FROM pg_indexes WHERE tablename = 'villages' UNION ALL SELECT conname FROM pg_constraint WHERE conrelid = 'villages'::regclass ORDER BY 1",
        )
      ).rows.map((r: { d: string }) => r.d);
    const whole = await shape();
    await app.transaction(async (trx) => {
      await trx.raw("SELECT hazmap_set_aside('villages', false)");
      const aside = (await trx.raw("SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'villages'")).rows[0].n;
      expect(aside).toBeLessThan(whole.filter((d: string) => d.startsWith("CREATE")).length);
      await trx.raw("SELECT hazmap_put_back('villages')");
    });
    expect(await shape()).toEqual(whole);

    // a commit with anything still set aside is refused, and nothing is lost
    const left = await app
      .transaction(async (trx) => {
        await trx.raw("SELECT hazmap_set_aside('villages', true)");
      })
      .then(
        () => undefined,
        (e: { code: string; message: string }) => e,
      );
    expect(left).toMatchObject({ code: "23000", message: expect.stringMatching(/set aside for a load and never put back/) });
    expect(await shape()).toEqual(whole);

    // users is no layer: its constraints are not the app's to set aside
    const notLayer = await app.raw("SELECT hazmap_set_aside('users', false)").then(
      () => undefined,
      (e: { code: string; message: string }) => e,
    );
    expect(notLayer).toMatchObject({ code: "42501", message: expect.stringMatching(/users is not a layer/) });
    expect(await refusal("SELECT count(*) FROM layer_load_set_aside")).toEqual(PERMISSION_DENIED);
  });
});

/** A function of scripts/setup.sh (what ./scripts/start runs), called with these arguments. */
const setup = (fn: string, ...args: string[]) => execFileSync("bash", ["-c", `source scripts/setup.sh && ${fn} "$@"`, "setup", ...args], { encoding: "utf8" });

describe("./scripts/start's local cluster", () => {
  it("keeps the generated password in a file only its owner (root) can read or write", () => {
    const file = join(mkdtempSync(join(tmpdir(), "hazmap-secret-")), "demo.env");
    writeFileSync(file, "stale\n", { mode: 0o644 });
    setup("write_secret_file", file, "HAZMAP_APP_PASSWORD=abc", "DATABASE_URL=postgres://hazmap_app:abc@127.0.0.1:5433/hazmap");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(file).uid).toBe(process.getuid!());
    expect(readFileSync(file, "utf8")).toBe("HAZMAP_APP_PASSWORD=abc\nDATABASE_URL=postgres://hazmap_app:abc@127.0.0.1:5433/hazmap\n");
  });

  it("trusts no one over TCP: every login there gives its password (scram-sha-256)", () => {
    const dir = mkdtempSync(join(tmpdir(), "hazmap-hba-"));
    chmodSync(dir, 0o777); // written as the cluster's user (postgres) when run as root
    setup("secure_cluster", dir);
    const rules = readFileSync(join(dir, "pg_hba.conf"), "utf8")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"))
      .map((l) => l.trim().split(/\s+/));
    expect(rules.filter((r) => r[0] === "host").map((r) => r.at(-1))).toEqual(["scram-sha-256", "scram-sha-256"]);
    expect(rules.filter((r) => r.includes("trust"))).toEqual([]);
    // the superuser only on the socket, as the machine's own users (peer), there also to stream to a standby
    expect(rules.filter((r) => r[0] === "local" && r[2] === "postgres")).toEqual([
      ["local", "all", "postgres", "peer", "map=hazmap"],
      ["local", "replication", "postgres", "peer", "map=hazmap"],
    ]);
  });
});
