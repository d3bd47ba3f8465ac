import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Db } from "../db.ts";
import { findLayer, LAYERS } from "../layers/index.ts";
import { allFields, type TiledLayer } from "../layers/layer.ts";
import { parse } from "../http/parse.ts";
import { notFound } from "../http/problem.ts";
import { ident } from "../features/sql.ts";
import { tile } from "./tile.ts";

const MAX_ZOOM = 16;

const TileAddress = z
  .object({
    z: z.coerce.number().int().min(0).max(22),
    x: z.coerce.number().int().min(0),
    y: z.coerce.number().int().min(0),
  })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: "x and y must be below 2^z", path: ["x"] });

function layerOf(req: Request): TiledLayer {
  const layer = findLayer(String(req.params.layer));
  if (!layer) throw notFound(`no layer named ${req.params.layer}`);
  if (!layer.tiles) throw notFound(`${layer.name} has no vector tiles; read it as features or an export`);
  return layer as TiledLayer;
}

const TILED = LAYERS.filter((l): l is TiledLayer => Boolean(l.tiles));

function sendTile(res: Response, bytes: Buffer) {
  // revalidate every time (the ETag makes that cheap): an edit must show on the next request
  res.set("Cache-Control", "private, no-cache").type("application/vnd.mapbox-vector-tile").send(bytes);
}

/** Vector tiles from PostGIS (ST_AsMVT) and TileJSON beside them. */
export function tileRoutes(db: Db): Router {
  const router = Router();

  // Every layer in one tile (a tile's layers are concatenated MVT messages): the web map draws them
  // all, and browsers fetch six at a time from one host, so one request per tile instead of one per layer.
  router.get("/all/:z/:x/:y.mvt", async (req, res) => {
    const { z, x, y } = parse(TileAddress, req.params);
    sendTile(res, Buffer.concat(await Promise.all(TILED.map((l) => tile(db, l, z, x, y)))));
  });

  router.get("/:layer/:z/:x/:y.mvt", async (req, res) => {
    const layer = layerOf(req);
    const { z, x, y } = parse(TileAddress, req.params);
    sendTile(res, await tile(db, layer, z, x, y));
  });

  router.get("/:layer.json", async (req, res) => {
    const layer = layerOf(req);
    const { rows } = await db.raw(`SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
                                   FROM (SELECT ST_Extent(geom) AS e FROM ${ident(layer.table)}) s`);
    const extent = rows[0];
    const fields = allFields(layer);
    const origin = `${req.protocol}://${req.get("host")}`;
    res.set("Cache-Control", "private, no-cache").json({
      tilejson: "3.0.0",
      name: layer.label.zh,
      description: layer.label.en,
      tiles: [`${origin}/tiles/${layer.name}/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      maxzoom: MAX_ZOOM,
      bounds: extent.x0 === null ? [-180, -85.05, 180, 85.05] : [extent.x0, extent.y0, extent.x1, extent.y1],
      vector_layers: [{ id: layer.name, fields: Object.fromEntries(layer.tiles.properties.map((p) => [p, fields[p]!.label.en])) }],
    });
  });

  return router;
}
