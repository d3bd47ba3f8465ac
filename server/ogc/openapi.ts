import type { FeatureCollection } from "./feature_collections.ts";
import { API_TITLE } from "./landing.ts";
import { MEDIA } from "./links.ts";
import { DEFAULT_LIMIT, MAX_LIMIT } from "./params.ts";
import { queryableProperties } from "./queryables.ts";
import { COUNT_CAP } from "./items.ts";

/** A JSON Schema 2019-09 value type as OpenAPI 3.0 writes it (no `const`, no type arrays). */
function oas30(schema: Record<string, unknown>): Record<string, unknown> {
  const { title: _t, description: _d, ...rest } = schema;
  return rest;
}

/**
 * OpenAPI 3.0 definition of the endpoints (Part 1 /req/oas30), generated from the registry: one path
 * per collection so each lists exactly the parameters it accepts (GDAL reads them there).
 */
export function ogcOpenApi(base: string, all: readonly FeatureCollection[]): Record<string, unknown> {
  const json = (schema: Record<string, unknown>, type: string = MEDIA.json) => ({ [type]: { schema } });
  const html = { [MEDIA.html]: { schema: { type: "string" } } };
  const ok = (description: string, schema: Record<string, unknown> = { type: "object" }, type: string = MEDIA.json) => ({
    description,
    content: { ...json(schema, type), ...html },
  });
  const problem = {
    description: "RFC 9457 problem naming the bad parameter",
    content: json({ $ref: "#/components/schemas/Problem" }, "application/problem+json"),
  };
  const f = { $ref: "#/components/parameters/f" };
  const get = (summary: string, parameters: unknown[], responses: Record<string, unknown>) => ({
    get: { summary, parameters, responses: { ...responses, 400: problem } },
  });

  const paths: Record<string, unknown> = {
    "/": get("Landing page", [f], { 200: ok("links to the API definition, conformance and collections") }),
    "/conformance": get("Conformance classes implemented", [f], {
      200: ok("conformance classes", { type: "object", required: ["conformsTo"], properties: { conformsTo: { type: "array", items: { type: "string" } } } }),
    }),
    "/api": get("This API definition", [f], { 200: ok("OpenAPI 3.0", { type: "object" }, MEDIA.openapi) }),
    "/collections": get("Collections: one per layer, or per geometry type of a layer mixing points, lines and areas", [f], { 200: ok("collections") }),
  };
  for (const { id, layer, title, description } of all) {
    const c = `/collections/${id}`;
    const filters = Object.entries(queryableProperties(layer)).map(([name, s]) => ({
      name,
      in: "query",
      required: false,
      style: "form",
      explode: false,
      description: `${s.title} · ${s.description}: equal to the value${s.type === "array" ? " (the list contains it)" : s.type === "string" && !("enum" in s) ? "" : ", or to any of comma-separated values"}`,
      schema: s.type === "array" ? { type: "string" } : oas30(s),
    }));
    paths[c] = get(`${title} · ${description}`, [f], { 200: ok("collection"), 404: problem });
    paths[`${c}/queryables`] = get(`Properties of ${description} usable as query parameters`, [f], {
      200: ok("JSON Schema", { type: "object" }, MEDIA.schema),
      404: problem,
    });
    paths[`${c}/items`] = get(
      `Features of ${description}`,
      [
        f,
        { $ref: "#/components/parameters/bbox" },
        { $ref: "#/components/parameters/limit" },
        { $ref: "#/components/parameters/offset" },
        { $ref: "#/components/parameters/after" },
        { $ref: "#/components/parameters/resultType" },
        { name: "q", in: "query", required: false, description: "substring of the name (case-insensitive)", schema: { type: "string" } },
        ...filters,
      ],
      { 200: ok("GeoJSON FeatureCollection", { $ref: "#/components/schemas/FeatureCollection" }, MEDIA.geojson), 404: problem },
    );
    paths[`${c}/items/{featureId}`] = get(`One feature of ${description}`, [f, { $ref: "#/components/parameters/featureId" }], {
      200: ok("GeoJSON Feature", { $ref: "#/components/schemas/Feature" }, MEDIA.geojson),
      404: problem,
    });
  }

  const link = {
    type: "object",
    required: ["href", "rel"],
    properties: { href: { type: "string" }, rel: { type: "string" }, type: { type: "string" }, title: { type: "string" } },
  };
  return {
    openapi: "3.0.3",
    info: {
      title: API_TITLE,
      version: "1.0.0",
      description: "OGC API – Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) with Part 3 queryables as query parameters.",
    },
    servers: [{ url: base }],
    paths,
    components: {
      parameters: {
        f: {
          name: "f",
          in: "query",
          required: false,
          description: "response format; without it, HTML only for clients that prefer text/html",
          schema: { type: "string", enum: ["json", "html"] },
        },
        bbox: {
          name: "bbox",
          in: "query",
          required: false,
          style: "form",
          explode: false,
          description: "minLon,minLat,maxLon,maxLat in CRS84 (WGS84 longitude/latitude)",
          schema: { type: "array", minItems: 4, maxItems: 4, items: { type: "number" } },
        },
        limit: {
          name: "limit",
          in: "query",
          required: false,
          description: `page size; larger values are reduced to ${MAX_LIMIT}`,
          schema: { type: "integer", minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
        },
        offset: {
          name: "offset",
          in: "query",
          required: false,
          description: "features to skip (deep offsets are slow; next links page by id instead)",
          schema: { type: "integer", minimum: 0, default: 0 },
        },
        after: {
          name: "after",
          in: "query",
          required: false,
          description: "only features whose id is greater (what next links use)",
          schema: { type: "integer", minimum: 0 },
        },
        resultType: {
          name: "resultType",
          in: "query",
          required: false,
          description: `hits: no features, only the exact numberMatched (which results pages give only up to ${COUNT_CAP.toLocaleString("en")})`,
          schema: { type: "string", enum: ["results", "hits"], default: "results" },
        },
        featureId: { name: "featureId", in: "path", required: true, schema: { type: "integer", minimum: 1 } },
      },
      schemas: {
        Link: link,
        Feature: {
          type: "object",
          required: ["type", "geometry", "properties"],
          properties: {
            type: { type: "string", enum: ["Feature"] },
            id: { type: "integer" },
            geometry: { type: "object", nullable: true },
            properties: { type: "object", nullable: true },
            links: { type: "array", items: { $ref: "#/components/schemas/Link" } },
          },
        },
        FeatureCollection: {
          type: "object",
          required: ["type", "features"],
          properties: {
            type: { type: "string", enum: ["FeatureCollection"] },
            features: { type: "array", items: { $ref: "#/components/schemas/Feature" } },
            links: { type: "array", items: { $ref: "#/components/schemas/Link" } },
            timeStamp: { type: "string", format: "date-time" },
            numberMatched: { type: "integer", minimum: 0 },
            numberReturned: { type: "integer", minimum: 0 },
          },
        },
        Problem: {
          type: "object",
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            errors: {
              type: "array",
              items: { type: "object", properties: { path: { type: "array", items: { type: "string" } }, message: { type: "string" } } },
            },
          },
        },
      },
    },
  };
}
