import cluster from "node:cluster";
import type { AddressInfo } from "node:net";
import { type Config, loadConfig } from "./config.ts";
import { createDb } from "./db.ts";
import { buildApp } from "./app.ts";
import { answerClientErrors } from "./http/client_errors.ts";
import { cutStalledClients } from "./http/stalled_clients.ts";
import { prepareProductionAdmin } from "./auth/production_admin.ts";
import { configureRoads } from "./roads/settings.ts";
import { openReadReplicas } from "./replicas/read_replicas.ts";

const config = loadConfig();
if (config.WORKERS > 1 && cluster.isPrimary) {
  await prepare(config);
  superviseWorkers(config.WORKERS);
} else {
  if (config.WORKERS === 1) await prepare(config);
  serve(config);
}

/** What is done once before serving: in production, the admin account's password set. */
async function prepare(config: Config) {
  if (config.HAZMAP_ENV !== "production") return;
  const db = createDb(config);
  try {
    await prepareProductionAdmin(db, config.HAZMAP_ADMIN_PASSWORD);
  } catch (e) {
    console.error(`[hazmap] ${(e as Error).message}`);
    process.exit(1);
  } finally {
    await db.destroy();
  }
}

/** N server processes on one port; one that dies is replaced; SIGTERM stops them all and then this one. */
function superviseWorkers(n: number) {
  let stopping = false;
  let listening = 0;
  cluster.on("listening", (_worker, address) => {
    // said once, when every process takes requests
    if (++listening === n) console.log(`[hazmap] serving on http://${address.address}:${address.port} (${n} processes)`);
  });
  for (let i = 0; i < n; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`[hazmap] worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    console.log(`[hazmap] ${signal}: stopping ${n} workers`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

function serve(config: Config) {
  const db = createDb(config);
  const replicas = config.DATABASE_READ_URLS.length ? openReadReplicas(config, db) : undefined;
  for (const each of [db, ...(replicas?.databases ?? [])]) configureRoads(each, { reachM: config.ROAD_REACH_M, offRoadKmh: config.OFF_ROAD_KMH });
  void replicas?.start();
  const app = buildApp({
    db,
    replicas,
    access: { anonymousRead: config.ANONYMOUS_READ },
    trustProxy: config.TRUST_PROXY,
    publicUrl: config.PUBLIC_URL,
  });
  const server = cutStalledClients(
    answerClientErrors(
      app.listen(config.PORT, config.HOST, () => {
        const { port } = server.address() as AddressInfo; // PORT=0: the one the system chose
        if (cluster.isPrimary) console.log(`[hazmap] serving on http://${config.HOST}:${port}`);
        if (cluster.isPrimary || cluster.worker?.id === 1)
          console.log(`[hazmap] links name ${config.PUBLIC_URL ?? "the address listened on (PUBLIC_URL unset)"}`);
      }),
    ),
    config.CLIENT_STALL_TIMEOUT_MS,
  );

  /** Stop accepting, let requests in flight finish (5 s at most; live-update streams never finish by
   * themselves), close the pool, exit 0. */
  const shutdown = (signal: string) => {
    if (cluster.isPrimary) console.log(`[hazmap] ${signal}: shutting down`);
    server.close(() => void Promise.all([db.destroy(), replicas?.close()]).then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
