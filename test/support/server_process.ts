import { spawn, type ChildProcess } from "node:child_process";
import { asApp } from "./world.ts";

/** `server/main.ts` running in a process of its own. */
export interface ServerProcess {
  base: string;
  child: ChildProcess;
  /** SIGTERM, then the exit code */
  stop(): Promise<number | null>;
}

/** `server/main.ts` in a process of its own on a port the system picks, over the database at `url` as the application role. */
export function startServer(url: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, DATABASE_URL: asApp(url), PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(String(d));
      if (m) resolve({ base: m[1]!, child, stop: () => (child.kill("SIGTERM"), exited) });
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before serving: ${stderr}`)));
  });
}

/** Polls `check` until it is true (at most `ms`); whether it became true. */
export async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const ok = () => check().catch(() => false); // a refused connection is a "not yet"
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await ok()) return true;
  return ok();
}
