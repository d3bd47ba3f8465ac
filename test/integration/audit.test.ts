// The audit trail: every kind of write, and every export, leaves entries naming who, how, from where,
// what, and the row before and after; the trail itself can only grow.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

interface Entry {
  id: number;
  at: string;
  actor: string;
  via: string;
  ip: string | null;
  request: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  ids?: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
}

const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  w.fetch(`${w.base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
/** The entries after `since` (an id), oldest first, read through the API an admin uses. */
async function entriesSince(since: number, query = ""): Promise<Entry[]> {
  const res = await w.fetch(`${w.base}/api/v1/audit?limit=1000${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()).entries as Entry[]).filter((e) => e.id > since).reverse();
}
const lastId = async () => Number((await w.db("audit").max("id as m").first())!.m ?? 0);
const byTester = { actor: "tester", via: "token", ip: expect.stringMatching(/127\.0\.0\.1$/) };

describe("the audit trail", () => {
  it("records a feature's creation, change and deletion with before and after", async () => {
    const since = await lastId();
    const created = await (
      await send("POST", "/api/v1/layers/shelters/features", {
        type: "Feature",
        geometry: { type: "Point", coordinates: [104.1, 30.6] },
        properties: { name: "审计测试", capacity: 100, phone: "028-1234" },
      })
    ).json();
    expect((await send("PATCH", `/api/v1/layers/shelters/features/${created.id}`, { properties: { capacity: 120 } }, { "If-Match": '"1"' })).status).toBe(200);
    expect((await send("DELETE", `/api/v1/layers/shelters/features/${created.id}`, undefined, { "If-Match": '"2"' })).status).toBe(204);
    const [insert, update, remove, ...more] = await entriesSince(since);
    expect(more).toEqual([]);
    expect(insert).toMatchObject({
      ...byTester,
      action: "insert",
      entity: "shelters",
      entity_id: String(created.id),
      before: null,
      request: "POST /api/v1/layers/shelters/features",
    });
    expect(insert!.after).toMatchObject({
      name: "审计测试",
      capacity: 100,
      phone: "028-1234",
      version: 1,
      geom: { type: "Point", coordinates: [104.1, 30.6] },
    });
    expect(update).toMatchObject({
      ...byTester,
      action: "update",
      entity_id: String(created.id),
      before: { capacity: 100, version: 1 },
      after: { capacity: 120, version: 2 },
    });
    expect(update!.request).toBe(`PATCH /api/v1/layers/shelters/features/${created.id}`);
    expect(remove).toMatchObject({ ...byTester, action: "delete", before: { capacity: 120, version: 2 }, after: null });
  });

  it("records a stock change row by row, and the depot's new version", async () => {
    const depot = await (
      await send("POST", "/api/v1/layers/depots/features", {
        type: "Feature",
        geometry: { type: "Point", coordinates: [104.2, 30.6] },
        properties: { name: "审计仓库", level: "township" },
      })
    ).json();
    const since = await lastId();
    expect((await send("PUT", `/api/v1/depots/${depot.id}/stock`, { rows: [{ item: "tent", quantity: 40 }] }, { "If-Match": '"1"' })).status).toBe(200);
    expect((await send("PUT", `/api/v1/depots/${depot.id}/stock`, { rows: [{ item: "tent", quantity: 25 }] }, { "If-Match": '"2"' })).status).toBe(200);
    const entries = await entriesSince(since);
    const stock = entries.filter((e) => e.entity === "depot_stock");
    expect(stock).toMatchObject([
      { ...byTester, action: "insert", entity_id: String(depot.id), before: null, after: { item_code: "tent", quantity: 40 } },
      { ...byTester, action: "update", entity_id: String(depot.id), before: { quantity: 40 }, after: { quantity: 25 } },
    ]);
    expect(entries.filter((e) => e.entity === "depots").map((e) => [e.before!.version, e.after!.version])).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it("records an import row by row and as a whole", async () => {
    const since = await lastId();
    const csv = "code,name,capacity,lon,lat\nA-1,甲,10,104.3,30.6\nA-2,乙,20,104.31,30.6\n";
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/import?format=csv`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    expect(res.status).toBe(200);
    const entries = await entriesSince(since);
    expect(entries.filter((e) => e.action === "insert").map((e) => [e.actor, e.after!.code])).toEqual([
      ["tester", "A-1"],
      ["tester", "A-2"],
    ]);
    expect(entries.find((e) => e.action === "import")).toMatchObject({ ...byTester, entity: "shelters", detail: { inserted: 2, updated: 0, rows: 2 } });
  });

  it("records a bulk insert as one entry listing its ids; a row's first change keeps what it was inserted with", async () => {
    const since = await lastId();
    const rows = Array.from({ length: 1200 }, (_, i) => `B-${i},批量${i},${i + 1},${104 + i / 10_000},30.7`);
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/import?format=csv`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: `code,name,capacity,lon,lat\n${rows.join("\n")}\n`,
    });
    expect(res.status).toBe(200);
    const entries = await entriesSince(since);
    const inserts = entries.filter((e) => e.action === "insert");
    expect(inserts).toHaveLength(1);
    expect(inserts[0]).toMatchObject({ ...byTester, entity: "shelters", entity_id: null, before: null, after: null, detail: { rows: 1200 } });
    const made = (await w.db("shelters").where("code", "like", "B-%").orderBy("id").select("id", "code")).map((r) => ({
      id: Number(r.id),
      code: r.code as string,
    }));
    expect(made).toHaveLength(1200);
    // the multirange lists exactly the ids made, whichever way PostgreSQL numbered them
    const listed = (
      await w.db.raw("SELECT generate_series(lower(r), upper(r) - 1)::int AS id FROM unnest(?::int8multirange) r ORDER BY 1", [inserts[0]!.ids!])
    ).rows.map((r: { id: number }) => r.id);
    expect(listed).toEqual(made.map((m) => m.id));

    const one = made[700]!;
    expect((await send("PATCH", `/api/v1/layers/shelters/features/${one.id}`, { properties: { capacity: 5 } }, { "If-Match": '"1"' })).status).toBe(200);
    const history = (await (await w.fetch(`${w.base}/api/v1/audit?entity=shelters&entity_id=${one.id}`)).json()).entries as Entry[];
    expect(history.map((e) => e.action)).toEqual(["update", "insert"]);
    expect(history[0]).toMatchObject({ before: { code: "B-700", name: "批量700", capacity: 701, version: 1 }, after: { capacity: 5, version: 2 } });
    expect(history[1]!.id).toBe(inserts[0]!.id);
  });

  it("records accounts and tokens without their secrets, and every export", async () => {
    const since = await lastId();
    // account changes need the admin's web session (never a token)
    const admin = await fetch(`${w.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "tester", password: "tester-password" }),
    });
    const asAdmin = { cookie: admin.headers.get("set-cookie")!.split(";")[0]!, "x-csrf-token": (await admin.json()).csrf_token };
    const user = await (
      await fetch(`${w.base}/api/v1/users`, {
        method: "POST",
        headers: { "content-type": "application/json", ...asAdmin },
        body: JSON.stringify({ username: "audited", password: "a secret password", roles: ["analyst"] }),
      })
    ).json();
    expect(
      (
        await fetch(`${w.base}/api/v1/users/${user.id}`, {
          method: "PATCH",
          headers: { "content-type": "application/json", ...asAdmin },
          body: JSON.stringify({ roles: ["analyst", "viewer"], password: "another secret password" }),
        })
      ).status,
    ).toBe(200);
    // a token for the new account, made the way the web app does: signed in, with the CSRF token
    const login = await fetch(`${w.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "audited", password: "another secret password" }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const { csrf_token } = await login.json();
    const { token } = await (
      await fetch(`${w.base}/api/v1/auth/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf_token },
        body: JSON.stringify({ name: "审计" }),
      })
    ).json();
    expect((await fetch(`${w.base}/api/v1/layers/shelters/export?format=geojson&capacity=10`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    const entries = await entriesSince(since);
    const text = JSON.stringify(entries);
    for (const secret of ["a secret password", "another secret password", token, "$argon2"]) expect(text).not.toContain(secret);
    const users = entries.filter((e) => e.entity === "users");
    const bySession = { ...byTester, via: "session" };
    expect(users).toMatchObject([
      { ...bySession, action: "insert", after: { username: "audited", roles: ["analyst"] } },
      { ...bySession, action: "update", after: { roles: ["analyst", "viewer"] } },
    ]);
    // a changed password shows as a changed fingerprint, nothing more
    expect(users[1]!.before!.password_hash).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(users[1]!.after!.password_hash).not.toBe(users[1]!.before!.password_hash);
    expect(entries.find((e) => e.entity === "api_tokens")).toMatchObject({ actor: "audited", via: "session", action: "insert", after: { name: "审计" } });
    expect(entries.find((e) => e.action === "export")).toMatchObject({
      actor: "audited",
      via: "token",
      entity: "shelters",
      detail: { format: "geojson", filters: { capacity: [10] } },
    });
  });

  it("names the database user for writes made outside the application", async () => {
    const since = await lastId();
    await w.db.raw("INSERT INTO teams (name, geom) VALUES ('直接写入', ST_SetSRID(ST_MakePoint(104, 30), 4326))");
    const [entry] = await entriesSince(since);
    expect(entry).toMatchObject({ actor: "postgres", via: "database", ip: null, action: "insert", entity: "teams", after: { name: "直接写入" } });

    // a bulk insert whose ids have gaps lists each run of them
    const bulk = await lastId();
    await w.db.raw(
      "INSERT INTO teams (id, name, geom) SELECT 500000 + 3 * (i / 600) * 1000 + i % 600, '批量', ST_SetSRID(ST_MakePoint(104, 30), 4326) FROM generate_series(0, 1199) i",
    );
    const [runs] = await entriesSince(bulk);
    expect(runs).toMatchObject({ actor: "postgres", action: "insert", entity: "teams", ids: "{[500000,500600),[503000,503600)}", detail: { rows: 1200 } });
  });

  it("can only grow: updating, deleting or truncating it is refused, even by the database owner", async () => {
    const trail = async () => (await w.db("audit").orderBy("id").select("id", "actor")).map((r) => `${r.id} ${r.actor}`);
    const before = await trail();
    expect(before.length).toBeGreaterThan(0);
    for (const sql of ["UPDATE audit SET actor = 'someone else'", "DELETE FROM audit", "TRUNCATE audit"]) {
      await expect(w.db.raw(sql), sql).rejects.toThrow(/append-only/);
    }
    expect(await trail()).toEqual(before);
  });

  it("filters by actor, action, entity and id, and pages newest first through next links", async () => {
    const all = (await (await w.fetch(`${w.base}/api/v1/audit?limit=1000`)).json()).entries as Entry[];
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    const filtered = (await (await w.fetch(`${w.base}/api/v1/audit?actor=tester&action=update&entity=shelters`)).json()).entries as Entry[];
    expect(filtered.map((e) => e.id)).toEqual(all.filter((e) => e.actor === "tester" && e.action === "update" && e.entity === "shelters").map((e) => e.id));
    expect(filtered.length).toBeGreaterThan(0);
    const seen: number[] = [];
    for (let url: string | null = "/api/v1/audit?limit=3"; url; ) {
      const page: { entries: Entry[]; next: string | null } = await (await w.fetch(`${w.base}${url}`)).json();
      seen.push(...page.entries.map((e) => e.id));
      expect(page.entries.length).toBeLessThanOrEqual(3);
      url = page.next;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    const bad = await w.fetch(`${w.base}/api/v1/audit?action=steal`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toEqual(["action"]);
  });
});
