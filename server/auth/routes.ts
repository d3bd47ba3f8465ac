import { Router } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import { parse } from "../http/parse.ts";
import { Problem } from "../http/problem.ts";
import { sessionToken, setSessionCookie } from "./cookie.ts";
import { endSession, startSession } from "./sessions.ts";
import { signIn } from "./sign_in.ts";
import { notSignedIn, principalOf } from "./principal.ts";
import { can, type Permission } from "./permissions.ts";
import type { Account } from "./accounts.ts";

const Login = z.strictObject({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200) });

const PERMISSIONS: Permission[] = ["read", "read_sensitive", "update_status", "edit", "export", "tokens", "admin", "command", "set_norms", "evacuation_books"];
const withPermissions = (account: Account) => ({ ...account, permissions: PERMISSIONS.filter((p) => can(account, p)) });

/** The signed-in account as the login and GET /auth/me answer it: who, and what they may do. */
export type SignedInUser = ReturnType<typeof withPermissions>;

/**
 * POST /auth/login → a session cookie and the CSRF token the web app sends with writes;
 * GET /auth/me → who is signed in and what they may do (user null: nobody); POST /auth/logout ends the session.
 */
export function authRoutes(db: Db): Router {
  const router = Router();

  router.post("/auth/login", async (req, res) => {
    const { username, password } = parse(Login, req.body);
    const user = await signIn(db, req, username.toLowerCase(), password);
    const session = await startSession(db, user.id);
    setSessionCookie(res, req, session.token, Math.round((session.expires.getTime() - Date.now()) / 1000));
    res.json({ user: withPermissions(user), csrf_token: session.csrf });
  });

  // nobody signed in is an answer, not a refusal: a browser logs every 4xx as an error
  router.get("/auth/me", (_req, res) => {
    const principal = principalOf(res);
    if (!principal) return void res.json({ user: null, via: null, csrf_token: null });
    res.json({ user: withPermissions(principal.account), via: principal.via, csrf_token: principal.csrf ?? null });
  });

  // the CSRF token was checked on the way in (authenticate)
  router.post("/auth/logout", async (req, res) => {
    const principal = principalOf(res);
    if (!principal) throw notSignedIn();
    if (principal.via !== "session")
      throw new Problem(400, "not-a-session", "Bad request", "API tokens are revoked, not signed out: DELETE /api/v1/auth/tokens/{id}");
    await endSession(db, sessionToken(req)!);
    setSessionCookie(res, req, "", 0);
    res.status(204).end();
  });

  return router;
}
