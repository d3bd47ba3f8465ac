import type { World } from "./world.ts";

/** A change event of the live feed, as the server sends it. */
export interface Change {
  layer: string;
  op: string;
  id?: number;
}

/** The live feed (GET /api/v1/changes) read as a queue of change events. */
export async function listenToChanges(world: World) {
  const controller = new AbortController();
  const res = await world.fetch(`${world.base}/api/v1/changes`, { signal: controller.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const queue: Change[] = [];
  let text = "";
  // a read cut short by a time limit is still pending: the next call awaits it, so nothing is lost
  let reading: Promise<ReadableStreamReadResult<string>> | undefined;

  /** The next change event, or null if none comes within `ms`. */
  async function next(ms = 10_000): Promise<Change | null> {
    const until = Date.now() + ms;
    while (queue.length === 0) {
      reading ??= reader.read();
      const chunk = await Promise.race([reading, new Promise<null>((r) => setTimeout(() => r(null), until - Date.now()))]);
      if (!chunk) return null;
      reading = undefined;
      if (chunk.done) return null;
      text += chunk.value;
      const messages = text.split("\n\n");
      text = messages.pop()!;
      for (const m of messages) for (const line of m.split("\n")) if (line.startsWith("data: ")) queue.push(JSON.parse(line.slice(6)));
    }
    return queue.shift()!;
  }

  /**
   * Resolves once the server listens for changes (it starts to when the feed is opened, a moment later):
   * sends probe notifications until one comes back, leaving the queue empty.
   */
  async function listening(): Promise<void> {
    for (let n = 0; n < 100; n++) {
      await world.db.raw("SELECT pg_notify('hazmap_changes', ?)", [JSON.stringify({ layer: "probe", op: "update", id: n })]);
      // an earlier probe arriving means this one will too: notifications arrive in the order committed
      for (let c = await next(200); c; c = await next(200)) if (c.layer === "probe" && c.id === n) return;
    }
    throw new Error("the live feed never started listening");
  }

  return { next, listening, close: () => controller.abort() };
}
