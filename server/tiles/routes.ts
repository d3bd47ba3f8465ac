import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import { layerNamed } from "../layers/index.ts";
import type { TiledLayer } from "../layers/layer.ts";
import type { PublicUrl } from "../http/public_url.ts";
import type { Reads } from "../replicas/read_replicas.ts";
import { parse } from "../http/parse.ts";
import { notFound } from "../http/problem.ts";
import { tile } from "./tile.ts";
import { TILED, tileJson } from "./tilejson.ts";

const TileAddress = z
  .object({
    z: z.coerce.number().int().min(0).max(22),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
  })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: "x and y must be below 2^z", path: ["x"] });

function layerOf(req: Request): TiledLayer {
  const layer = layerNamed(String(req.params.layer));
  if (!layer.tiles) throw notFound(`${layer.name} has no vector tiles; read it as features or an export`);
  return layer as TiledLayer;
}

function sendTile(res: Response, bytes: Buffer) {
  // revalidate every time (the ETag makes that cheap): an edit must show on the next request
  res.set("Cache-Control", "private, no-cache").type("application/vnd.mapbox-vector-tile").send(bytes);
}

/** Vector tiles from PostGIS (ST_AsMVT) and TileJSON beside them, read from a replica when one may serve; low-zoom tiles made afresh are kept in `db`. */
export function tileRoutes(db: Db, reads: Reads, publicUrl: PublicUrl): Router {
  const router = Router();

  // Every layer in one tile (a tile's layers are concatenated MVT messages): the web map draws them
  // all, and browsers fetch six at a time from one host, so one request per tile instead of one per layer.
  router.get("/all/:z/:x/:y.mvt", async (req, res) => {
    const { z, x, y } = parse(TileAddress, req.params);
    sendTile(res, Buffer.concat(await Promise.all(TILED.map((l) => tile(reads(req), l, z, x, y, db)))));
  });

  router.get("/:layer/:z/:x/:y.mvt", async (req, res) => {
    const layer = layerOf(req);
    const { z, x, y } = parse(TileAddress, req.params);
    sendTile(res, await tile(reads(req), layer, z, x, y, db));
  });

  router.get("/all.json", async (req, res) => {
    const base = publicUrl(req);
    res.set("Cache-Control", "private, no-cache").json(
      await tileJson(reads(req), {
        name: "hazmap 应急资源一张图",
        description: "Every tiled layer in one tile: what the web map draws",
        tiles: `${base}/tiles/all/{z}/{x}/{y}.mvt`,
        layers: TILED,
      }),
    );
  });

  router.get("/:layer.json", async (req, res) => {
    const layer = layerOf(req);
    const base = publicUrl(req);
    res.set("Cache-Control", "private, no-cache").json(
      await tileJson(reads(req), {
        name: layer.label.zh,
        description: layer.label.en,
        tiles: `${base}/tiles/${layer.name}/{z}/{x}/{y}.mvt`,
        layers: [layer],
      }),
    );
  });

  return router;
}
