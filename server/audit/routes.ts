import { Router } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import type { Access } from "../auth/access.ts";
import { parse } from "../http/parse.ts";
import { ID_PAGE_PARAMS, idPage, pagedById } from "../http/id_page.ts";

const AuditQuery = z.strictObject({
  actor: z.string().max(40).optional(),
  action: z.enum(["insert", "update", "delete", "export", "import"]).optional(),
  entity: z.string().max(40).optional(),
  entity_id: z.string().max(100).optional(),
  ...ID_PAGE_PARAMS,
});

/**
 * GET /audit: the trail, newest first, filtered; paged by id through the `next` link. Admins only.
 * A bulk insert is one entry whose `ids` (a multirange, e.g. "{[1,1000001)}") lists the rows it made;
 * asking for an entity id finds it too.
 */
export function auditRoutes(db: Db, access: Access): Router {
  const router = Router();
  router.get("/audit", access.requires("admin"), async (req, res) => {
    const q = parse(AuditQuery, req.query);
    const query = db("audit").select(
      "id",
      "at",
      "actor_id",
      "actor",
      "via",
      "ip",
      "request",
      "action",
      "entity",
      "entity_id",
      db.raw("ids::text AS ids"),
      "before",
      "after",
      "detail",
    );
    if (q.actor) query.where({ actor: q.actor });
    if (q.action) query.where({ action: q.action });
    if (q.entity) query.where({ entity: q.entity });
    if (q.entity_id) {
      const id = q.entity_id;
      query.where((w) => {
        w.where({ entity_id: id });
        if (/^\d{1,18}$/.test(id)) w.orWhereRaw("ids @> ?::bigint", [id]);
      });
    }
    pagedById(query, q);
    const rows = (await query).map((r: { id: string; actor_id: string | null }) => ({
      ...r,
      id: Number(r.id),
      actor_id: r.actor_id === null ? null : Number(r.actor_id),
    }));
    const { rows: entries, next } = idPage(req, rows, q.limit);
    res.json({ entries, next });
  });
  return router;
}
