import { Router } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import { parse } from "../http/parse.ts";
import { Problem } from "../http/problem.ts";
import { sessionToken, setSessionCookie } from "./cookie.ts";
import { endSession, findSession, startSession } from "./sessions.ts";
import { signIn } from "./sign_in.ts";

const Login = z.strictObject({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200) });

const notSignedIn = () => new Problem(401, "not-signed-in", "Not signed in", "sign in first: POST /api/v1/auth/login");

/**
 * POST /auth/login → a session cookie and the CSRF token the web app sends with writes;
 * GET /auth/me → who is signed in; POST /auth/logout (with X-CSRF-Token) ends the session.
 */
export function authRoutes(db: Db): Router {
  const router = Router();

  router.post("/auth/login", async (req, res) => {
    const { username, password } = parse(Login, req.body);
    const user = await signIn(db, username.toLowerCase(), password);
    const session = await startSession(db, user.id);
    setSessionCookie(res, req, session.token, Math.round((session.expires.getTime() - Date.now()) / 1000));
    res.json({ user, csrf_token: session.csrf });
  });

  router.get("/auth/me", async (req, res) => {
    const token = sessionToken(req);
    const session = token && (await findSession(db, token));
    if (!session) throw notSignedIn();
    res.json({ user: session.account, csrf_token: session.csrf });
  });

  router.post("/auth/logout", async (req, res) => {
    const token = sessionToken(req);
    const session = token && (await findSession(db, token));
    if (!session) throw notSignedIn();
    if (req.get("X-CSRF-Token") !== session.csrf) throw new Problem(403, "csrf", "Forbidden", "the X-CSRF-Token header is missing or wrong");
    await endSession(db, token);
    setSessionCookie(res, req, "", 0);
    res.status(204).end();
  });

  return router;
}
