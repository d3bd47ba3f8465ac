import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { createDb } from "../server/db.ts";
import { createAccount } from "../server/auth/accounts.ts";
import { createToken } from "../server/auth/tokens.ts";

/** A port the system says is free right now (others' benches may hold fixed ones). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

export interface Served {
  base: string;
  port: number;
  pid: number;
  stop(): Promise<number | null>;
}

/**
 * The product's server in a process of its own, as in production, for benches and the load test:
 * node itself (not npx, whose child outlives a SIGTERM to npx), ready once it says it listens (never
 * another process's server on that port), its log on stderr, and stopped when this process exits,
 * on failure too (a live child would hold the terminal open). stop() resolves to its exit code.
 * Reading needs no sign-in, as in the demo (writes, exports and imports do).
 */
export async function serveProduct(databaseUrl: string, port?: number): Promise<Served> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ANONYMOUS_READ: "true", ...process.env, DATABASE_URL: databaseUrl, PORT: String(p) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      process.stderr.write(d);
      if (String(d).includes("serving on")) resolve();
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before it listened on port ${p}`)));
  });
  process.once("exit", () => child.kill("SIGTERM"));
  return {
    base: `http://127.0.0.1:${p}`,
    port: p,
    pid: child.pid!,
    stop: () => (child.kill("SIGTERM"), exited),
  };
}

/** `Bearer <token>` of an account made for benches with these roles (and every township): benches sign in as users do. */
export async function benchAuthorization(databaseUrl: string, roles: string[]): Promise<string> {
  const db = createDb({ DATABASE_URL: databaseUrl, DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 60_000 });
  try {
    const username = `bench-${roles.join("-")}`;
    const existing = await db("users").where({ username }).first("id");
    const id = existing ? Number(existing.id) : (await createAccount(db, { username, password: `${username} ${Math.random()}`, roles, townships: ["*"] })).id;
    return `Bearer ${(await createToken(db, id, "bench")).token}`;
  } finally {
    await db.destroy();
  }
}
