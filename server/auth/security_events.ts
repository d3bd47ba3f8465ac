import type { ErrorRequestHandler, Request } from "express";
import type { Db } from "../db.ts";
import { Problem } from "../http/problem.ts";
import { principalOf } from "./principal.ts";

/** At most this many events are recorded per source and minute, and this many in all; the rest are counted. */
export const EVENTS_PER_SOURCE_PER_MINUTE = 30;
export const EVENTS_PER_MINUTE = 600;

export type SecurityEventKind = "sign_in_failed" | "account_locked" | "refused" | "out_of_jurisdiction";
export interface SecurityEvent {
  kind: SecurityEventKind;
  status: number;
  /** The account's name, or the name typed at sign-in; never a password or token. */
  username?: string | null;
  account_id?: number | null;
  detail?: Record<string, unknown>;
}

// The budget of all sources ('') is taken first: past it no per-source row is touched, so a flood
// from many sources adds at most EVENTS_PER_MINUTE + 1 rows a minute anywhere.
const RECORD = `
  WITH everyone AS (
    INSERT INTO security_event_budget AS b (source, minute, events) VALUES ('', date_trunc('minute', now()), 1)
    ON CONFLICT (source, minute) DO UPDATE SET events = b.events + 1
    RETURNING events),
  this_source AS (
    INSERT INTO security_event_budget AS b (source, minute, events)
    SELECT ?, date_trunc('minute', now()), 1 FROM everyone WHERE everyone.events <= ${EVENTS_PER_MINUTE}
    ON CONFLICT (source, minute) DO UPDATE SET events = b.events + 1
    RETURNING events)
  INSERT INTO security_events (kind, status, username, account_id, ip, method, path, detail)
  SELECT ?, ?, ?, ?, ?, ?, ?, ?::jsonb FROM this_source WHERE this_source.events <= ${EVENTS_PER_SOURCE_PER_MINUTE}`;

/**
 * Records an event about `req` (its source, method and path), on a connection of its own: outside the
 * request's transaction, which a refused write rolls back. A failure to record is logged, never answered.
 */
export async function recordSecurityEvent(db: Db, req: Request, e: SecurityEvent): Promise<void> {
  const ip = req.ip ?? "";
  try {
    await db.raw(RECORD, [
      ip,
      e.kind,
      e.status,
      e.username ?? null,
      e.account_id ?? null,
      ip,
      req.method,
      req.originalUrl.slice(0, 500),
      e.detail ? JSON.stringify(e.detail) : null,
    ]);
  } catch (err) {
    console.error(`[hazmap] security event ${e.kind} not recorded`, err);
  }
}

/** Asking who one is refuses nothing: the web app asks on every load, signed in or not. */
const NOT_A_REFUSAL = new Set(["/api/v1/auth/me"]);

/**
 * Every refused request (401, 403) becomes a security event before it is answered; a clerk's attempt
 * outside their townships is one of its own kind. Sign-in records its own (it knows the name typed).
 */
export function recordRefusals(db: Db): ErrorRequestHandler {
  return async (err, req, res, next) => {
    if (err instanceof Problem && (err.status === 401 || err.status === 403) && !err.slug.startsWith("sign-in") && !NOT_A_REFUSAL.has(req.path)) {
      const account = principalOf(res)?.account;
      await recordSecurityEvent(db, req, {
        kind: err.slug === "outside-jurisdiction" ? "out_of_jurisdiction" : "refused",
        status: err.status,
        username: account?.username,
        account_id: account?.id,
        detail: { problem: err.slug, detail: err.detail },
      });
    }
    next(err);
  };
}
