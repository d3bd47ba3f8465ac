import { loadConfig } from "./config.ts";
import { createDb } from "./db.ts";
import { buildApp } from "./app.ts";

const config = loadConfig();
const db = createDb(config);
const server = buildApp({ db }).listen(config.PORT, config.HOST, () => {
  console.log(`[hazmap] serving on http://${config.HOST}:${config.PORT}`);
});

/** Stop accepting, let requests in flight finish (bounded), close the pool, exit 0. */
function shutdown(signal: string) {
  console.log(`[hazmap] ${signal}: shutting down`);
  setTimeout(() => process.exit(1), 10_000).unref();
  server.close(() => void db.destroy().then(() => process.exit(0)));
  server.closeIdleConnections();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
