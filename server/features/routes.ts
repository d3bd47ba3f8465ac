import { Router, type Request, type Response } from "express";
import type { Db } from "../db.ts";
import { layerNamed, LAYERS } from "../layers/index.ts";
import type { Layer } from "../layers/layer.ts";
import { parse } from "../http/parse.ts";
import { Problem, badRequest, notFound } from "../http/problem.ts";
import { etag, expectedVersion } from "../http/versions.ts";
import { idParam } from "../http/ids.ts";
import { schemasOf } from "./schemas.ts";
import { inputResolver } from "./township_names.ts";
import { layerSummary } from "./layer_summary.ts";
import type { Access } from "../auth/access.ts";
import type { Reads } from "../replicas/read_replicas.ts";
import { featureCollection } from "../sql/feature_json.ts";
import { countFeatures, countWithoutGeometry, createFeature, deleteFeature, getFeature, listFeatures, updateFeature } from "./repository.ts";

const GEOJSON = "application/geo+json";

function layerOf(req: Request): Layer {
  return layerNamed(String(req.params.layer));
}

export function writableLayerOf(req: Request): Layer {
  const layer = layerOf(req);
  if (layer.readOnly) throw new Problem(405, "read-only-layer", "Method not allowed", `${layer.name} is derived from other layers and cannot be edited`);
  return layer;
}

function sendFeature(res: Response, f: { feature: string; version: number | null }, status = 200) {
  if (f.version !== null) res.set("ETag", etag(f.version));
  res.status(status).type(GEOJSON).send(f.feature);
}

/** A body with the layer's input-only attributes resolved into stored ones (a village's township by name). */
async function resolveInputs<T extends { geometry?: unknown; properties?: Record<string, unknown> }>(db: Db, layer: Layer, body: T): Promise<T> {
  const resolve = body.properties && (await inputResolver(db, layer));
  if (!resolve) return body;
  const r = resolve(body.properties!);
  if (!("properties" in r)) throw badRequest([{ path: ["properties", r.field], message: r.message }]);
  // a PATCH of only `township_name: null` (not given) changes nothing
  if (body.geometry !== undefined || Object.keys(r.properties).length > 0) return { ...body, properties: r.properties };
  throw badRequest([{ path: ["properties"], message: "nothing to change: send properties and/or geometry" }]);
}

/**
 * Writes are let through to whoever may edit something (admins: townships); editScope decides per layer.
 * Reads (lists, one feature, the layers' counts) may come from a replica; writes and what they check go to `db`.
 */
export function featureRoutes(db: Db, reads: Reads, access: Access): Router {
  const router = Router();

  router.get("/layers", access.requires("read"), async (req, res) => {
    const counts = await Promise.all(LAYERS.map((l) => countFeatures(reads(req), l)));
    const unlocated = await Promise.all(LAYERS.map((l) => (l.geometryOptional ? countWithoutGeometry(reads(req), l) : undefined)));
    res.json({ layers: LAYERS.map((l, i) => layerSummary(l, counts[i]!, unlocated[i])) });
  });

  router.get("/layers/:layer/features", access.requires("read"), async (req, res) => {
    const layer = layerOf(req);
    const q = parse(schemasOf(layer).list, req.query);
    const { features, numberMatched } = await listFeatures(reads(req), layer, q, access.hiddenFields(res, layer, Object.keys(q.filters)));
    res.type(GEOJSON).send(featureCollection({ numberMatched, numberReturned: features.length, timeStamp: new Date().toISOString() }, features));
  });

  router.get("/layers/:layer/features/:id", access.requires("read"), async (req, res) => {
    const layer = layerOf(req);
    const f = await getFeature(reads(req), layer, idParam(req, layer.name), access.hiddenFields(res, layer));
    if (!f) throw notFound(`${layer.name} ${req.params.id} does not exist`);
    sendFeature(res, f);
  });

  router.post("/layers/:layer/features", access.requires("edit", "admin"), async (req, res) => {
    const layer = writableLayerOf(req);
    const within = access.editScope(res, layer.name);
    const body = await resolveInputs(db, layer, parse(schemasOf(layer).create, req.body));
    const f = await createFeature(db, layer, body as never, within);
    res.location(`${req.baseUrl}/layers/${layer.name}/features/${f.id}`);
    sendFeature(res, f, 201);
  });

  router.patch("/layers/:layer/features/:id", access.requires("edit", "update_status", "admin"), async (req, res) => {
    const layer = writableLayerOf(req);
    const id = idParam(req, layer.name);
    const version = expectedVersion(req);
    const patch = await resolveInputs(db, layer, parse(schemasOf(layer).patch, req.body));
    sendFeature(res, await updateFeature(db, layer, id, version, patch as never, access.editScope(res, layer.name, patch)));
  });

  router.delete("/layers/:layer/features/:id", access.requires("edit", "admin"), async (req, res) => {
    const layer = writableLayerOf(req);
    const within = access.editScope(res, layer.name);
    await deleteFeature(db, layer, idParam(req, layer.name), expectedVersion(req), within);
    res.status(204).end();
  });

  return router;
}
