import type { Request } from "express";

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
