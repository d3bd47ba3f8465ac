import { Router } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import { parse } from "../http/parse.ts";
import { badRequest, conflict, notFound } from "../http/problem.ts";
import { idParam } from "../http/ids.ts";
import type { Access } from "./access.ts";
import { createAccount, listAccounts, updateAccount } from "./accounts.ts";
import { ALL_TOWNSHIPS, ROLES } from "./permissions.ts";
import { TOWNSHIP_CODE, TOWNSHIP_CODE_RULE } from "../layers/admin_code.ts";

/** Long enough to resist guessing at the rate sign-in allows; no composition rules (NIST 800-63B). */
const password = z.string().min(10, "must be at least 10 characters").max(200);
const townships = z.array(z.union([z.literal(ALL_TOWNSHIPS), z.string().regex(TOWNSHIP_CODE, `${TOWNSHIP_CODE_RULE}, or *`)])).max(200);
const fields = {
  display_name: z.string().trim().max(100).nullable(),
  password,
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  townships,
  disabled: z.boolean(),
};
const NewUser = z.strictObject({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_.-]{2,40}$/, "must be 2–40 of a-z 0-9 _ . -"),
  display_name: fields.display_name.optional(),
  password,
  roles: fields.roles,
  townships: townships.default([]),
});
const UserChanges = z.strictObject(fields).partial();

/** Townships named must exist: a typo would otherwise leave a clerk silently unable to edit anything. */
async function assertTownshipsExist(db: Db, codes: string[] | undefined) {
  const wanted = (codes ?? []).filter((c) => c !== ALL_TOWNSHIPS);
  if (wanted.length === 0) return;
  const found = new Set((await db("townships").whereIn("admin_code", wanted).select("admin_code")).map((r: { admin_code: string }) => r.admin_code));
  const missing = wanted.findIndex((c) => !found.has(c));
  if (missing >= 0) throw badRequest([{ path: ["townships", missing], message: `no township has admin code ${wanted[missing]}` }]);
}

/**
 * Accounts, their roles and jurisdictions: admins only. Changes (a password, roles, disabling, a new
 * account) only from a signed-in web session: an admin's leaked API token could otherwise set a
 * password, sign in with it and mint tokens.
 */
export function userRoutes(db: Db, access: Access): Router {
  const router = Router();
  router.use("/users", access.requires("admin"));

  router.get("/users", async (_req, res) => {
    res.json({ users: await listAccounts(db) });
  });

  const fromSession = access.requiresSession("accounts are changed");

  router.post("/users", fromSession, async (req, res) => {
    const user = parse(NewUser, req.body);
    await assertTownshipsExist(db, user.townships);
    const created = await createAccount(db, user);
    res.status(201).location(`${req.baseUrl}/users/${created.id}`).json(created);
  });

  router.patch("/users/:id", fromSession, async (req, res) => {
    const id = idParam(req, "user");
    const changes = parse(UserChanges, req.body);
    // an admin cannot lock themselves out (and with them, perhaps, the last way in)
    if (id === access.signedIn(res).id && (changes.disabled || (changes.roles && !changes.roles.includes("admin")))) {
      throw conflict("you cannot disable yourself or take away your own admin role; ask another admin", [
        { path: [changes.disabled ? "disabled" : "roles"], message: "would lock you out" },
      ]);
    }
    await assertTownshipsExist(db, changes.townships);
    const updated = await updateAccount(db, id, changes);
    if (!updated) throw notFound(`user ${id} does not exist`);
    res.json(updated);
  });

  return router;
}
