import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { FAILURES_BEFORE_LOCK } from "../../server/auth/sign_in.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
  await createAccount(w.db, { username: "zhang.wei", password: "correct horse 电池", display_name: "张伟", roles: ["commander", "viewer"] });
});
afterAll(() => w.close());

const login = (username: string, password: string) =>
  fetch(`${w.base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;

describe("sign-in", () => {
  it("a right name and password give an httpOnly, SameSite=Strict session cookie, the account and a CSRF token", async () => {
    const res = await login("zhang.wei", "correct horse 电池");
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^hazmap_session=[\w-]{40,};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    const body = await res.json();
    expect(body.user).toEqual({
      id: expect.any(Number),
      username: "zhang.wei",
      display_name: "张伟",
      roles: ["commander", "viewer"],
      townships: [],
      permissions: ["read", "read_sensitive", "update_status", "command", "evacuation_books"],
    });
    expect(body.csrf_token).toMatch(/^[\w-]{40,}$/);
    const me = await fetch(`${w.base}/api/v1/auth/me`, { headers: { cookie: cookieOf(res) } });
    expect(me.status).toBe(200);
    expect((await me.json()).user.username).toBe("zhang.wei");
  });

  it("stores an Argon2id hash and a hash of the session token, never the secrets", async () => {
    const res = await login("zhang.wei", "correct horse 电池");
    const token = cookieOf(res).split("=")[1]!;
    const {
      rows: [user],
    } = await w.db.raw("SELECT password_hash FROM users WHERE username = 'zhang.wei'");
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.password_hash).not.toContain("horse");
    const { rows } = await w.db.raw("SELECT count(*)::int AS n FROM sessions WHERE token_hash = ?", [token]);
    expect(rows[0].n).toBe(0);
  });

  it("never says whether the name or the password was wrong", async () => {
    const wrongPassword = await login("zhang.wei", "wrong");
    const unknownName = await login("nobody", "correct horse 电池");
    expect(wrongPassword.status).toBe(401);
    expect(unknownName.status).toBe(401);
    const [a, b] = [await wrongPassword.json(), await unknownName.json()];
    expect(a.detail).toBe(b.detail);
    expect(a.detail).toBe("wrong user name or password");
  });

  it("locks a name after repeated failures, for a while, whether or not it exists", async () => {
    await createAccount(w.db, { username: "li.na", password: "s3cret-passphrase", roles: ["viewer"] });
    for (const name of ["li.na", "no.such.person"]) {
      for (let i = 1; i < FAILURES_BEFORE_LOCK; i++) expect((await login(name, `guess ${i}`)).status).toBe(401);
      const lockedOut = await login(name, "guess again");
      expect(lockedOut.status).toBe(429);
      expect(lockedOut.headers.get("retry-after")).toBe("900");
      expect((await login(name, name === "li.na" ? "s3cret-passphrase" : "anything")).status).toBe(429); // even the right password
    }
    expect((await login("zhang.wei", "correct horse 电池")).status).toBe(200); // other names are not affected
  });

  it("signs out only with the session's CSRF token, and the session is gone after", async () => {
    const res = await login("zhang.wei", "correct horse 电池");
    const cookie = cookieOf(res);
    const { csrf_token } = await res.json();
    expect((await fetch(`${w.base}/api/v1/auth/logout`, { method: "POST", headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${w.base}/api/v1/auth/logout`, { method: "POST", headers: { cookie, "x-csrf-token": "forged" } })).status).toBe(403);
    const out = await fetch(`${w.base}/api/v1/auth/logout`, { method: "POST", headers: { cookie, "x-csrf-token": csrf_token } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^hazmap_session=; .*Max-Age=0/);
    const me = await fetch(`${w.base}/api/v1/auth/me`, { headers: { cookie } });
    expect([me.status, await me.json()]).toEqual([200, { user: null, via: null, csrf_token: null }]); // nobody, now
  });

  it("refuses a malformed sign-in naming the field", async () => {
    const res = await fetch(`${w.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "zhang.wei" }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].path).toEqual(["password"]);
  });
});
