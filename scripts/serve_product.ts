import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Statement } from "./captured_sql.ts";
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
 * The product's server in a process of its own, as in production, for benches and the load test.
 * Reading needs no sign-in, as in the demo (writes, exports and imports do).
 */
export const serveProduct = (databaseUrl: string, port?: number): Promise<Served> =>
  serveScript("server/main.ts", [], { ANONYMOUS_READ: process.env.ANONYMOUS_READ ?? "true", DATABASE_URL: databaseUrl }, port);

/** The bare HTTP server of scripts/bare_http.ts answering each request (by captured_sql.ts requestKey) with its statements. */
export async function serveBareHttp(databaseUrl: string, answers: Record<string, Statement[]>): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), "hazmap-bare-"));
  writeFileSync(join(dir, "answers.json"), JSON.stringify(answers));
  const served = await serveScript("scripts/bare_http.ts", [join(dir, "answers.json")], { DATABASE_URL: databaseUrl });
  return { ...served, stop: () => served.stop().finally(() => rmSync(dir, { recursive: true, force: true })) };
}

/**
 * A server script in a process of its own: node itself (not npx, whose child outlives a SIGTERM to npx),
 * ready once it says it listens (never another process's server on that port), its log on stderr, and
 * stopped when this process exits, on failure too (a live child would hold the terminal open). stop()
 * resolves to its exit code. `env` comes on top of this process's environment (PORT is given).
 */
async function serveScript(script: string, args: string[], env: Record<string, string>, port?: number): Promise<Served> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, ...env, PORT: String(p) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      process.stderr.write(d);
      if (String(d).includes("serving on")) resolve();
    });
    void exited.then((code) => reject(new Error(`${script} exited (${code}) before it listened on port ${p}`)));
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
