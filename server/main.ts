import { loadConfig } from "./config.ts";
import { createDb } from "./db.ts";
import { buildApp } from "./app.ts";
import { answerClientErrors } from "./http/client_errors.ts";
import { cutStalledClients } from "./http/stalled_clients.ts";
import { prepareProductionAdmin } from "./auth/production_admin.ts";
import { configureRoads } from "./roads/settings.ts";

const config = loadConfig();
const db = createDb(config);
configureRoads(db, { reachM: config.ROAD_REACH_M, offRoadKmh: config.OFF_ROAD_KMH });
if (config.HAZMAP_ENV === "production") {
  try {
    await prepareProductionAdmin(db, config.HAZMAP_ADMIN_PASSWORD);
  } catch (e) {
    console.error(`[hazmap] ${(e as Error).message}`);
    process.exit(1);
  }
}
const app = buildApp({ db, access: { anonymousRead: config.ANONYMOUS_READ }, trustProxy: config.TRUST_PROXY, publicUrl: config.PUBLIC_URL });
const server = cutStalledClients(
  answerClientErrors(
    app.listen(config.PORT, config.HOST, () => {
      console.log(`[hazmap] serving on http://${config.HOST}:${config.PORT}; links name ${config.PUBLIC_URL ?? "the address listened on (PUBLIC_URL unset)"}`);
    }),
  ),
  config.CLIENT_STALL_TIMEOUT_MS,
);

/** Stop accepting, let requests in flight finish (5 s at most; live-update streams never finish by
 * themselves), close the pool, exit 0. */
function shutdown(signal: string) {
  console.log(`[hazmap] ${signal}: shutting down`);
  server.close(() => void db.destroy().then(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 5_000).unref();
  setTimeout(() => process.exit(1), 15_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
