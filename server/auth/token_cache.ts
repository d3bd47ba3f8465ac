import pg from "pg";
import type { Db } from "../db.ts";
import { connectionStringOf } from "../sql/connection.ts";

/** A cached answer is trusted this long at most, even if a notification were somehow missed. */
const TTL_MS = 60_000;
/** With no lookup for this long, the cache empties and its listening connection closes. */
const IDLE_MS = 5 * 60_000;

/**
 * The accounts behind API tokens, so a request with a token costs no database round trip. Any change to
 * a token or to an account's rights, by any process, empties every process's cache at once: migration
 * 027 announces it (NOTIFY hazmap_auth) and each cache LISTENs. Nothing is cached unless the LISTEN is
 * confirmed, and a lost connection empties the cache; a revocation by this process empties it before
 * the revoking request answers.
 */
class TokenCache<T> {
  private accounts = new Map<string, { account: T; at: number }>();
  /** Bumped by every change: a lookup that raced a change is not cached. */
  private generation = 0;
  private client?: pg.Client;
  private listening = false;
  private idle?: NodeJS.Timeout;

  constructor(private readonly connectionString: string) {}

  /** The cached account of a token digest, or `undefined` when it must be looked up. */
  get(digest: string): T | undefined {
    this.touch();
    const hit = this.accounts.get(digest);
    if (!hit || !this.listening || Date.now() - hit.at > TTL_MS) return undefined;
    return hit.account;
  }

  /** The generation to hand back to `set` after the lookup it began. */
  begin(): number {
    return this.generation;
  }

  set(digest: string, account: T, since: number) {
    if (this.listening && since === this.generation) this.accounts.set(digest, { account, at: Date.now() });
  }

  forget() {
    this.generation++;
    this.accounts.clear();
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

const caches = new WeakMap<Db, TokenCache<unknown>>();

/** The token cache of a database handle, holding what a token stands for (an account): one per server process (one per test world). */
export function tokenCacheOf<T>(db: Db): TokenCache<T> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new TokenCache(connectionStringOf(db))));
  return cache as TokenCache<T>;
}
