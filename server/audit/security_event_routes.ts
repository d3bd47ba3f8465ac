import { Router } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import type { Access } from "../auth/access.ts";
import { parse } from "../http/parse.ts";
import { ID_PAGE_PARAMS, idPage, pagedById } from "../http/id_page.ts";
import { EVENTS_PER_MINUTE, EVENTS_PER_SOURCE_PER_MINUTE } from "../auth/security_events.ts";

export const SecurityEventQuery = z.strictObject({
  kind: z.enum(["sign_in_failed", "account_locked", "refused", "out_of_jurisdiction"]).optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
  username: z.string().max(40).optional(),
  ip: z.string().max(100).optional(),
  ...ID_PAGE_PARAMS,
});

/**
 * GET /security-events: failed sign-ins, locks and refused requests, newest first, filtered, paged by
 * id through `next`; admins only. `suppressed`: per source (null: past the budget of all sources) and
 * minute, how many events were counted but not recorded.
 */
export function securityEventRoutes(db: Db, access: Access): Router {
  const router = Router();
  router.get("/security-events", access.requires("admin"), async (req, res) => {
    const q = parse(SecurityEventQuery, req.query);
    const query = db("security_events").select("id", "at", "kind", "status", "username", "account_id", "ip", "method", "path", "detail");
    for (const column of ["kind", "status", "username", "ip"] as const) if (q[column] !== undefined) query.where(column, q[column]);
    pagedById(query, q);
    const rows = (await query).map((r: { id: string; account_id: string | null }) => ({
      ...r,
      id: Number(r.id),
      account_id: r.account_id === null ? null : Number(r.account_id),
    }));
    const { rows: events, next } = idPage(req, rows, q.limit);

    const over = db("security_event_budget")
      .select(
        db.raw("nullif(source, '') AS ip"),
        "minute",
        db.raw(`events - CASE source WHEN '' THEN ${EVENTS_PER_MINUTE} ELSE ${EVENTS_PER_SOURCE_PER_MINUTE} END AS count`),
      )
      .whereRaw(`events > CASE source WHEN '' THEN ${EVENTS_PER_MINUTE} ELSE ${EVENTS_PER_SOURCE_PER_MINUTE} END`)
      .orderBy("minute", "desc")
      .limit(1000);
    if (q.ip) over.where("source", q.ip);
    if (q.since) over.where("minute", ">=", db.raw("date_trunc('minute', ?::timestamptz)", [q.since]));
    if (q.until) over.where("minute", "<", q.until);
    res.json({ events, suppressed: await over, next });
  });
  return router;
}
