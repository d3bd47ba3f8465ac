import { EventEmitter } from "node:events";
import pg from "pg";

/** One write, or a whole import (`op: "import"`, no id: the layer changed in bulk). */
export interface Change {
  layer: string;
  op: "insert" | "update" | "delete" | "import";
  id?: number;
}

/**
 * Writes announced by PostgreSQL (LISTEN hazmap_changes), fanned out to subscribers. One connection,
 * opened while someone listens, re-opened after a database outage.
 */
export class ChangeFeed {
  private events = new EventEmitter().setMaxListeners(0);
  private client?: pg.Client;
  private retry?: NodeJS.Timeout;

  constructor(private readonly connectionString: string) {}

  subscribe(f: (c: Change) => void): () => void {
    this.events.on("change", f);
    if (this.events.listenerCount("change") === 1) this.connect();
    return () => {
      this.events.off("change", f);
      if (this.events.listenerCount("change") === 0) this.close();
    };
  }

  private connect() {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: "hazmap-changes" });
    this.client = client;
    client.on("notification", (n) => {
      if (n.payload) this.events.emit("change", JSON.parse(n.payload) as Change);
    });
    const reconnect = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => {});
      this.retry = setTimeout(() => this.events.listenerCount("change") && this.connect(), 1000);
    };
    client.on("error", reconnect);
    client
      .connect()
      .then(() => client.query("LISTEN hazmap_changes"))
      .catch(reconnect);
  }

  close() {
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => {});
  }
}
