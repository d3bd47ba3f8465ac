import type { Request } from "express";
import type { Knex } from "knex";
import { z } from "zod";

/** The query parameters of a newest-first list paged by id: a time window, `before` (the next page), `limit`. */
export const ID_PAGE_PARAMS = {
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** Rows older than this id: the next page. */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
};

/** Narrows a query over a table with `id` and `at` to the asked page, newest first, one row more than `limit`. */
export function pagedById(query: Knex.QueryBuilder, q: { since?: string; until?: string; before?: number; limit: number }): Knex.QueryBuilder {
  query.orderBy("id", "desc").limit(q.limit + 1);
  if (q.since) query.where("at", ">=", q.since);
  if (q.until) query.where("at", "<", q.until);
  if (q.before) query.where("id", "<", q.before);
  return query;
}

/**
 * A page of newest-first rows fetched with `limit + 1` (the extra one only says there is more), and the
 * link to the next page: the same query with `before` = the last id.
 */
export function idPage<T extends { id: number }>(req: Request, rows: T[], limit: number): { rows: T[]; next: string | null } {
  if (rows.length <= limit) return { rows, next: null };
  const page = rows.slice(0, limit);
  const query = new URLSearchParams({ ...(req.query as Record<string, string>), before: String(page.at(-1)!.id) });
  return { rows: page, next: `${req.baseUrl}${req.path}?${query}` };
}
