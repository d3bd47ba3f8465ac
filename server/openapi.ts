import { z } from "zod";
import { LAYERS } from "./layers/index.ts";
import { allFields } from "./layers/layer.ts";
import { geometryShapes } from "./layers/geometry.ts";
import { schemasOf } from "./features/schemas.ts";
import { FORMAT_NAMES } from "./formats/formats.ts";
import { FORMATS as IMPORT_FORMATS } from "./import/import_features.ts";
import { CRS, CRS_PATTERN } from "./import/to_wgs84.ts";
import { ENCODINGS } from "./import/decode_text.ts";
import { NearestQuery } from "./questions/nearest.ts";
import { SupplyPlanBody } from "./questions/supply_plan.ts";
import { CoverageQuery } from "./questions/coverage_gaps.ts";
import { SiteSuggestionsBody } from "./questions/site_suggestions.ts";
import { ShelterCapacityQuery } from "./questions/shelter_capacity.ts";
import { SearchQuery } from "./questions/search.ts";
import { EvacuationPlanBody } from "./questions/evacuation_plan.ts";
import { ServiceAreaQuery } from "./roads/service_area.ts";
import { StockRows } from "./supplies/routes.ts";
import { ROLES } from "./auth/permissions.ts";
import { SESSION_COOKIE } from "./auth/cookie.ts";
import { SecurityEventQuery } from "./audit/security_event_routes.ts";

/** The questions, each described by the very zod schema its route parses. */
const QUESTIONS: [path: string, method: "get" | "post", summary: string, schema: z.ZodType][] = [
  [
    "/api/v1/nearest",
    "get",
    "The k nearest features of a layer to a point or a hazard: by travel time on the roads (by=road: travel_time_s, road_distance_m, route; the default where the point joins the network) or in a straight line (geodesic metres, bearing); shelters: usable ones only unless include_unusable, each with the hazard zones it lies in",
    NearestQuery,
  ],
  [
    "/api/v1/service-area",
    "get",
    "Where a resource (or every usable one of a layer) gets to by road within each time break: the grid squares (~100 m) that the roads reached run through, one (Multi)Polygon per break (properties.minutes)",
    ServiceAreaQuery,
  ],
  [
    "/api/v1/supply-plan",
    "post",
    "Which depots to draw how much from, quickest by road first (or nearest in a straight line), and the shortfall",
    SupplyPlanBody,
  ],
  [
    "/api/v1/coverage-gaps",
    "get",
    "Villages with no usable feature of a layer within a radius, or within minutes by road (open shelter with free places, standby team, depot holding stock), and their people; open_only is withdrawn",
    CoverageQuery,
  ],
  [
    "/api/v1/site-suggestions",
    "post",
    "New sites (from village locations) that would cover the most people no usable feature covers, greedily",
    SiteSuggestionsBody,
  ],
  [
    "/api/v1/shelter-capacity",
    "get",
    "One allocation of people to free shelter places within reach: per township sheltered, unsheltered (and why), own places and those serving others; total",
    ShelterCapacityQuery,
  ],
  [
    "/api/v1/search",
    "get",
    "Named things of every stored layer whose name holds q (villages, townships, hazards, shelters, depots, teams, roads, rivers, places…), best match first: {results: [{layer, id, name, lon, lat, bbox}]}",
    SearchQuery,
  ],
  ["/api/v1/evacuation-plan", "post", "An assignment of the people in an area to shelters: most people moved, fewest person-metres", EvacuationPlanBody],
];

/** OpenAPI 3.1 of the HTTP API, generated from the registry and its zod schemas, never written by hand. */
export function openApiDocument(): Record<string, unknown> {
  const problem = { description: "RFC 9457 problem", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
  const idParam = { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
  const ifMatch = { name: "If-Match", in: "header", required: true, description: 'ETag of the version being edited, e.g. "3"', schema: { type: "string" } };
  const paths: Record<string, unknown> = {
    "/api/v1/layers": { get: { summary: "List layers with counts and attribute schemas", responses: { 200: { description: "layers" } } } },
    "/api/v1/items": { get: { summary: "Supply item catalogue", responses: { 200: { description: "items" } } } },
    "/api/v1/stock": {
      get: {
        summary: "Stock rows that need attention",
        parameters: ["item", "low", "expires_before"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
        responses: { 200: { description: "rows" }, 400: problem },
      },
    },
    "/api/v1/depots/{id}/stock": {
      get: { summary: "A depot's stock (ETag = depot version)", parameters: [idParam], responses: { 200: { description: "stock" }, 404: problem } },
      put: {
        summary: "Replace a depot's stock",
        parameters: [idParam, ifMatch],
        requestBody: { content: { "application/json": { schema: z.toJSONSchema(StockRows, { io: "input" }) } } },
        responses: { 200: { description: "stock" }, 400: problem, 404: problem, 412: problem, 422: problem, 428: problem },
      },
    },
  };
  const schemas: Record<string, unknown> = {
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
          items: { type: "object", properties: { path: { type: "array", items: { type: ["string", "integer"] } }, message: { type: "string" } } },
        },
      },
    },
  };
  for (const layer of LAYERS) {
    const props = schemasOf(layer).properties;
    const shapes = geometryShapes(layer.geometryTypes);
    const geometry = z.toJSONSchema(layer.geometryOptional ? shapes.nullable() : shapes); // a township may have no polygon
    schemas[layer.name] = {
      type: "object",
      title: layer.label.en,
      "x-label": layer.label,
      properties: { type: { const: "Feature" }, id: { type: "integer" }, geometry, properties: props },
    };
    const ref = { $ref: `#/components/schemas/${layer.name}` };
    const geojson = { "application/geo+json": { schema: ref } };
    const filters = Object.entries(allFields(layer)).map(([name, f]) => ({
      name,
      in: "query",
      description: `${f.label.en}: a value or comma-separated values`,
      schema: { type: "string" },
    }));
    const list = [
      { name: "bbox", in: "query", description: "minLon,minLat,maxLon,maxLat (EPSG:4326)", schema: { type: "string" } },
      { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 10000, default: 100 } },
      { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
      { name: "q", in: "query", description: "substring of the name", schema: { type: "string" } },
      ...filters,
    ];
    const query = (name: string, values: readonly string[], description: string, required = false) => ({
      name,
      in: "query",
      required,
      description,
      schema: { type: "string", enum: values },
    });
    paths[`/api/v1/layers/${layer.name}/export`] = {
      get: {
        summary: `Download ${layer.label.en} as a file (streamed; Content-Disposition names it)`,
        parameters: [query("format", FORMAT_NAMES, "shp is a .zip", true), list[0], list[3], ...filters],
        responses: { 200: { description: "the file" }, 400: problem, 404: problem },
      },
    };
    if (!layer.readOnly) {
      paths[`/api/v1/layers/${layer.name}/import`] = {
        post: {
          summary: `Import ${layer.label.en} from a file (the raw body): all rows or none, upsert by code`,
          parameters: [
            query("format", IMPORT_FORMATS, "", true),
            {
              name: "crs",
              in: "query",
              description: `the coordinates' reference system (${CRS.join(", ")} or EPSG:<code>); converted to WGS 84. Absent: the file's own (a shapefile's .prj, a GeoPackage's), else WGS 84`,
              schema: { type: "string", pattern: CRS_PATTERN.source },
            },
            query("dry_run", ["true", "false"], "validate and report, write nothing"),
            query("encoding", ENCODINGS, "CSV text encoding, detected when absent; a shapefile's DBF encoding, its .cpg's (GBK without one) when absent"),
            {
              name: "file_layer",
              in: "query",
              description: "which shapefile of the .zip, or feature table of the GeoPackage, when it holds several",
              schema: { type: "string" },
            },
          ],
          requestBody: {
            content: {
              "text/csv": {},
              "application/geo+json": {},
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
              "application/zip": {},
              "application/geopackage+sqlite3": {},
            },
          },
          responses: {
            200: { description: "report {crs, inserted, updated, unchanged, left_out, errors: [], warnings}" },
            400: problem,
            405: problem,
            413: problem,
            422: { ...problem, description: "rows rejected, nothing written: the report's errors [{row, field, message}]" },
          },
        },
      };
    }
    const base = `/api/v1/layers/${layer.name}/features`;
    paths[base] = {
      get: { summary: `List ${layer.label.en}`, parameters: list, responses: { 200: { description: "FeatureCollection" }, 400: problem } },
      ...(layer.readOnly
        ? {}
        : {
            post: {
              summary: `Create a feature in ${layer.label.en}`,
              requestBody: { content: geojson },
              responses: { 201: { description: "created", content: geojson }, 400: problem, 409: problem },
            },
          }),
    };
    paths[`${base}/{id}`] = {
      get: { summary: "One feature (ETag = version)", parameters: [idParam], responses: { 200: { description: "Feature", content: geojson }, 404: problem } },
      ...(layer.readOnly
        ? {}
        : {
            patch: {
              summary: "Change properties and/or geometry",
              parameters: [idParam, ifMatch],
              requestBody: {
                content: { "application/json": { schema: { type: "object", properties: { geometry, properties: { ...props, required: [] } } } } },
              },
              responses: { 200: { description: "Feature", content: geojson }, 400: problem, 404: problem, 412: problem, 428: problem },
            },
            delete: {
              summary: "Delete a feature",
              parameters: [idParam, ifMatch],
              responses: { 204: { description: "deleted" }, 404: problem, 412: problem, 428: problem },
            },
          }),
    };
  }
  for (const [path, method, summary, schema] of QUESTIONS) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown>; required?: string[] };
    const responses = { 200: { description: "the answer" }, 400: problem };
    paths[path] = {
      [method]:
        method === "get"
          ? {
              summary,
              parameters: Object.entries(json.properties ?? {}).map(([name, s]) => ({
                name,
                in: "query",
                required: json.required?.includes(name) ?? false,
                schema: s,
              })),
              responses,
            }
          : { summary, requestBody: { content: { "application/json": { schema: json } } }, responses },
    };
  }
  paths["/api/v1/hazards/{id}/exposure"] = {
    get: {
      summary:
        "Villages, shelters, depots and teams inside a hazard's zone; vulnerable is null (unknown) when any village's figure is unknown, with vulnerable_known and vulnerable_unknown_villages beside it",
      parameters: [idParam],
      responses: { 200: { description: "exposure" }, 404: problem },
    },
  };
  const ok = (description: string) => ({ 200: { description }, 401: problem, 403: problem });
  const json = (properties: Record<string, unknown>, required: string[] = []) => ({
    content: { "application/json": { schema: { type: "object", properties, required } } },
  });
  const str = { type: "string" };
  const account = {
    display_name: str,
    roles: { type: "array", items: { enum: [...ROLES] } },
    townships: { type: "array", items: str, description: "township admin codes, or * for all" },
  };
  paths["/api/v1/auth/login"] = {
    post: {
      summary: "Sign in: sets the session cookie, returns the account and the CSRF token for writes",
      security: [],
      requestBody: json({ username: str, password: str }, ["username", "password"]),
      responses: { 200: { description: "signed in" }, 401: problem, 429: problem },
    },
  };
  paths["/api/v1/auth/me"] = { get: { summary: "Who is signed in, their roles and permissions", responses: ok("account") } };
  paths["/api/v1/auth/logout"] = {
    post: { summary: "End the web session (X-CSRF-Token)", responses: { 204: { description: "signed out" }, 401: problem, 403: problem } },
  };
  paths["/api/v1/auth/tokens"] = {
    get: { summary: "API tokens (one's own; an admin's: everyone's), never the secrets", responses: ok("tokens") },
    post: {
      summary: "A new API token, shown once (from a signed-in web session)",
      requestBody: json({ name: str }, ["name"]),
      responses: { 201: { description: "the token" }, 401: problem, 403: problem },
    },
  };
  paths["/api/v1/auth/tokens/{id}"] = {
    delete: { summary: "Revoke an API token", parameters: [idParam], responses: { 204: { description: "revoked" }, 401: problem, 404: problem } },
  };
  paths["/api/v1/users"] = {
    get: { summary: "Accounts (admin)", responses: ok("users") },
    post: {
      summary: "Create an account (admin, from a signed-in web session: never an API token)",
      requestBody: json({ username: str, password: str, ...account }, ["username", "password", "roles"]),
      responses: { 201: { description: "created" }, 400: problem, 401: problem, 403: problem, 409: problem },
    },
  };
  paths["/api/v1/users/{id}"] = {
    patch: {
      summary:
        "Change an account: roles, townships, password, disabled (admin, from a signed-in web session: never an API token). A new password or disabling ends its sessions and revokes its API tokens",
      parameters: [idParam],
      requestBody: json({ password: str, disabled: { type: "boolean" }, ...account }),
      responses: { ...ok("account"), 400: problem, 404: problem },
    },
  };
  paths["/api/v1/audit"] = {
    get: {
      summary: "The audit trail, newest first (admin); filters actor, action, entity, entity_id, since, until; paged by `before`",
      parameters: ["actor", "action", "entity", "entity_id", "since", "until", "before", "limit"].map((name) => ({ name, in: "query", schema: str })),
      responses: { ...ok("entries and the next page's link"), 400: problem },
    },
  };
  paths["/api/v1/security-events"] = {
    get: {
      summary:
        "Failed sign-ins, locks, refused requests (401/403, outside a clerk's townships), newest first (admin); `suppressed`: events counted past the per-minute budget; paged by `before`",
      parameters: Object.keys(SecurityEventQuery.shape).map((name) => ({ name, in: "query", schema: str })),
      responses: { ...ok("events, suppressed counts and the next page's link"), 400: problem },
    },
  };
  paths["/api/v1/changes"] = { get: { summary: "Server-sent events: every write to a layer", responses: ok("text/event-stream") } };
  paths["/healthz"] = { get: { summary: "Process is up", security: [], responses: { 200: { description: "ok" } } } };
  paths["/readyz"] = { get: { summary: "Database reachable", security: [], responses: { 200: { description: "ready" }, 503: problem } } };
  const securitySchemes = {
    token: { type: "http", scheme: "bearer", description: "an API token (POST /api/v1/auth/tokens)" },
    session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "the web app's session; writes also need X-CSRF-Token" },
  };
  return {
    openapi: "3.1.0",
    info: { title: "hazmap — 应急资源一张图", version: "1" },
    paths,
    security: [{ token: [] }, { session: [] }],
    components: { schemas, securitySchemes },
  };
}
