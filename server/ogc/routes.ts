import { Router, type Request, type Response } from "express";
import type { Db } from "../db.ts";
import type { Access } from "../auth/access.ts";
import { findLayer, LAYERS } from "../layers/index.ts";
import type { Layer } from "../layers/layer.ts";
import { getFeature } from "../features/repository.ts";
import { idParam } from "../http/ids.ts";
import { notFound } from "../http/problem.ts";
import { CONFORMANCE_CLASSES } from "./conformance.ts";
import { landingPage } from "./landing.ts";
import { collection, collections } from "./collections.ts";
import { layerExtent } from "./extent.ts";
import { featureCollectionJson, pageLinks, readItems } from "./items.ts";
import { queryables } from "./queryables.ts";
import { ogcOpenApi } from "./openapi.ts";
import { parseFormat, parseItemsQuery } from "./params.ts";
import { MEDIA, href, selfLinks, type Format } from "./links.ts";
import * as html from "./html.ts";

/** Where this API is, as clients reached it (links are absolute). */
const baseOf = (req: Request) => `${req.protocol}://${req.get("host")}${req.baseUrl}`;

/** What the client prefers when it sent no `f`: browsers ask for text/html first. */
const preferred = (req: Request) => req.accepts([MEDIA.json, MEDIA.geojson, MEDIA.html]);

function layerOf(req: Request): Layer {
  const layer = findLayer(String(req.params.collection));
  if (!layer) throw notFound(`no collection named ${req.params.collection}; GET ${req.baseUrl}/collections lists them`);
  return layer;
}

function send(res: Response, format: Format, json: unknown, type: string, page: () => string) {
  if (format === "html") res.type(MEDIA.html).send(page());
  else res.set("Content-Type", type).send(typeof json === "string" ? json : JSON.stringify(json));
}

/** OGC API – Features Part 1 Core at /ogc: the Express adapter around the protocol modules beside it. */
export function ogcRoutes(db: Db, access: Access): Router {
  const router = Router();

  router.get("/", (req, res) => {
    const format = parseFormat(req.query, preferred(req));
    const doc = landingPage(baseOf(req), format);
    send(res, format, doc, MEDIA.json, () => html.landingHtml(baseOf(req), doc));
  });

  router.get("/style.css", (_req, res) => {
    res.type("text/css").set("Cache-Control", "max-age=3600").send(html.STYLESHEET);
  });

  router.get("/conformance", (req, res) => {
    const format = parseFormat(req.query, preferred(req));
    const links = selfLinks(baseOf(req), "/conformance", {}, format, MEDIA.json, "conformance");
    send(res, format, { conformsTo: CONFORMANCE_CLASSES, links }, MEDIA.json, () => html.conformanceHtml(baseOf(req), CONFORMANCE_CLASSES, links));
  });

  router.get("/api", (req, res) => {
    const format = parseFormat(req.query, preferred(req));
    const doc = ogcOpenApi(baseOf(req), LAYERS);
    send(res, format, doc, MEDIA.openapi, () => html.apiHtml(baseOf(req), doc as never));
  });

  router.get("/collections", async (req, res) => {
    const format = parseFormat(req.query, preferred(req));
    const extents = await Promise.all(LAYERS.map((l) => layerExtent(db, l)));
    const doc = collections(baseOf(req), LAYERS, extents, format);
    send(res, format, doc, MEDIA.json, () => html.collectionsHtml(baseOf(req), doc.collections, doc.links));
  });

  router.get("/collections/:collection", async (req, res) => {
    const layer = layerOf(req);
    const format = parseFormat(req.query, preferred(req));
    const doc = collection(baseOf(req), layer, await layerExtent(db, layer), format);
    send(res, format, doc, MEDIA.json, () => html.collectionHtml(baseOf(req), doc, layer));
  });

  router.get("/collections/:collection/queryables", (req, res) => {
    const layer = layerOf(req);
    const format = parseFormat(req.query, preferred(req));
    const doc = queryables(baseOf(req), layer, format);
    send(res, format, doc, MEDIA.schema, () => html.queryablesHtml(baseOf(req), layer, doc.properties as never, doc.links));
  });

  router.get("/collections/:collection/items", async (req, res) => {
    const layer = layerOf(req);
    const q = parseItemsQuery(layer, req.query, preferred(req));
    const page = await readItems(db, layer, q, access.hiddenFields(res, layer, Object.keys(q.filters)));
    const links = pageLinks(baseOf(req), layer, q, page);
    send(res, q.format, featureCollectionJson(page, links), MEDIA.geojson, () =>
      html.itemsHtml(baseOf(req), layer, page.features.map((f) => JSON.parse(f)), page.numberMatched, links));
  });

  router.get("/collections/:collection/items/:id", async (req, res) => {
    const layer = layerOf(req);
    const format = parseFormat(req.query, preferred(req));
    const found = await getFeature(db, layer, idParam(req, layer.name), access.hiddenFields(res, layer));
    if (!found) throw notFound(`${layer.name} ${req.params.id} does not exist`);
    const base = baseOf(req);
    const links = [
      ...selfLinks(base, `/collections/${layer.name}/items/${req.params.id}`, {}, format, MEDIA.geojson, "this feature"),
      { href: href(base, `/collections/${layer.name}`), rel: "collection", type: MEDIA.json, title: layer.label.zh },
    ];
    // the Feature text as PostgreSQL built it, with the links member added before its closing brace
    send(res, format, `${found.feature.slice(0, -1)},"links":${JSON.stringify(links)}}`, MEDIA.geojson, () =>
      html.itemHtml(base, layer, JSON.parse(found.feature), links));
  });

  router.use((req) => {
    throw notFound(`nothing at ${req.baseUrl}${req.path}; see ${req.baseUrl}/api`);
  });
  return router;
}
