import { Router, type Request, type Response } from "express";
import type { Reads } from "../replicas/read_replicas.ts";
import type { Access } from "../auth/access.ts";
import type { PublicUrl } from "../http/public_url.ts";
import { idParam } from "../http/ids.ts";
import { notFound, Problem } from "../http/problem.ts";
import { CONFORMANCE_CLASSES } from "./conformance.ts";
import { landingPage } from "./landing.ts";
import { collection, collections } from "./collections.ts";
import { collectionExtent } from "./extent.ts";
import { collectionsServing, FEATURE_COLLECTIONS, findCollection, type FeatureCollection } from "./feature_collections.ts";
import { featureCollectionJson, pageLinks, readItem, readItems } from "./items.ts";
import { queryables } from "./queryables.ts";
import { ogcOpenApi } from "./openapi.ts";
import { parseFormat, parseItemsQuery } from "./params.ts";
import { MEDIA, href, selfLinks, type Format } from "./links.ts";
import * as html from "./html.ts";

/** What the client prefers when it sent no `f`: browsers ask for text/html first. */
const preferred = (req: Request) => req.accepts([MEDIA.json, MEDIA.geojson, MEDIA.html]);

function collectionOf(req: Request): FeatureCollection {
  const id = String(req.params.collection);
  const found = findCollection(id);
  if (found) return found;
  const parts = collectionsServing(id);
  // a layer mixing points, lines and areas (hazards) is served one geometry type per collection
  if (parts.length) throw notFound(`${id} holds points, lines and areas; each is its own collection: ${parts.join(", ")}`);
  throw notFound(`no collection named ${id}; GET ${req.baseUrl}/collections lists them`);
}

function send(res: Response, format: Format, json: unknown, type: string, page: () => string) {
  if (format === "html") res.type(MEDIA.html).send(page());
  else res.set("Content-Type", type).send(typeof json === "string" ? json : JSON.stringify(json));
}

/** The API is read-only: any other method on one of its resources is a 405 saying what is allowed. */
function readOnly(req: Request, res: Response) {
  if (req.params.collection !== undefined) collectionOf(req);
  if (req.method === "OPTIONS") return void res.set("Allow", "GET, HEAD, OPTIONS").status(204).end();
  throw new Problem(
    405,
    "method-not-allowed",
    "Method Not Allowed",
    `OGC API – Features here is read-only; write through /api/v1/layers/…/features`,
    undefined,
    { Allow: "GET, HEAD, OPTIONS" },
  );
}

/** OGC API – Features Part 1 Core at /ogc: the Express adapter around the protocol modules beside it. Read-only: from a replica when one may serve. */
export function ogcRoutes(reads: Reads, access: Access, publicUrl: PublicUrl): Router {
  const router = Router();
  /** Where this API is: absolute links start here (never with the request's Host header). */
  const baseOf = (req: Request) => `${publicUrl(req)}${req.baseUrl}`;

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
    const doc = ogcOpenApi(baseOf(req), FEATURE_COLLECTIONS);
    send(res, format, doc, MEDIA.openapi, () => html.apiHtml(baseOf(req), doc as never));
  });

  router.get("/collections", async (req, res) => {
    const format = parseFormat(req.query, preferred(req));
    const extents = await Promise.all(FEATURE_COLLECTIONS.map((c) => collectionExtent(reads(req), c)));
    const doc = collections(baseOf(req), FEATURE_COLLECTIONS, extents, format);
    send(res, format, doc, MEDIA.json, () => html.collectionsHtml(baseOf(req), doc.collections, doc.links));
  });

  router.get("/collections/:collection", async (req, res) => {
    const c = collectionOf(req);
    const format = parseFormat(req.query, preferred(req));
    const doc = collection(baseOf(req), c, await collectionExtent(reads(req), c), format);
    send(res, format, doc, MEDIA.json, () => html.collectionHtml(baseOf(req), doc, c.layer));
  });

  router.get("/collections/:collection/queryables", (req, res) => {
    const c = collectionOf(req);
    const format = parseFormat(req.query, preferred(req));
    const doc = queryables(baseOf(req), c, format);
    send(res, format, doc, MEDIA.schema, () => html.queryablesHtml(baseOf(req), c, doc.properties as never, doc.links));
  });

  router.get("/collections/:collection/items", async (req, res) => {
    const c = collectionOf(req);
    const q = parseItemsQuery(c.layer, req.query, preferred(req));
    const page = await readItems(reads(req), c, q, access.hiddenFields(res, c.layer, Object.keys(q.filters)));
    const links = pageLinks(baseOf(req), c, q, page);
    send(res, q.format, featureCollectionJson(page, links), MEDIA.geojson, () =>
      html.itemsHtml(
        baseOf(req),
        c,
        page.features.map((f) => JSON.parse(f)),
        page.numberMatched,
        links,
      ),
    );
  });

  router.get("/collections/:collection/items/:id", async (req, res) => {
    const c = collectionOf(req);
    const format = parseFormat(req.query, preferred(req));
    const feature = await readItem(reads(req), c, idParam(req, c.id), access.hiddenFields(res, c.layer));
    if (!feature) throw notFound(`${c.id} ${req.params.id} does not exist`);
    const base = baseOf(req);
    const links = [
      ...selfLinks(base, `/collections/${c.id}/items/${req.params.id}`, {}, format, MEDIA.geojson, "this feature"),
      { href: href(base, `/collections/${c.id}`), rel: "collection", type: MEDIA.json, title: c.title },
    ];
    // the Feature text as PostgreSQL built it, with the links member added before its closing brace
    send(res, format, `${feature.slice(0, -1)},"links":${JSON.stringify(links)}}`, MEDIA.geojson, () => html.itemHtml(base, c, JSON.parse(feature), links));
  });

  router.all(
    [
      "/",
      "/style.css",
      "/conformance",
      "/api",
      "/collections",
      "/collections/:collection",
      "/collections/:collection/queryables",
      "/collections/:collection/items",
      "/collections/:collection/items/:id",
    ],
    readOnly,
  );

  router.use((req) => {
    throw notFound(`nothing at ${req.baseUrl}${req.path}; see ${req.baseUrl}/api`);
  });
  return router;
}
