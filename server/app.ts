import express from "express";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.ts";
import { featureRoutes } from "./features/routes.ts";
import { authRoutes } from "./auth/routes.ts";
import { tokenRoutes } from "./auth/token_routes.ts";
import { userRoutes } from "./auth/user_routes.ts";
import { authenticate } from "./auth/principal.ts";
import { Access, type AccessSettings } from "./auth/access.ts";
import { withActor } from "./audit/actor.ts";
import { auditRoutes } from "./audit/routes.ts";
import { securityEventRoutes } from "./audit/security_event_routes.ts";
import { recordRefusals } from "./auth/security_events.ts";
import { incidentRoutes } from "./incidents/routes.ts";
import { incidentSubjects } from "./incidents/subject.ts";
import { planSheetRoutes } from "./formats/plan_routes.ts";
import { supplyRoutes } from "./supplies/routes.ts";
import { questionRoutes } from "./questions/routes.ts";
import { exportRoutes } from "./formats/routes.ts";
import { tileRoutes } from "./tiles/routes.ts";
import { ogcRoutes } from "./ogc/routes.ts";
import { styleRoutes } from "./styles/routes.ts";
import { publicUrlOf } from "./http/public_url.ts";
import { liveRoutes } from "./live/routes.ts";
import { importRoutes } from "./import/routes.ts";
import { paperRoutes } from "./paper/routes.ts";
import { ChangeFeed } from "./live/change_feed.ts";
import { connectionStringOf } from "./sql/connection.ts";
import { healthRoutes } from "./http/health.ts";
import { primaryReads, type ReadReplicas } from "./replicas/read_replicas.ts";
import { rememberWrites } from "./replicas/read_your_writes.ts";
import { securityHeaders } from "./http/security_headers.ts";
import { jsonBody } from "./http/json_body.ts";
import { openApiDocument } from "./openapi.ts";
import { notFound, problemRenderer } from "./http/problem.ts";
import { LAYER_NOUNS_ZH } from "./text/layer_nouns.ts";

const webRoot = fileURLToPath(new URL("../dist", import.meta.url));

/**
 * The whole HTTP application, without listening: main.ts and the tests both build it. `trustProxy`:
 * Express's "trust proxy" (e.g. "loopback"), so req.ip is the client behind a reverse proxy; by
 * default no X-Forwarded-For is believed, since sign-in limits and security events key on req.ip.
 * `publicUrl` (PUBLIC_URL) starts every absolute link; unset, links name the address the server listens on.
 * `replicas` (DATABASE_READ_URLS): where the routes given `reads` may read from; writes, sign-in and tokens
 * always use `db`, the primary.
 */
export function buildApp({
  db,
  access: settings,
  changes = new ChangeFeed(connectionStringOf(db)),
  trustProxy,
  publicUrl,
  replicas,
}: {
  db: Db;
  replicas?: ReadReplicas;
  access: AccessSettings;
  changes?: ChangeFeed;
  trustProxy?: string;
  publicUrl?: string;
}): express.Express {
  const reads = replicas?.reads ?? primaryReads(db);
  const app = express();
  const linkBase = publicUrlOf(publicUrl);
  const access = new Access(settings);
  app.set("trust proxy", trustProxy ?? false);
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(securityHeaders());
  // a replica down or lagging leaves the process ready: its reads go to the primary
  app.use(healthRoutes(db, replicas && (() => ({ replicas: replicas.report() }))));
  if (replicas) app.use(rememberWrites(db)); // a writer's reads see its writes
  // who is asking, once per request; every route below declares what it needs (access.requires)
  app.use(["/api", "/tiles", "/ogc"], authenticate(db), withActor);
  // the questions are most of the traffic in an incident: they come first, past the fewest layers
  const incidents = incidentSubjects(db); // the questions asked for an incident (incident_id=), read on the primary
  app.use("/api/v1", planSheetRoutes(reads, access, incidents)); // a plan asked as a file (?format=); the JSON answers next
  app.use("/api/v1", questionRoutes(reads, access, incidents));
  app.use("/api/v1", importRoutes(db, access)); // before the JSON parser: an import streams its body
  app.use("/api/v1", paperRoutes(db, access)); // before the JSON parser too: a printed map's image is larger than its limit
  app.use(jsonBody);

  const api = express.Router();
  const openapi = openApiDocument();
  api.get("/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  api.use(authRoutes(db));
  api.use(tokenRoutes(db, access));
  api.use(userRoutes(db, access));
  api.use(auditRoutes(db, access));
  api.use(securityEventRoutes(db, access));
  api.use(featureRoutes(db, reads, access));
  api.use(supplyRoutes(db, access));
  api.use(incidentRoutes(db, access));
  api.use(exportRoutes(db, reads, access));
  api.use(liveRoutes(changes, access));
  api.use((req) => {
    throw notFound(`no API endpoint ${req.method} ${req.path}; see /api/v1/openapi.json`);
  });
  app.use("/api/v1", api);
  app.use("/tiles", access.requires("read"), tileRoutes(db, reads, linkBase));
  app.use("/ogc", access.requires("read"), ogcRoutes(reads, access, linkBase));
  app.use("/styles", styleRoutes(linkBase));

  app.use(express.static(webRoot, { index: "index.html", maxAge: "1h" }));
  app.use((req) => {
    throw notFound(`nothing at ${req.path}`);
  });
  app.use(recordRefusals(db));
  app.use(problemRenderer(LAYER_NOUNS_ZH));
  return app;
}
