import { Router } from "express";
import type { Db } from "../db.ts";
import { Problem } from "./problem.ts";

/** `more`: what else /readyz tells (how each read replica is); it never makes the process unready. */
export function healthRoutes(db: Db, more: () => object = () => ({})): Router {
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
    res.json({ status: "ready", ...more() });
  });
  return router;
}
