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
import { ExposureQuery } from "./questions/exposure.ts";
import { SupplyPlanBody } from "./questions/supply_plan.ts";
import { CoverageQuery } from "./questions/coverage_gaps.ts";
import { SiteSuggestionsBody } from "./questions/site_suggestions.ts";
import { ShelterCapacityQuery } from "./questions/shelter_capacity.ts";
import { SearchQuery } from "./questions/search.ts";
import { EvacuationPlanBody } from "./questions/evacuation_plan.ts";
import { PlaceQuery } from "./questions/place.ts";
import { SheetQuery } from "./formats/plan_sheets.ts";
import { ServiceAreaQuery } from "./roads/service_area.ts";
import { StockRows } from "./supplies/routes.ts";
import { IncidentChange, IncidentListQuery, NewIncident } from "./incidents/incidents.ts";
import { NeedsNorms } from "./incidents/norms.ts";
import { NeedsQuery } from "./incidents/needs.ts";
import { DispatchChange, NewDispatch, NewDispatches } from "./incidents/dispatches.ts";
import { NewDeployment } from "./incidents/deployments.ts";
import { NewNote } from "./incidents/timeline.ts";
import { MapPrintBody } from "./paper/map_print.ts";
import { ROLES } from "./auth/permissions.ts";
import { SESSION_COOKIE } from "./auth/cookie.ts";
import { SecurityEventQuery } from "./audit/security_event_routes.ts";

/** The questions, each described by the very zod schema its route parses. */
const QUESTIONS: [path: string, method: "get" | "post", summary: string, schema: z.ZodType, sheet?: "sheet"][] = [
  [
    "/api/v1/nearest",
    "get",
    "The k nearest features of a layer to a point, a hazard or an incident (from its point, which the answer's incident says): by travel time on the roads (by=road: travel_time_s, road_distance_m, route; the default where the point joins the network) or in a straight line (geodesic metres, bearing); shelters: usable ones only unless include_unusable, each with the hazard zones it lies in",
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
    "Which depots to draw how much from, quickest by road first (or nearest in a straight line), and the shortfall; for an incident (incident_id), to its point and by default for its needs not yet sent (demand)",
    SupplyPlanBody,
    "sheet",
  ],
  [
    "/api/v1/coverage-gaps",
    "get",
    "Villages with no usable feature of a layer within a radius, or within minutes by road (open shelter with free places, standby team, depot holding stock), and their people; open_only is withdrawn",
    CoverageQuery,
    "sheet",
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
    "/api/v1/evacuation-plan",
    "post",
    "An assignment of the people in an area (or an incident's area, incident_id) to shelters: most people moved, fewest person-metres",
    EvacuationPlanBody,
    "sheet",
  ],
  [
    "/api/v1/exposure",
    "get",
    "Villages, shelters, depots and teams inside a hazard's zone (hazard_id, as /hazards/{id}/exposure) or an incident's area (incident_id)",
    ExposureQuery,
  ],
  [
    "/api/v1/place",
    "get",
    "Where a point is, as people name it: the nearest village (geodesic metres) and the township whose area holds the point",
    PlaceQuery,
  ],
  [
    "/api/v1/search",
    "get",
    "Named things of every stored layer whose name holds q (villages, townships, hazards, shelters, depots, teams, roads, rivers, places…), best match first: {results: [{layer, id, name, lon, lat, bbox}]}",
    SearchQuery,
  ],
];

/** The incidents' operations: who may call each is in server/incidents/routes.ts. */
function incidentPaths(problem: object, idParam: object, ifMatch: object): Record<string, unknown> {
  const body = (schema: z.ZodType) => ({ content: { "application/json": { schema: z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) } } });
  const queryOf = (schema: z.ZodObject) =>
    Object.entries(z.toJSONSchema(schema, { io: "input" }).properties ?? {}).map(([name, s]) => ({ name, in: "query", schema: s }));
  const sub = (name: string) => ({ name, in: "path", required: true, schema: { type: "integer", minimum: 1 } });
  const answer = (description: string) => ({ 200: { description }, 400: problem, 404: problem });
  return {
    "/api/v1/needs-norms": {
      get: {
        summary: "The needs norms: quantity of an item per person-day, person or household (ETag = version)",
        responses: { 200: { description: "norms" } },
      },
      put: {
        summary: "Replace the needs norms (planners, admins)",
        parameters: [ifMatch],
        requestBody: body(NeedsNorms),
        responses: { 200: { description: "norms" }, 400: problem, 412: problem, 428: problem },
      },
    },
    "/api/v1/incidents": {
      get: { summary: "Incidents, newest first (GeoJSON; the area is the geometry)", parameters: queryOf(IncidentListQuery), responses: answer("incidents") },
      post: {
        summary: "Open an incident over a drawn area, a circle or a hazard's zone (commanders)",
        requestBody: body(NewIncident),
        responses: { 201: { description: "the incident" }, 400: problem, 422: problem },
      },
    },
    "/api/v1/incidents/{id}": {
      get: { summary: "An incident (ETag = version)", parameters: [idParam], responses: answer("the incident") },
      patch: {
        summary: "Change an incident; close it by its ended_at (commanders)",
        parameters: [idParam, ifMatch],
        requestBody: body(IncidentChange),
        responses: { ...answer("the incident"), 412: problem, 422: problem, 428: problem },
      },
    },
    "/api/v1/incidents/{id}/needs": {
      get: {
        summary: "What the people of the area need by the norms, what was sent, what usable depots hold within reach, and the shortfall",
        parameters: [idParam, ...queryOf(NeedsQuery)],
        responses: answer("needs"),
      },
    },
    "/api/v1/incidents/{id}/dispatches": {
      get: { summary: "Stock sent to the incident", parameters: [idParam], responses: answer("dispatches") },
      post: {
        summary: "Send stock from a depot: all of it leaves the depot or none (409 naming the item short) (commanders)",
        parameters: [idParam],
        requestBody: body(NewDispatch),
        responses: { 201: { description: "the dispatch" }, 400: problem, 404: problem, 409: problem, 422: problem },
      },
    },
    "/api/v1/incidents/{id}/dispatches/batch": {
      post: {
        summary: "Send from several depots at once (a supply plan's lines): all of them or none (commanders)",
        parameters: [idParam],
        requestBody: body(NewDispatches),
        responses: { 201: { description: "the dispatches" }, 400: problem, 404: problem, 409: problem, 422: problem },
      },
    },
    "/api/v1/incidents/{id}/dispatches/{dispatch}": {
      patch: {
        summary: "Mark a dispatch delivered, or cancel it (its stock returns) (commanders)",
        parameters: [idParam, sub("dispatch"), ifMatch],
        requestBody: body(DispatchChange),
        responses: { ...answer("the dispatch"), 409: problem, 412: problem, 428: problem },
      },
    },
    "/api/v1/incidents/{id}/deployments": {
      get: { summary: "Teams deployed to the incident", parameters: [idParam], responses: answer("deployments") },
      post: {
        summary: "Deploy a standby team (409 when it is not on standby) (commanders)",
        parameters: [idParam],
        requestBody: body(NewDeployment),
        responses: { 201: { description: "the deployment" }, 400: problem, 404: problem, 409: problem, 422: problem },
      },
    },
    "/api/v1/incidents/{id}/deployments/{deployment}/release": {
      post: {
        summary: "Release a deployed team: back on standby (commanders)",
        parameters: [idParam, sub("deployment")],
        responses: { ...answer("the deployment"), 409: problem },
      },
    },
    "/api/v1/incidents/{id}/timeline": {
      get: {
        summary: "Who did what and when: dispatches, deployments, notes, occupancy reported, the incident's own changes",
        parameters: [idParam],
        responses: answer("timeline"),
      },
    },
    "/api/v1/incidents/{id}/report": {
      get: {
        summary: "The situation report's figures (态势报告): people affected and sheltered, needs for 3 days against sent and shortfall, teams, timeline",
        parameters: [idParam],
        responses: answer("report"),
      },
    },
    "/api/v1/incidents/{id}/report.pdf": {
      get: {
        summary:
          "The situation report (态势报告) as a PDF: the area's map, people affected and sheltered, needs, sends, teams, timeline; Chinese text embedded",
        parameters: [idParam],
        responses: { 200: { description: "the PDF" }, 404: problem },
      },
    },
    "/api/v1/incidents/{id}/notes": {
      post: {
        summary: "Add a note to the timeline (commanders)",
        parameters: [idParam],
        requestBody: body(NewNote),
        responses: { 201: { description: "the note" }, 400: problem, 404: problem },
      },
    },
  };
}

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
    ...incidentPaths(problem, idParam, ifMatch),
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
        parameters: [
          query("format", FORMAT_NAMES, "shp is a .zip", true),
          query("lang", ["zh", "en"], "zh: a CSV for people — Chinese column headers, codes by their labels (开放, 重大); absent or en: names and codes"),
          list[0],
          list[3],
          ...filters,
        ],
        responses: { 200: { description: "the file" }, 400: problem, 404: problem },
      },
    };
    if (!layer.readOnly) {
      const reading = [
        query("format", IMPORT_FORMATS, "", true),
        {
          name: "crs",
          in: "query",
          description: `the coordinates' reference system (${CRS.join(", ")} or EPSG:<code>); converted to WGS 84. Absent: the file's own (a shapefile's .prj, a GeoPackage's), else WGS 84`,
          schema: { type: "string", pattern: CRS_PATTERN.source },
        },
        query("encoding", ENCODINGS, "CSV text encoding, detected when absent; a shapefile's DBF encoding, its .cpg's (GBK without one) when absent"),
        {
          name: "file_layer",
          in: "query",
          description: "which shapefile of the .zip, or feature table of the GeoPackage, when it holds several",
          schema: { type: "string" },
        },
        {
          name: "mapping",
          in: "query",
          description: "JSON object: column → field name, lon, lat, wkt or null (not read); columns not named are taken by their headers",
          schema: { type: "string" },
        },
      ];
      const file = {
        content: {
          "text/csv": {},
          "application/geo+json": {},
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
          "application/zip": {},
          "application/geopackage+sqlite3": {},
        },
      };
      paths[`/api/v1/layers/${layer.name}/import/preview`] = {
        post: {
          summary: `How a file would be imported into ${layer.label.en}, nothing written: its columns and what each is taken as, its encoding, coordinate system and layers`,
          parameters: reading,
          requestBody: file,
          responses: {
            200: {
              description:
                "{format, encoding, crs {name, from, problem?}, file_layers, dialect, geometry, columns [{name, suggested, by_dialect, samples}], targets}",
            },
            400: problem,
            413: problem,
            422: problem,
          },
        },
      };
      paths[`/api/v1/layers/${layer.name}/import`] = {
        post: {
          summary: `Import ${layer.label.en} from a file (the raw body): all rows or none, upsert by code`,
          parameters: [
            ...reading,
            query("dry_run", ["true", "false"], "validate and report, write nothing"),
            { name: "skip_rows", in: "query", description: "rows of the file to leave out, by their number in the report: 3,17", schema: { type: "string" } },
          ],
          requestBody: file,
          responses: {
            200: { description: "report {crs, rows, inserted, updated, unchanged, left_out, skipped, bbox, errors: [], warnings}" },
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
  const queryParameters = (schema: z.ZodType) => {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: "query", required: json.required?.includes(name) ?? false, schema: s }));
  };
  for (const [path, method, summary, schema, sheet] of QUESTIONS) {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
    const responses = { 200: { description: sheet ? "the answer; with format=, a sheet to download (text/csv, xlsx)" : "the answer" }, 400: problem };
    // a plan downloads as a sheet (format=csv|xlsx, lang=zh|en) from the same path
    const sheetParameters = sheet ? queryParameters(SheetQuery) : [];
    paths[path] = {
      [method]:
        method === "get"
          ? { summary, parameters: [...queryParameters(schema), ...sheetParameters], responses }
          : { summary, parameters: sheetParameters, requestBody: { content: { "application/json": { schema: json } } }, responses },
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
  const pdf = { content: { "application/pdf": { schema: { type: "string", format: "binary" } } } };
  paths["/api/v1/print/map.pdf"] = {
    post: {
      summary:
        "The current map on paper (A4/A3): the map image the browser drew at print resolution, with title, unit, legend, scale bar, north arrow and date composed as text in an embedded CJK font (signed in)",
      requestBody: { content: { "application/json": { schema: z.toJSONSchema(MapPrintBody, { io: "input" }) } } },
      responses: { 200: { description: "PDF, one page", ...pdf }, 400: problem, 401: problem, 413: problem },
    },
  };
  paths["/api/v1/townships/{admin_code}/evacuation-book.pdf"] = {
    get: {
      summary:
        "A township's evacuation book (避险转移手册): its map as vectors, then each village's people and the shelters that take them from the county-wide allocation (by road where there is a network: distance, time, roads travelled), with address and facilities (planners, commanders)",
      parameters: [{ name: "admin_code", in: "path", required: true, schema: { type: "string" } }],
      responses: { 200: { description: "PDF", ...pdf }, 400: problem, 401: problem, 403: problem, 404: problem },
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
  paths["/api/v1/auth/me"] = {
    get: {
      summary: "Who is signed in, their roles and permissions; user null when nobody is (200, not 401: the web app asks on every visit)",
      responses: {
        200: {
          description: "the account, or user null",
          ...json(
            {
              user: { type: ["object", "null"] },
              via: { type: ["string", "null"], enum: ["session", "token", null] },
              csrf_token: { type: ["string", "null"] },
            },
            ["user", "via", "csrf_token"],
          ),
        },
        401: problem,
      },
    },
  };
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
