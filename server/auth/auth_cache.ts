import pg from "pg";
import type { Db } from "../db.ts";
import { connectionStringOf } from "../sql/connection.ts";

/** A cached answer is trusted this long at most, even if a notification were somehow missed. */
const TTL_MS = 60_000;
/** With no lookup for this long, the cache empties and its listening connection closes. */
const IDLE_MS = 5 * 60_000;

/**
 * What API tokens and web session cookies stand for (an account; a session's CSRF token too), so a
 * signed-in request costs no database round trip. Any change to a token, a session or an account's
 * rights, by any process, empties every process's cache at once: migrations 027 and 033 announce it
 * (NOTIFY hazmap_auth) and each cache LISTENs. Nothing is cached unless the LISTEN is confirmed, and a
 * lost connection empties the cache; a revocation or sign-out by this process empties it before the
 * request answers.
 */
class AuthCache {
  private entries = new Map<string, { value: unknown; until: number }>();
  /** Bumped by every change: a lookup that raced a change is not cached. */
  private generation = 0;
  private client?: pg.Client;
  private listening = false;
  private idle?: NodeJS.Timeout;

  constructor(private readonly connectionString: string) {}

  /**
   * What `lookUp` finds for `key` (its kind and digest: `token:…`, `session:…`), from the cache while it
   * holds it. `expires` is when a found value stops being true by itself (a session's end, ms since
   * the epoch by this server's clock): an entry is never answered past it, nor past the TTL.
   */
  async find<T>(key: string, lookUp: () => Promise<T | undefined>, expires: (found: T) => number = () => Infinity): Promise<T | undefined> {
    this.touch();
    const hit = this.entries.get(key);
    if (hit && this.listening && Date.now() < hit.until) return hit.value as T;
    this.entries.delete(key);
    const since = this.generation;
    const found = await lookUp();
    if (found !== undefined && this.listening && since === this.generation)
      this.entries.set(key, { value: found, until: Math.min(Date.now() + TTL_MS, expires(found)) });
    return found;
  }

  forget() {
    this.generation++;
    this.entries.clear();
  }

  private touch() {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.close(), IDLE_MS).unref();
    if (!this.client) this.listen();
  }

  private listen() {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: "hazmap-auth" });
    this.client = client;
    client.on("notification", () => this.forget());
    client.on("error", () => this.close());
    client
      .connect()
      .then(() => client.query("LISTEN hazmap_auth"))
      .then(() => {
        if (this.client === client) this.listening = true;
      })
      .catch(() => this.close());
  }

  private close() {
    this.listening = false;
    this.forget();
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => {});
  }
}

const caches = new WeakMap<Db, AuthCache>();

/** The auth cache of a database handle: one per server process (one per test world). */
export function authCacheOf(db: Db): AuthCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new AuthCache(connectionStringOf(db))));
  return cache;
}
