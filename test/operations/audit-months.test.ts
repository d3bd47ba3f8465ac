// The audit trail by month: a partition a month, rows of a month without one kept in the default
// partition until it is made, append-only on every partition, and old months exported and detached by
// the admin command — never deleted.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

const partitions = async () =>
  (await w.db.raw("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit'::regclass ORDER BY 1")).rows.map(
    (r: { relname: string }) => r.relname,
  );
const month = (d: Date) => `audit_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;

describe("the audit trail by month", () => {
  it("has this month's partition and the next three's, and a default one", async () => {
    const now = new Date();
    const ahead = [0, 1, 2, 3].map((n) => month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1))));
    expect(await partitions()).toEqual(expect.arrayContaining([...ahead, "audit_default"]));
    // a write lands in this month's partition
    await w.fetch(`${w.base}/api/v1/layers/teams/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [120, 23] }, properties: { name: "分区测试队" } }),
    });
    const { rows } = await w.db.raw(`SELECT count(*)::int AS n FROM ${ahead[0]} WHERE entity = 'teams'`);
    expect(rows[0].n).toBe(1);
  });

  it("keeps a month without a partition in the default one, and moves it when its month is made", async () => {
    await w.db.raw(
      `INSERT INTO audit (at, actor, via, action, entity, entity_id) SELECT '2025-01-10'::timestamptz + n * interval '1 hour', 'old', 'database', 'update', 'teams', n::text FROM generate_series(1, 3) n`,
    );
    expect((await w.db.raw("SELECT count(*)::int AS n FROM audit_default")).rows[0].n).toBe(3);
    await w.db.raw("SELECT hazmap_audit_month('2025-01-01')");
    expect((await w.db.raw("SELECT count(*)::int AS n FROM audit_default")).rows[0].n).toBe(0);
    expect((await w.db.raw("SELECT count(*)::int AS n FROM audit_2025_01")).rows[0].n).toBe(3);
    expect((await w.db.raw("SELECT count(*)::int AS n FROM audit WHERE actor = 'old'")).rows[0].n).toBe(3);
  });

  it("refuses UPDATE, DELETE and TRUNCATE on the trail and on each partition", async () => {
    for (const sql of [
      "UPDATE audit SET actor = 'x'",
      "DELETE FROM audit",
      "TRUNCATE audit",
      "UPDATE audit_2025_01 SET actor = 'x'",
      "DELETE FROM audit_2025_01",
      "TRUNCATE audit_2025_01",
      "TRUNCATE audit_default",
    ]) {
      await expect(w.db.raw(sql), sql).rejects.toThrow(/append-only/);
    }
  });

  it("exports old months to files and detaches them with the admin command; nothing is deleted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hazmap-audit-"));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/audit-archive.ts", "--before", "2025-02", "--dir", dir], {
      env: { ...process.env, DATABASE_URL: w.url },
    });
    expect(stdout).toContain("audit_2025_01: 3 rows");
    const lines = gunzipSync(readFileSync(join(dir, "audit_2025_01.csv.gz")))
      .toString("utf8")
      .trim()
      .split("\n");
    expect(lines[0]).toMatch(/^id,at,actor_id,actor,/);
    expect(lines.slice(1).map((l) => l.split(",")[3])).toEqual(["old", "old", "old"]);
    expect(await partitions()).not.toContain("audit_2025_01");
    expect((await w.db.raw("SELECT count(*)::int AS n FROM audit WHERE actor = 'old'")).rows[0].n).toBe(0);
    expect((await w.db.raw("SELECT count(*)::int AS n FROM audit_2025_01")).rows[0].n).toBe(3); // detached, kept
    const { stderr, stdout: none } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "scripts/audit-archive.ts", "--before", "2025-02", "--dir", dir],
      {
        env: { ...process.env, DATABASE_URL: w.url },
      },
    );
    expect(stderr).toBe("");
    expect(none).toContain("no month");
  });
});
