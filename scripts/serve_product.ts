import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";

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

export interface Served { base: string; port: number; pid: number; stop(): Promise<number | null> }

/**
 * The product's server in a process of its own, as in production, for benches and the load test:
 * node itself (not npx, whose child outlives a SIGTERM to npx), ready once it says it listens (never
 * another process's server on that port), its log on stderr, and stopped when this process exits,
 * on failure too (a live child would hold the terminal open). stop() resolves to its exit code.
 */
export async function serveProduct(databaseUrl: string, port?: number): Promise<Served> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(p) }, stdio: ["ignore", "pipe", "inherit"] });
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
