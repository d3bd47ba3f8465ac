// Issue 14, finding 9: failed sign-ins, locks and refused requests (401/403, a clerk's attempt outside
// their townships) are recorded as security events — who or which name, from where, what was asked —
// readable by admins only, append-only, and a flood of them is counted rather than written without bound.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";
import { FAILURES_BEFORE_LOCK } from "../../server/auth/sign_in.ts";
import { EVENTS_PER_SOURCE_PER_MINUTE } from "../../server/auth/security_events.ts";
import { startDemoWorld, withToken, type World } from "../support/world.ts";
import { rawRequest } from "../support/raw_request.ts";

let w: World;
let viewer: ReturnType<typeof withToken>;
let clerk: ReturnType<typeof withToken>;
let township: string;
const JSON_BODY = { "content-type": "application/json" };

beforeAll(async () => {
  w = await startDemoWorld();
  const as = async (username: string, roles: string[], townships: string[] = []) =>
    withToken((await createToken(w.db, (await createAccount(w.db, { username, password: "a long enough password", roles, townships })).id, "events")).token);
  township = (await w.db("townships").orderBy("id").first("admin_code")).admin_code;
  viewer = await as("wang.fang", ["viewer"]);
  clerk = await as("clerk-a", ["clerk"], [township]);
}, 120_000);
afterAll(() => w?.close());

interface SecurityEvent {
  id: number;
  at: string;
  kind: string;
  status: number | null;
  username: string | null;
  account_id: number | null;
  ip: string | null;
  method: string | null;
  path: string | null;
  detail: Record<string, unknown> | null;
}
async function events(query = ""): Promise<{ events: SecurityEvent[]; suppressed: { ip: string; minute: string; count: number }[]; next: string | null }> {
  const res = await w.fetch(`${w.base}/api/v1/security-events?limit=1000${query}`);
  expect(res.status).toBe(200);
  return res.json();
}
const login = (username: string, password: string) =>
  fetch(`${w.base}/api/v1/auth/login`, { method: "POST", headers: JSON_BODY, body: JSON.stringify({ username, password }) });

describe("security events", () => {
  it("a failed sign-in and a lock name the name typed, the source and the request", async () => {
    for (let i = 0; i < FAILURES_BEFORE_LOCK; i++) await login("no.such.person", `guess ${i}`);
    const { events: found } = await events("&username=no.such.person");
    const kinds = found.map((e) => e.kind);
    expect(kinds.filter((k) => k === "sign_in_failed")).toHaveLength(FAILURES_BEFORE_LOCK);
    expect(kinds.filter((k) => k === "account_locked")).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: "account_locked",
      username: "no.such.person",
      ip: "127.0.0.1",
      method: "POST",
      path: "/api/v1/auth/login",
      status: 429,
    });
    expect(JSON.stringify(found)).not.toContain("guess"); // never the password typed
  });

  it("refusals: 401 anonymous, 403 not allowed (with the account), and a clerk's write outside their townships — though its transaction rolled back", async () => {
    expect((await fetch(`${w.base}/api/v1/layers?x=anonymous`)).status).toBe(401);
    expect(
      (
        await viewer(`${w.base}/api/v1/layers/shelters/features`, {
          method: "POST",
          headers: JSON_BODY,
          body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [0, 0] }, properties: { name: "x", capacity: 1 } }),
        })
      ).status,
    ).toBe(403);
    const elsewhere = await w.db.raw(
      `SELECT f.id::int, f.version FROM shelters f JOIN townships t ON ST_CoveredBy(f.geom, t.geom) WHERE t.admin_code <> ? ORDER BY f.id LIMIT 1`,
      [township],
    );
    const { id, version } = elsewhere.rows[0];
    const out = await clerk(`${w.base}/api/v1/layers/shelters/features/${id}`, {
      method: "PATCH",
      headers: { ...JSON_BODY, "If-Match": `"${version}"` },
      body: JSON.stringify({ properties: { name: "越界" } }),
    });
    expect(out.status).toBe(403);
    expect((await w.db("shelters").where({ id }).first("version")).version).toBe(version);

    const me = await fetch(`${w.base}/api/v1/auth/me`); // who am I: an answer (nobody), not a refusal
    expect([me.status, await me.json()]).toEqual([200, { user: null, via: null, csrf_token: null }]);
    const anonymous = (await events("&kind=refused&status=401")).events;
    expect(anonymous.find((e) => e.path === "/api/v1/layers?x=anonymous")).toMatchObject({ method: "GET", ip: "127.0.0.1", username: null, account_id: null });
    expect(anonymous.filter((e) => e.path === "/api/v1/auth/me")).toEqual([]);
    const refused = (await events("&kind=refused&username=wang.fang")).events;
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ status: 403, method: "POST", path: "/api/v1/layers/shelters/features", account_id: expect.any(Number) });
    const outside = (await events("&kind=out_of_jurisdiction")).events;
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatchObject({ username: "clerk-a", status: 403, method: "PATCH", path: `/api/v1/layers/shelters/features/${id}` });
    expect(outside[0]!.detail).toMatchObject({ detail: expect.stringContaining(`shelters ${id}`) });
  });

  it("are readable by admins only, and append-only", async () => {
    expect((await viewer(`${w.base}/api/v1/security-events`)).status).toBe(403);
    expect((await fetch(`${w.base}/api/v1/security-events`)).status).toBe(401);
    await expect(w.db.raw("UPDATE security_events SET ip = 'x'")).rejects.toThrow(/append-only/);
    await expect(w.db.raw("DELETE FROM security_events")).rejects.toThrow(/append-only/);
    await expect(w.db.raw("TRUNCATE security_events")).rejects.toThrow(/append-only/);
  });

  it("a flood from one source is counted, not written without bound", async () => {
    const from = "127.0.0.9";
    const N = EVENTS_PER_SOURCE_PER_MINUTE * 3;
    const statuses = await Promise.all(
      Array.from({ length: N }, (_, i) => rawRequest(w.base, { method: "GET", path: `/api/v1/layers?flood=${i}`, from }, 30_000).then((r) => r.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    const { events: recorded, suppressed } = await events(`&ip=${from}`);
    // two minutes at most if the flood crossed a minute's end
    expect(recorded.length).toBeGreaterThanOrEqual(EVENTS_PER_SOURCE_PER_MINUTE);
    expect(recorded.length).toBeLessThanOrEqual(2 * EVENTS_PER_SOURCE_PER_MINUTE);
    const counted = suppressed.filter((s) => s.ip === from).reduce((n, s) => n + s.count, 0);
    expect(recorded.length + counted).toBe(N);
  });
});
