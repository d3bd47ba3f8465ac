import type { Request } from "express";
import { createDb, type Db } from "../db.ts";
import type { Config } from "../config.ts";
import { writtenBy } from "./read_your_writes.ts";
import { PRIMARY_POSITION_SQL, formatWalPosition, parseWalPosition, type WalPosition } from "./wal_position.ts";

/** What a read may be served from, as a route asks for it: the request decides (read-your-writes). */
export type Reads = (req: Request) => Db;

/** Every read from the primary: no replica configured. */
export const primaryReads =
  (primary: Db): Reads =>
  () =>
    primary;

export interface ReplicaReport {
  /** host:port/database, never the password */
  name: string;
  status: "healthy" | "lagging" | "down";
  /** How far behind the primary it may be, ms (an upper bound when healthy, a lower bound when lagging); null when down. */
  lag_ms: number | null;
  /** Its replay position (pg_last_wal_replay_lsn), null when down. */
  replayed: string | null;
  /** Why it is down. */
  error?: string;
}

interface Replica {
  name: string;
  db: Db;
  report: ReplicaReport;
  replayed?: WalPosition;
}

/** The primary's WAL position at a moment of this process's clock. */
interface Sample {
  at: number;
  position: WalPosition;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Hot standbys (DATABASE_READ_URLS) that reads may go to, with a health loop per process: every
 * `checkEveryMs` it takes the primary's WAL position (wal_position.ts), then each standby's replay
 * position. A standby's lag is measured by positions, not by pg_last_xact_replay_timestamp (which an
 * idle primary makes look old): it holds everything the primary held at the latest sample at or
 * before its replay position, so it is at most now − that sample's time behind. One that does not
 * answer is down; one behind by more than `maxLagMs` is lagging; both are skipped until a later check
 * finds them healthy.
 */
export class ReadReplicas {
  private readonly replicas: Replica[];
  private samples: Sample[] = [];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private closed = false;
  private readonly chosen = new WeakMap<Request, Db>();

  constructor(
    private readonly primary: Db,
    replicas: { name: string; db: Db }[],
    private readonly maxLagMs: number,
    private readonly checkEveryMs = 500,
  ) {
    this.replicas = replicas.map(({ name, db }) => ({ name, db, report: { name, status: "down", lag_ms: null, replayed: null, error: "not checked yet" } }));
  }

  /** The replicas' databases (to configure and close them with the primary). */
  get databases(): Db[] {
    return this.replicas.map((r) => r.db);
  }

  /**
   * The database this request's reads go to, the same for all of them: a healthy replica that has
   * replayed the client's own last write (read_your_writes.ts), in turn; else the primary.
   */
  readonly reads: Reads = (req) => {
    let db = this.chosen.get(req);
    if (!db) {
      const written = writtenBy(req) ?? 0n;
      const usable = this.replicas.filter((r) => r.report.status === "healthy" && r.replayed !== undefined && r.replayed >= written);
      db = usable.length ? usable[this.next++ % usable.length]!.db : this.primary;
      this.chosen.set(req, db);
    }
    return db;
  };

  report(): ReplicaReport[] {
    return this.replicas.map((r) => ({ ...r.report }));
  }

  /** Checks now and then every checkEveryMs; resolves after the first check. */
  async start(): Promise<void> {
    if (!this.replicas.length) return;
    this.checking = this.check();
    await this.checking;
    const loop = () => {
      if (this.closed) return;
      this.timer = setTimeout(() => {
        this.checking = this.check().finally(loop);
      }, this.checkEveryMs);
      this.timer.unref();
    };
    loop();
  }

  /** Stops the health loop and closes the replicas' pools. */
  async close(): Promise<void> {
    this.closed = true; // a check in flight schedules no other
    clearTimeout(this.timer);
    await this.checking;
    await Promise.all(this.databases.map((db) => db.destroy()));
  }

  /** One round of the health loop. */
  async check(): Promise<void> {
    let primaryAt: WalPosition | undefined;
    try {
      const { rows } = await this.primary.raw(PRIMARY_POSITION_SQL).timeout(CHECK_TIMEOUT_MS, { cancel: false });
      primaryAt = parseWalPosition(rows[0].at);
    } catch {
      // the primary unreachable: nothing to measure against, the replicas keep their last state
      return;
    }
    if (primaryAt === undefined) return;
    const now = Date.now();
    this.samples.push({ at: now, position: primaryAt });
    // samples as far back as a lag worth telling apart from "lagging"
    const keepFrom = now - Math.max(this.maxLagMs * 2, 10_000);
    while (this.samples.length > 1 && this.samples[0]!.at < keepFrom) this.samples.shift();
    await Promise.all(this.replicas.map((r) => this.checkReplica(r)));
  }

  private async checkReplica(replica: Replica): Promise<void> {
    try {
      const { rows } = await replica.db
        .raw("SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed")
        .timeout(CHECK_TIMEOUT_MS, { cancel: false });
      const replayed = parseWalPosition(rows[0].replayed);
      // a standby promoted (or a primary named by mistake) is not fed by this primary any more
      if (!rows[0].standby || replayed === undefined) throw new Error("not a standby in recovery");
      const answered = Date.now();
      const caughtUp = this.samples.findLast((s) => s.position <= replayed);
      const lag = answered - (caughtUp?.at ?? this.samples[0]!.at);
      replica.replayed = replayed;
      replica.report = {
        name: replica.name,
        status: caughtUp && lag <= this.maxLagMs ? "healthy" : "lagging",
        lag_ms: lag,
        replayed: formatWalPosition(replayed),
      };
    } catch (e) {
      replica.replayed = undefined;
      replica.report = { name: replica.name, status: "down", lag_ms: null, replayed: null, error: (e as Error).message };
    }
  }
}

/** host:port/database of a connection URL: how a replica is named in reports, without its password. */
export function replicaName(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** The replicas of DATABASE_READ_URLS, each with a pool like the primary's. */
export function openReadReplicas(config: Parameters<typeof createDb>[0] & Pick<Config, "DATABASE_READ_URLS" | "READ_MAX_LAG_MS">, primary: Db): ReadReplicas {
  const replicas = config.DATABASE_READ_URLS.map((url) => ({ name: replicaName(url), db: createDb({ ...config, DATABASE_URL: url }) }));
  return new ReadReplicas(primary, replicas, config.READ_MAX_LAG_MS);
}
