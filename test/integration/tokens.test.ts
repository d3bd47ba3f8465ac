import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { createAccount } from "../../server/auth/accounts.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
  await createAccount(w.db, { username: "li.na", password: "qgis every day", roles: ["analyst"] });
  await createAccount(w.db, { username: "wang.fang", password: "just looking here", roles: ["viewer"] });
});
afterAll(() => w.close());

/** A web session: its cookie and CSRF token. */
async function session(username: string, password: string) {
  const res = await fetch(`${w.base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return { cookie: res.headers.get("set-cookie")!.split(";")[0]!, csrf: (await res.json()).csrf_token as string };
}
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe("API tokens", () => {
  it("are made from a web session with its CSRF token, shown once, stored hashed, used, listed without the secret, and revoked", async () => {
    const { cookie, csrf } = await session("li.na", "qgis every day");
    const make = (headers: Record<string, string>) =>
      fetch(`${w.base}/api/v1/auth/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, ...headers },
        body: JSON.stringify({ name: "QGIS 台式机" }),
      });
    expect((await make({})).status).toBe(403); // no CSRF token: another site could have sent this
    const res = await make({ "x-csrf-token": csrf });
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made).toMatchObject({ name: "QGIS 台式机", revoked_at: null });
    expect(made.token).toMatch(/^hzm_[\w-]{43}$/);

    const stored = await w.db("api_tokens").where({ id: made.id }).first();
    expect(stored.token_hash).toBe(createHash("sha256").update(made.token).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(made.token);

    const me = await fetch(`${w.base}/api/v1/auth/me`, bearer(made.token));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { username: "li.na", roles: ["analyst"] }, via: "token", csrf_token: null });
    // a token needs no CSRF token: no browser sends it by itself
    expect((await fetch(`${w.base}/api/v1/layers/villages/export?format=csv`, bearer(made.token))).status).toBe(200);

    const list = await (await fetch(`${w.base}/api/v1/auth/tokens`, { headers: { cookie } })).json();
    expect(list.tokens.map((t: { id: number }) => t.id)).toEqual([made.id]);
    expect(JSON.stringify(list)).not.toContain(made.token);
    expect(list.tokens[0]).not.toHaveProperty("token");
    expect(list.tokens[0]).not.toHaveProperty("token_hash");

    const revoke = await fetch(`${w.base}/api/v1/auth/tokens/${made.id}`, { ...bearer(made.token), method: "DELETE" });
    expect(revoke.status).toBe(204);
    const after = await fetch(`${w.base}/api/v1/auth/me`, bearer(made.token));
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await w.db("api_tokens").where({ id: made.id }).first()).revoked_at).not.toBeNull();
  });

  it("an unknown or malformed token is refused even where reading needs no sign-in, so a script fails loudly", async () => {
    const open = await startWorld({ anonymousRead: true });
    try {
      expect((await fetch(`${open.base}/api/v1/layers`)).status).toBe(200);
      for (const header of ["Bearer hzm_nothing", "Bearer", "Basic dXNlcjpwYXNz", `Bearer ${open.token}x`]) {
        const res = await fetch(`${open.base}/api/v1/layers`, { headers: { authorization: header } });
        expect(res.status, header).toBe(401);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      }
    } finally {
      await open.close();
    }
  });

  it("a disabled account's tokens stop working at once", async () => {
    const account = await createAccount(w.db, { username: "zhao.lei", password: "soon to leave", roles: ["analyst"] });
    const { cookie, csrf } = await session("zhao.lei", "soon to leave");
    const { token } = await (
      await fetch(`${w.base}/api/v1/auth/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
        body: JSON.stringify({ name: "script" }),
      })
    ).json();
    expect((await fetch(`${w.base}/api/v1/auth/me`, bearer(token))).status).toBe(200);
    const admin = await session("tester", "tester-password");
    const disable = await fetch(`${w.base}/api/v1/users/${account.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", cookie: admin.cookie, "x-csrf-token": admin.csrf },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disable.status).toBe(200);
    expect((await fetch(`${w.base}/api/v1/auth/me`, bearer(token))).status).toBe(401);
    expect(await (await fetch(`${w.base}/api/v1/auth/me`, { headers: { cookie } })).json()).toEqual({ user: null, via: null, csrf_token: null });
  });

  it("a password change or reset ends the account's tokens as well as its sessions", async () => {
    const account = await createAccount(w.db, { username: "sun.li", password: "before the change", roles: ["analyst"] });
    const { cookie, csrf } = await session("sun.li", "before the change");
    const make = async () =>
      (
        await (
          await fetch(`${w.base}/api/v1/auth/tokens`, {
            method: "POST",
            headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
            body: JSON.stringify({ name: "script" }),
          })
        ).json()
      ).token as string;
    const tokens = [await make(), await make()];
    for (const token of tokens) expect((await fetch(`${w.base}/api/v1/auth/me`, bearer(token))).status).toBe(200);
    const admin = await session("tester", "tester-password");
    const reset = await fetch(`${w.base}/api/v1/users/${account.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", cookie: admin.cookie, "x-csrf-token": admin.csrf },
      body: JSON.stringify({ password: "after the change" }),
    });
    expect(reset.status).toBe(200);
    for (const token of tokens) expect((await fetch(`${w.base}/api/v1/auth/me`, bearer(token))).status).toBe(401);
    expect(await (await fetch(`${w.base}/api/v1/auth/me`, { headers: { cookie } })).json()).toEqual({ user: null, via: null, csrf_token: null });
    const { rows } = await w.db.raw("SELECT count(*)::int AS n FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL", [account.id]);
    expect(rows[0].n).toBe(0); // revoked, not merely hidden: re-enabling or a later change cannot revive them
    expect((await session("sun.li", "after the change")).cookie).toMatch(/^hazmap_session=/);
  });

  it("a viewer may not make tokens, and no one may make one with another token", async () => {
    const { cookie, csrf } = await session("wang.fang", "just looking here");
    const viewer = await fetch(`${w.base}/api/v1/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
      body: JSON.stringify({ name: "x" }),
    });
    expect(viewer.status).toBe(403);
    const withToken = await w.fetch(`${w.base}/api/v1/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x" }),
    });
    expect(withToken.status).toBe(403);
    expect((await withToken.json()).detail).toMatch(/session/);
  });
});

describe("accounts", () => {
  it("an admin cannot disable themselves or drop their own admin role", async () => {
    const me = await (await w.fetch(`${w.base}/api/v1/auth/me`)).json();
    const { cookie, csrf } = await session("tester", "tester-password");
    for (const change of [{ disabled: true }, { roles: ["viewer"] }]) {
      const res = await fetch(`${w.base}/api/v1/users/${me.user.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
        body: JSON.stringify(change),
      });
      expect(res.status, JSON.stringify(change)).toBe(409);
    }
    expect((await w.fetch(`${w.base}/api/v1/auth/me`)).status).toBe(200);
  });
});
