import { Router } from "express";
import type { PublicUrl } from "../http/public_url.ts";
import { hazmapStyle } from "./hazmap_style.ts";

/** The web map's style for any MapLibre client or QGIS: no data in it, so no sign-in (the tiles it names need one). */
export function styleRoutes(publicUrl: PublicUrl): Router {
  const router = Router();
  router.get("/hazmap.json", (req, res) => {
    res.set("Cache-Control", "no-cache").json(hazmapStyle(publicUrl(req)));
  });
  return router;
}
