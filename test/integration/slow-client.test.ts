// A client that stalls — stops sending its import, or stops reading its export — is cut off, and the
// database connection its request held is given back: no slow client can hold one for long.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

const STALL_MS = 1000;
let w: World;
beforeAll(async () => {
  w = await startWorld({ stallTimeoutMs: STALL_MS });
});
afterAll(() => w.close());

/** The app's connections to its database that are in the middle of something (a query or a transaction). */
const busy = async (): Promise<number> =>
  (
    await w.db.raw(`SELECT count(*)::int AS n FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = 'hazmap' AND state <> 'idle' AND pid <> pg_backend_pid()`)
  ).rows[0].n;

async function until(what: string, check: () => Promise<boolean>, ms = 10_000) {
  for (const t0 = Date.now(); !(await check()); ) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A raw connection that sends `head` and nothing after; it reads nothing until resumed. */
function stalledClient(head: string): { socket: net.Socket; received: Promise<{ text: string; ms: number }> } {
  const { port } = new URL(w.base);
  const t0 = Date.now();
  const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(head));
  socket.pause();
  const chunks: Buffer[] = [];
  socket.on("data", (c: Buffer) => chunks.push(c));
  const received = new Promise<{ text: string; ms: number }>((resolve) =>
    socket.on("close", () => resolve({ text: Buffer.concat(chunks).toString(), ms: Date.now() - t0 })),
  );
  return { socket, received };
}

describe("stalled clients", () => {
  it("an import whose file stops arriving is cut off, rolled back, and its connection returned", async () => {
    const { socket, received } = stalledClient(
      "POST /api/v1/layers/shelters/import?format=csv HTTP/1.1\r\nHost: x\r\n" +
        `Authorization: Bearer ${w.token}\r\nContent-Type: text/csv\r\nContent-Length: 1000000\r\n\r\n` +
        "name,capacity,lon,lat\n" +
        "甲,10,104.1,30.6\n".repeat(500),
    );
    await until("the import holds a connection", async () => (await busy()) === 1);
    await until("the connection is returned", async () => (await busy()) === 0);
    socket.resume();
    const { text, ms } = await received;
    expect(ms).toBeGreaterThanOrEqual(STALL_MS);
    expect(text).toBe(""); // cut off, not answered
    expect(Number((await w.db("shelters").count("* as n").first())!.n)).toBe(0);
  });

  it("an export whose download stops being read is cut off, and its query stopped", async () => {
    // enough villages that the file outgrows every buffer between the server and the client
    await w.db.transaction(async (trx) => {
      await trx.raw("SET LOCAL session_replication_role = replica"); // test set-up: no audit of 200,000 rows
      await trx.raw(`INSERT INTO villages (name, population, geom)
                     SELECT '村' || g, g % 5000, ST_SetSRID(ST_MakePoint(104 + (g % 500) * 0.001, 30 + (g / 500) * 0.001), 4326) FROM generate_series(1, 200000) g`);
    });
    const { socket, received } = stalledClient(
      `GET /api/v1/layers/villages/export?format=geojson HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${w.token}\r\n\r\n`,
    );
    await until("the export holds a connection", async () => (await busy()) === 1);
    // tens of megabytes that no one reads cannot all be sent: only the cut ends this query
    await until("the connection is returned", async () => (await busy()) === 0);
    socket.resume();
    expect((await received).text).toMatch(/^HTTP\/1\.1 200/);
    // and the server still answers
    expect((await w.fetch(`${w.base}/api/v1/layers`)).status).toBe(200);
  });
});
