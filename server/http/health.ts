import { Router } from "express";
import type { Db } from "../db.ts";
import { Problem } from "./problem.ts";
import type { ReplicaReport } from "../replicas/read_replicas.ts";

/** `replicas`: how each read replica is (DATABASE_READ_URLS); one down or lagging leaves the process ready, its reads going to the primary. */
export function healthRoutes(db: Db, replicas?: () => ReplicaReport[]): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    try {
      await db.raw("SELECT 1").timeout(2_000, { cancel: false });
    } catch {
      throw new Problem(503, "database-unavailable", "Service unavailable", "the database is unreachable", undefined, { "Retry-After": "5" });
    }
    res.json({ status: "ready", ...(replicas && { replicas: replicas() }) });
  });
  return router;
}
