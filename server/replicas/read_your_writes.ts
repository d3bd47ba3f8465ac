import type { Request, RequestHandler } from "express";
import type { Db } from "../db.ts";
import { cookieValue } from "../auth/cookie.ts";
import { PAST_EVERY_POSITION, PRIMARY_POSITION_SQL, formatWalPosition, parseWalPosition, type WalPosition } from "./wal_position.ts";

/**
 * Read-your-writes across processes and replicas, kept by the client (no process remembers anything):
 * a write's response carries the primary's WAL position after it, as a cookie (browsers) and a header
 * (programs send it back as the same header); a read that brings it goes to a replica only if that
 * replica has replayed past it (read_replicas.ts), else to the primary.
 */
export const WROTE_COOKIE = "hazmap_wrote";
export const WROTE_HEADER = "Hazmap-Wrote-Lsn";

/**
 * How long the cookie lasts, s: past READ_MAX_LAG_MS (at most 300 s, config.ts) every healthy replica
 * holds the write anyway.
 */
const KEPT_S = 600;

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The WAL position of the client's last write, if it sent one. */
export function writtenBy(req: Request): WalPosition | undefined {
  const header = parseWalPosition(req.get(WROTE_HEADER));
  const cookie = parseWalPosition(cookieValue(req, WROTE_COOKIE));
  return header === undefined || (cookie !== undefined && cookie > header) ? cookie : header;
}

/**
 * After a request that may have written (any method but GET, HEAD, OPTIONS) and succeeded, its response
 * waits for the primary's WAL position, then carries it. The position is read after the handler has
 * ended its response, so after its writes committed. If the primary cannot say, the client is pinned to
 * the primary (a position no replica reaches) rather than risk an older version.
 */
export function rememberWrites(primary: Db): RequestHandler {
  return (req, res, next) => {
    if (READS.has(req.method)) return next();
    const end = res.end;
    res.end = function (this: typeof res, ...args: unknown[]) {
      if (res.statusCode >= 400 || res.headersSent) return end.apply(this, args as never);
      void primary
        .raw(PRIMARY_POSITION_SQL)
        .then(({ rows }) => parseWalPosition(rows[0]?.at) ?? PAST_EVERY_POSITION)
        .catch(() => PAST_EVERY_POSITION)
        .then((at) => {
          // never behind a position the client already holds (two writes answered out of order)
          const held = writtenBy(req);
          const position = formatWalPosition(held !== undefined && held > at ? held : at);
          res.setHeader(WROTE_HEADER, position);
          const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${KEPT_S}`, ...(req.secure ? ["Secure"] : [])];
          res.append("Set-Cookie", `${WROTE_COOKIE}=${position}; ${attributes.join("; ")}`);
          end.apply(this, args as never);
        });
      return this;
    } as typeof res.end;
    next();
  };
}
