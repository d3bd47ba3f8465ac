import express from "express";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.ts";
import { featureRoutes } from "./features/routes.ts";
import { authRoutes } from "./auth/routes.ts";
import { supplyRoutes } from "./supplies/routes.ts";
import { questionRoutes } from "./questions/routes.ts";
import { exportRoutes } from "./formats/routes.ts";
import { tileRoutes } from "./tiles/routes.ts";
import { ogcRoutes } from "./ogc/routes.ts";
import { liveRoutes } from "./live/routes.ts";
import { importRoutes } from "./import/routes.ts";
import { ChangeFeed } from "./live/change_feed.ts";
import { healthRoutes } from "./http/health.ts";
import { securityHeaders } from "./http/security_headers.ts";
import { openApiDocument } from "./http/openapi.ts";
import { notFound, renderProblem } from "./http/problem.ts";

const webRoot = fileURLToPath(new URL("../dist", import.meta.url));

const connectionString = (db: Db) => (db.client.config.connection as { connectionString: string }).connectionString;

/** The whole HTTP application, without listening: main.ts and the tests both build it. */
export function buildApp({ db, changes = new ChangeFeed(connectionString(db)) }: { db: Db; changes?: ChangeFeed }): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(securityHeaders());
  app.use("/api/v1", importRoutes(db)); // before the JSON parser: an import streams its body
  app.use(express.json({ limit: "10mb", type: ["application/json", "application/geo+json", "application/merge-patch+json"] }));

  app.use(healthRoutes(db));
  const api = express.Router();
  const openapi = openApiDocument();
  api.get("/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  api.use(authRoutes(db));
  api.use(featureRoutes(db));
  api.use(supplyRoutes(db));
  api.use(questionRoutes(db));
  api.use(exportRoutes(db));
  api.use(liveRoutes(changes));
  api.use((req) => {
    throw notFound(`no API endpoint ${req.method} ${req.path}; see /api/v1/openapi.json`);
  });
  app.use("/api/v1", api);
  app.use("/tiles", tileRoutes(db));
  app.use("/ogc", ogcRoutes(db));

  app.use(express.static(webRoot, { index: "index.html", maxAge: "1h" }));
  app.use((req) => {
    throw notFound(`nothing at ${req.path}`);
  });
  app.use(renderProblem);
  return app;
}
