import { Router } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import { parse } from "../http/parse.ts";
import { notFound } from "../http/problem.ts";
import { idParam } from "../http/ids.ts";
import type { Access } from "./access.ts";
import { can } from "./permissions.ts";
import { principalOf } from "./principal.ts";
import { createToken, listTokens, revokeToken, tokenById } from "./tokens.ts";

const NewToken = z.strictObject({ name: z.string().trim().min(1).max(100) });

/**
 * API tokens for scripts and GIS clients (QGIS, GDAL: Authorization: Bearer …). Made from a signed-in
 * web session only, so a leaked token cannot mint more; the secret is in the 201 answer and nowhere
 * else. Each account lists and revokes its own; admins see and revoke everyone's.
 */
export function tokenRoutes(db: Db, access: Access): Router {
  const router = Router();

  router.get("/auth/tokens", access.requires("tokens"), async (_req, res) => {
    const account = principalOf(res)!.account;
    res.json({ tokens: await listTokens(db, can(account, "admin") ? undefined : account.id) });
  });

  router.post("/auth/tokens", access.requires("tokens"), access.requiresSession("API tokens are made"), async (req, res) => {
    const { name } = parse(NewToken, req.body);
    res.status(201).json(await createToken(db, access.signedIn(res).id, name));
  });

  // open to every signed-in account: losing the analyst role must not keep a token alive
  router.delete("/auth/tokens/:id", async (req, res) => {
    const account = access.signedIn(res);
    const token = await tokenById(db, idParam(req, "token"));
    if (!token || (token.user_id !== account.id && !can(account, "admin"))) throw notFound(`token ${req.params.id} does not exist`);
    await revokeToken(db, token.id);
    res.status(204).end();
  });

  return router;
}
