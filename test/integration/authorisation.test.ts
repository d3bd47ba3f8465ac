// Who may do what: every endpoint × every role × anonymous, plus a clerk inside and a clerk outside
// the township where the feature lies, each with the exact status. Everyone signs in with an API token
// of their own; the features a request changes are made afresh for each asker, so no answer depends
// on what an earlier one did.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";
import { startDemoWorld, withToken, type World } from "../support/world.ts";

const WHO = ["anonymous", "viewer", "commander", "planner", "analyst", "clerk", "clerk_elsewhere", "admin"] as const;
type Who = (typeof WHO)[number];
type Expected = Record<Who, number>;

/** 401 for the anonymous, `ok` for those listed, `denied` for every other account. */
const only = (ok: number, allowed: Who[], denied = 403): Expected =>
  Object.fromEntries(WHO.map((w) => [w, w === "anonymous" ? 401 : allowed.includes(w) ? ok : denied])) as Expected;
const SIGNED_IN = WHO.filter((w) => w !== "anonymous");
const READ = only(200, SIGNED_IN);
const EVERYONE = (status: number) => Object.fromEntries(WHO.map((w) => [w, status])) as Expected;

interface Request {
  path: string;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string;
}
interface Case {
  route: string;
  method: string;
  request: (who: Who) => Promise<Request> | Request;
  expected: Expected;
  note?: string;
}

let w: World;
const fetchAs = new Map<Who, (url: string, init?: RequestInit) => Promise<Response>>();
/** A point inside the clerk's township and one inside another township. */
let inside: [number, number];
let outside: [number, number];
let township: string;

beforeAll(async () => {
  w = await startDemoWorld();
  const { rows } = await w.db.raw(
    `SELECT admin_code, ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT admin_code, ST_PointOnSurface(geom) AS p FROM townships ORDER BY id LIMIT 2) t`,
  );
  township = rows[0].admin_code;
  inside = [rows[0].x, rows[0].y];
  outside = [rows[1].x, rows[1].y];
  fetchAs.set("anonymous", fetch);
  for (const who of SIGNED_IN) {
    const role = who === "clerk_elsewhere" ? "clerk" : who;
    const townships = who === "clerk" ? [township] : who === "clerk_elsewhere" ? [rows[1].admin_code] : [];
    const account = await createAccount(w.db, { username: who.replace("_", "-"), password: "a long enough password", roles: [role], townships });
    fetchAs.set(who, withToken((await createToken(w.db, account.id, "matrix")).token));
  }
}, 120_000);
afterAll(() => w?.close());

const JSON_BODY = { "content-type": "application/json" };
/** A fresh shelter made by the tester, at a point; its id and version. */
async function shelterAt([lon, lat]: [number, number]): Promise<number> {
  const res = await w.fetch(`${w.base}/api/v1/layers/shelters/features`, {
    method: "POST",
    headers: JSON_BODY,
    body: JSON.stringify({
      type: "Feature",
      geometry: { type: "Point", coordinates: [lon, lat] },
      properties: { name: "矩阵测试", capacity: 100, phone: "0000-000000" },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()).id;
}
const firstId = async (layer: string) => Number((await w.db(layer).orderBy("id").first("id")).id);
/** The first feature of a layer inside the clerk's township, at its current version. */
async function inTownship(table: string): Promise<{ id: number; version: number }> {
  const { rows } = await w.db.raw(
    `SELECT f.id::int, f.version FROM ${table} f JOIN townships t ON ST_Intersects(t.geom, f.geom) WHERE t.admin_code = ? ORDER BY f.id LIMIT 1`,
    [township],
  );
  return rows[0];
}
const point = ([lon, lat]: [number, number]) => ({ type: "Point", coordinates: [lon, lat] });
/** A fresh incident opened by the tester; its id (at version 1). */
async function incident(): Promise<number> {
  const res = await w.fetch(`${w.base}/api/v1/incidents`, {
    method: "POST",
    headers: JSON_BODY,
    body: JSON.stringify({ name: "矩阵测试", kind: "flood", level: 3, area: { lon: inside[0], lat: inside[1], radius_m: 1000 } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()).id;
}
const depotWithTents = async () =>
  Number((await w.db("depot_stock").where("item_code", "tent").andWhere("quantity", ">", 10).orderBy("depot_id").first("depot_id")).depot_id);
const standbyTeam = async () => Number((await w.db("teams").where("status", "standby").orderBy("id").first("id")).id);

const CASES: Case[] = [
  { route: "GET /healthz", method: "GET", request: () => ({ path: "/healthz" }), expected: EVERYONE(200) },
  { route: "GET /readyz", method: "GET", request: () => ({ path: "/readyz" }), expected: EVERYONE(200) },
  { route: "GET /api/v1/openapi.json", method: "GET", request: () => ({ path: "/api/v1/openapi.json" }), expected: EVERYONE(200) },
  {
    route: "POST /api/v1/auth/login",
    method: "POST",
    note: "a wrong password is refused for everyone alike",
    request: (who) => ({ path: "/api/v1/auth/login", method: "POST", body: { username: `nobody-${who.replace("_", "-")}`, password: "wrong" } }),
    expected: EVERYONE(401),
  },
  { route: "GET /api/v1/auth/me", method: "GET", request: () => ({ path: "/api/v1/auth/me" }), expected: EVERYONE(200) },
  {
    route: "POST /api/v1/auth/logout",
    method: "POST",
    note: "tokens are revoked, not signed out",
    request: () => ({ path: "/api/v1/auth/logout", method: "POST" }),
    expected: only(400, SIGNED_IN),
  },
  { route: "GET /api/v1/auth/tokens", method: "GET", request: () => ({ path: "/api/v1/auth/tokens" }), expected: only(200, ["analyst", "admin"]) },
  {
    route: "POST /api/v1/auth/tokens",
    method: "POST",
    note: "only from a web session, never with a token",
    request: () => ({ path: "/api/v1/auth/tokens", method: "POST", body: { name: "x" } }),
    expected: only(403, []),
  },
  {
    route: "DELETE /api/v1/auth/tokens/{id}",
    method: "DELETE",
    note: "someone else's token",
    request: async () => ({
      path: `/api/v1/auth/tokens/${(await createToken(w.db, Number((await w.db("users").where({ username: "tester" }).first("id")).id), "victim")).id}`,
      method: "DELETE",
    }),
    expected: only(204, ["admin"], 404),
  },
  { route: "GET /api/v1/users", method: "GET", request: () => ({ path: "/api/v1/users" }), expected: only(200, ["admin"]) },
  {
    route: "POST /api/v1/users",
    method: "POST",
    note: "account changes need a web session, never a token (below)",
    request: (who) => ({
      path: "/api/v1/users",
      method: "POST",
      body: { username: `new-${who.replace("_", "-")}`, password: "a long enough password", roles: ["viewer"] },
    }),
    expected: only(403, []),
  },
  {
    route: "PATCH /api/v1/users/{id}",
    method: "PATCH",
    note: "account changes need a web session, never a token (below)",
    request: async () => ({
      path: `/api/v1/users/${(await w.db("users").where({ username: "viewer" }).first("id")).id}`,
      method: "PATCH",
      body: { display_name: "看" },
    }),
    expected: only(403, []),
  },
  { route: "GET /api/v1/audit", method: "GET", request: () => ({ path: "/api/v1/audit?limit=5" }), expected: only(200, ["admin"]) },
  { route: "GET /api/v1/security-events", method: "GET", request: () => ({ path: "/api/v1/security-events?limit=5" }), expected: only(200, ["admin"]) },
  { route: "GET /api/v1/layers", method: "GET", request: () => ({ path: "/api/v1/layers" }), expected: READ },
  { route: "GET /api/v1/layers/{layer}/features", method: "GET", request: () => ({ path: "/api/v1/layers/shelters/features?limit=5" }), expected: READ },
  {
    route: "GET /api/v1/layers/{layer}/features/{id}",
    method: "GET",
    request: async () => ({ path: `/api/v1/layers/shelters/features/${await firstId("shelters")}` }),
    expected: READ,
  },
  {
    route: "POST /api/v1/layers/{layer}/features",
    method: "POST",
    note: "inside the clerk's township",
    request: () => ({
      path: "/api/v1/layers/shelters/features",
      method: "POST",
      body: { type: "Feature", geometry: point(inside), properties: { name: "新", capacity: 10 } },
    }),
    expected: only(201, ["clerk"]),
  },
  {
    route: "POST /api/v1/layers/{layer}/features",
    method: "POST",
    note: "outside the clerk's township",
    request: () => ({
      path: "/api/v1/layers/shelters/features",
      method: "POST",
      body: { type: "Feature", geometry: point(outside), properties: { name: "新", capacity: 10 } },
    }),
    expected: only(201, ["clerk_elsewhere"]),
  },
  {
    route: "PATCH /api/v1/layers/{layer}/features/{id}",
    method: "PATCH",
    note: "a shelter's occupancy: commanders anywhere, clerks inside",
    request: async () => ({
      path: `/api/v1/layers/shelters/features/${await shelterAt(inside)}`,
      method: "PATCH",
      headers: { "If-Match": '"1"' },
      body: { properties: { occupancy: 7 } },
    }),
    expected: only(200, ["commander", "clerk"]),
  },
  {
    route: "PATCH /api/v1/layers/{layer}/features/{id}",
    method: "PATCH",
    note: "a team's status: commanders anywhere, clerks inside",
    request: async () => {
      const { id, version } = await inTownship("teams");
      return {
        path: `/api/v1/layers/teams/features/${id}`,
        method: "PATCH",
        headers: { "If-Match": `"${version}"` },
        body: { properties: { status: "deployed" } },
      };
    },
    expected: only(200, ["commander", "clerk"]),
  },
  {
    route: "PATCH /api/v1/layers/{layer}/features/{id}",
    method: "PATCH",
    note: "a shelter's name: clerks only",
    request: async () => ({
      path: `/api/v1/layers/shelters/features/${await shelterAt(inside)}`,
      method: "PATCH",
      headers: { "If-Match": '"1"' },
      body: { properties: { name: "改名" } },
    }),
    expected: only(200, ["clerk"]),
  },
  {
    route: "PATCH /api/v1/layers/{layer}/features/{id}",
    method: "PATCH",
    note: "a move out of the clerk's township",
    request: async () => ({
      path: `/api/v1/layers/shelters/features/${await shelterAt(inside)}`,
      method: "PATCH",
      headers: { "If-Match": '"1"' },
      body: { geometry: point(outside) },
    }),
    expected: only(200, []),
  },
  {
    route: "PATCH /api/v1/layers/{layer}/features/{id}",
    method: "PATCH",
    note: "a move into the clerk's township from another",
    request: async () => ({
      path: `/api/v1/layers/shelters/features/${await shelterAt(outside)}`,
      method: "PATCH",
      headers: { "If-Match": '"1"' },
      body: { geometry: point(inside) },
    }),
    expected: only(200, []),
  },
  {
    route: "PATCH /api/v1/layers/{layer}/features/{id}",
    method: "PATCH",
    note: "a township's boundary: admins only, since it decides clerks' jurisdictions",
    request: async () => {
      const t = await w.db("townships").where({ admin_code: township }).first("id", "version");
      return {
        path: `/api/v1/layers/townships/features/${t.id}`,
        method: "PATCH",
        headers: { "If-Match": `"${t.version}"` },
        body: { properties: { name: "矩阵镇" } },
      };
    },
    expected: only(200, ["admin"]),
  },
  {
    route: "DELETE /api/v1/layers/{layer}/features/{id}",
    method: "DELETE",
    request: async () => ({ path: `/api/v1/layers/shelters/features/${await shelterAt(inside)}`, method: "DELETE", headers: { "If-Match": '"1"' } }),
    expected: only(204, ["clerk"]),
  },
  {
    route: "GET /api/v1/layers/{layer}/export",
    method: "GET",
    request: () => ({ path: "/api/v1/layers/shelters/export?format=csv" }),
    expected: only(200, ["analyst"]),
  },
  {
    route: "POST /api/v1/layers/{layer}/import",
    method: "POST",
    note: "one row inside the clerk's township; the other clerk's import is rejected row by row",
    request: (who) => ({
      path: "/api/v1/layers/shelters/import?format=csv",
      method: "POST",
      headers: { "content-type": "text/csv" },
      raw: `name,capacity,lon,lat\n导入${who},5,${inside[0]},${inside[1]}\n`,
    }),
    expected: { ...only(200, ["clerk"]), clerk_elsewhere: 422 },
  },
  {
    route: "POST /api/v1/layers/{layer}/import/preview",
    method: "POST",
    note: "reading a file writes nothing: every clerk, wherever their townships",
    request: () => ({
      path: "/api/v1/layers/shelters/import/preview?format=csv",
      method: "POST",
      headers: { "content-type": "text/csv" },
      raw: "名称,容纳人数,经度,纬度\n小学操场,5,120.1,23.5\n",
    }),
    expected: only(200, ["clerk", "clerk_elsewhere"]),
  },
  { route: "GET /api/v1/items", method: "GET", request: () => ({ path: "/api/v1/items" }), expected: READ },
  { route: "GET /api/v1/stock", method: "GET", request: () => ({ path: "/api/v1/stock?low=true" }), expected: READ },
  { route: "GET /api/v1/depots/{id}/stock", method: "GET", request: async () => ({ path: `/api/v1/depots/${await firstId("depots")}/stock` }), expected: READ },
  {
    route: "PUT /api/v1/depots/{id}/stock",
    method: "PUT",
    note: "a depot inside the clerk's township",
    request: async () => {
      const d = await inTownship("depots");
      return {
        path: `/api/v1/depots/${d.id}/stock`,
        method: "PUT",
        headers: { "If-Match": `"${d.version}"` },
        body: { rows: [{ item: "tent", quantity: 3 }] },
      };
    },
    expected: only(200, ["clerk"]),
  },
  {
    route: "GET /api/v1/nearest",
    method: "GET",
    request: () => ({ path: `/api/v1/nearest?layer=shelters&lon=${inside[0]}&lat=${inside[1]}` }),
    expected: READ,
  },
  {
    route: "GET /api/v1/service-area",
    method: "GET",
    request: () => ({ path: "/api/v1/service-area?layer=teams&minutes=10" }),
    expected: READ,
  },
  {
    route: "GET /api/v1/place",
    method: "GET",
    request: () => ({ path: `/api/v1/place?lon=${inside[0]}&lat=${inside[1]}` }),
    expected: READ,
  },
  {
    route: "POST /api/v1/supply-plan",
    method: "POST",
    request: () => ({ path: "/api/v1/supply-plan", method: "POST", body: { lon: inside[0], lat: inside[1], items: [{ item: "tent", quantity: 5 }] } }),
    expected: READ,
  },
  {
    route: "GET /api/v1/coverage-gaps",
    method: "GET",
    request: () => ({ path: `/api/v1/coverage-gaps?layer=shelters&radius_m=3000&township=${township}` }),
    expected: READ,
  },
  {
    route: "POST /api/v1/site-suggestions",
    method: "POST",
    request: () => ({ path: "/api/v1/site-suggestions", method: "POST", body: { layer: "shelters", count: 1, radius_m: 3000, township } }),
    expected: READ,
  },
  { route: "GET /api/v1/shelter-capacity", method: "GET", request: () => ({ path: "/api/v1/shelter-capacity?radius_m=3000" }), expected: READ },
  {
    route: "POST /api/v1/evacuation-plan",
    method: "POST",
    request: () => ({
      path: "/api/v1/evacuation-plan",
      method: "POST",
      body: { area: { lon: inside[0], lat: inside[1], radius_m: 2000 }, max_distance_m: 8000 },
    }),
    expected: READ,
  },
  {
    route: "GET /api/v1/hazards/{id}/exposure",
    method: "GET",
    request: async () => ({ path: `/api/v1/hazards/${await firstId("hazards")}/exposure` }),
    expected: READ,
  },
  {
    route: "GET /api/v1/exposure",
    method: "GET",
    note: "an incident's area",
    request: async () => ({ path: `/api/v1/exposure?incident_id=${await incident()}` }),
    expected: READ,
  },
  { route: "GET /api/v1/search", method: "GET", request: () => ({ path: "/api/v1/search?q=%E6%9D%91" }), expected: READ },
  { route: "GET /api/v1/needs-norms", method: "GET", request: () => ({ path: "/api/v1/needs-norms" }), expected: READ },
  {
    route: "PUT /api/v1/needs-norms",
    method: "PUT",
    request: async () => ({
      path: "/api/v1/needs-norms",
      method: "PUT",
      headers: { "If-Match": (await w.fetch(`${w.base}/api/v1/needs-norms`)).headers.get("etag")! },
      body: { norms: [{ item: "water", quantity: 0.25, per: "person_day" }] },
    }),
    expected: only(200, ["planner", "admin"]),
  },
  { route: "GET /api/v1/incidents", method: "GET", request: () => ({ path: "/api/v1/incidents" }), expected: READ },
  {
    route: "POST /api/v1/incidents",
    method: "POST",
    request: () => ({
      path: "/api/v1/incidents",
      method: "POST",
      body: { name: "矩阵", kind: "flood", level: 3, area: { lon: inside[0], lat: inside[1], radius_m: 1000 } },
    }),
    expected: only(201, ["commander"]),
  },
  { route: "GET /api/v1/incidents/{id}", method: "GET", request: async () => ({ path: `/api/v1/incidents/${await incident()}` }), expected: READ },
  {
    route: "PATCH /api/v1/incidents/{id}",
    method: "PATCH",
    request: async () => ({ path: `/api/v1/incidents/${await incident()}`, method: "PATCH", headers: { "If-Match": '"1"' }, body: { level: 2 } }),
    expected: only(200, ["commander"]),
  },
  { route: "GET /api/v1/incidents/{id}/needs", method: "GET", request: async () => ({ path: `/api/v1/incidents/${await incident()}/needs` }), expected: READ },
  {
    route: "GET /api/v1/incidents/{id}/dispatches",
    method: "GET",
    request: async () => ({ path: `/api/v1/incidents/${await incident()}/dispatches` }),
    expected: READ,
  },
  {
    route: "POST /api/v1/incidents/{id}/dispatches",
    method: "POST",
    request: async () => ({
      path: `/api/v1/incidents/${await incident()}/dispatches`,
      method: "POST",
      body: { depot_id: await depotWithTents(), items: [{ item: "tent", quantity: 1 }] },
    }),
    expected: only(201, ["commander"]),
  },
  {
    route: "POST /api/v1/incidents/{id}/dispatches/batch",
    method: "POST",
    request: async () => ({
      path: `/api/v1/incidents/${await incident()}/dispatches/batch`,
      method: "POST",
      body: { dispatches: [{ depot_id: await depotWithTents(), items: [{ item: "tent", quantity: 1 }] }] },
    }),
    expected: only(201, ["commander"]),
  },
  {
    route: "PATCH /api/v1/incidents/{id}/dispatches/{dispatch}",
    method: "PATCH",
    request: async () => {
      const id = await incident();
      const sent = await w.fetch(`${w.base}/api/v1/incidents/${id}/dispatches`, {
        method: "POST",
        headers: JSON_BODY,
        body: JSON.stringify({ depot_id: await depotWithTents(), items: [{ item: "tent", quantity: 1 }] }),
      });
      return {
        path: `/api/v1/incidents/${id}/dispatches/${(await sent.json()).id}`,
        method: "PATCH",
        headers: { "If-Match": '"1"' },
        body: { status: "delivered" },
      };
    },
    expected: only(200, ["commander"]),
  },
  {
    route: "GET /api/v1/incidents/{id}/deployments",
    method: "GET",
    request: async () => ({ path: `/api/v1/incidents/${await incident()}/deployments` }),
    expected: READ,
  },
  {
    route: "POST /api/v1/incidents/{id}/deployments",
    method: "POST",
    request: async () => ({ path: `/api/v1/incidents/${await incident()}/deployments`, method: "POST", body: { team_id: await standbyTeam() } }),
    expected: only(201, ["commander"]),
  },
  {
    route: "POST /api/v1/incidents/{id}/deployments/{deployment}/release",
    method: "POST",
    request: async () => {
      const id = await incident();
      const deployed = await w.fetch(`${w.base}/api/v1/incidents/${id}/deployments`, {
        method: "POST",
        headers: JSON_BODY,
        body: JSON.stringify({ team_id: await standbyTeam() }),
      });
      return { path: `/api/v1/incidents/${id}/deployments/${(await deployed.json()).id}/release`, method: "POST" };
    },
    expected: only(200, ["commander"]),
  },
  {
    route: "GET /api/v1/incidents/{id}/timeline",
    method: "GET",
    request: async () => ({ path: `/api/v1/incidents/${await incident()}/timeline` }),
    expected: READ,
  },
  {
    route: "GET /api/v1/incidents/{id}/report",
    method: "GET",
    request: async () => ({ path: `/api/v1/incidents/${await incident()}/report` }),
    expected: READ,
  },
  {
    route: "GET /api/v1/incidents/{id}/report.pdf",
    method: "GET",
    request: async () => ({ path: `/api/v1/incidents/${await incident()}/report.pdf` }),
    expected: READ,
  },
  {
    route: "POST /api/v1/incidents/{id}/notes",
    method: "POST",
    request: async () => ({ path: `/api/v1/incidents/${await incident()}/notes`, method: "POST", body: { text: "矩阵" } }),
    expected: only(201, ["commander"]),
  },
  {
    route: "POST /api/v1/print/map.pdf",
    method: "POST",
    note: "a 1×1 map",
    request: () => ({
      path: "/api/v1/print/map.pdf",
      method: "POST",
      body: {
        title: "矩阵",
        image: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        metres_per_pixel: 10,
      },
    }),
    expected: READ,
  },
  {
    route: "GET /api/v1/townships/{admin_code}/evacuation-book.pdf",
    method: "GET",
    request: () => ({ path: `/api/v1/townships/${township}/evacuation-book.pdf` }),
    expected: only(200, ["commander", "planner"]),
  },
  { route: "GET /api/v1/changes", method: "GET", request: () => ({ path: "/api/v1/changes" }), expected: READ },
  { route: "GET /tiles/all/{z}/{x}/{y}.mvt", method: "GET", request: () => ({ path: "/tiles/all/0/0/0.mvt" }), expected: READ },
  { route: "GET /tiles/{layer}/{z}/{x}/{y}.mvt", method: "GET", request: () => ({ path: "/tiles/shelters/0/0/0.mvt" }), expected: READ },
  { route: "GET /tiles/{layer}.json", method: "GET", request: () => ({ path: "/tiles/townships.json" }), expected: READ },
  { route: "GET /ogc", method: "GET", request: () => ({ path: "/ogc/" }), expected: READ },
  { route: "GET /ogc/collections/{collection}/items", method: "GET", request: () => ({ path: "/ogc/collections/shelters/items?limit=2" }), expected: READ },
];

async function send(who: Who, r: Request): Promise<number> {
  const gone = new AbortController();
  const res = await fetchAs.get(who)!(`${w.base}${r.path}`, {
    method: r.method ?? "GET",
    headers: { ...(r.body !== undefined ? { "content-type": "application/json" } : {}), ...r.headers },
    body: r.raw ?? (r.body !== undefined ? JSON.stringify(r.body) : undefined),
    signal: gone.signal,
  });
  if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream"))
    gone.abort(); // a stream that never ends by itself
  else await res.arrayBuffer();
  return res.status;
}

describe("authorisation matrix: the exact status for every endpoint, role and jurisdiction", () => {
  it.each(CASES.map((c) => [`${c.route}${c.note ? ` (${c.note})` : ""}`, c] as const))("%s", async (_name, c) => {
    const got: Partial<Expected> = {};
    for (const who of WHO) got[who] = await send(who, await c.request(who));
    expect(got).toEqual(c.expected);
  });

  it("covers every operation the OpenAPI document lists", async () => {
    const doc = await (await w.fetch(`${w.base}/api/v1/openapi.json`)).json();
    const covered = new Set(CASES.map((c) => c.route));
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(ops)) {
        const route = `${method.toUpperCase()} ${path.replace(/^\/api\/v1\/layers\/[a-z_-]+\//, "/api/v1/layers/{layer}/")}`;
        if (!covered.has(route)) missing.push(route);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("account changes need a signed-in web session with its CSRF token, never an API token", () => {
  /** A web session of the tester (every role): its cookie and CSRF token. */
  async function adminSession() {
    const res = await fetch(`${w.base}/api/v1/auth/login`, {
      method: "POST",
      headers: JSON_BODY,
      body: JSON.stringify({ username: "tester", password: "tester-password" }),
    });
    expect(res.status).toBe(200);
    return { cookie: res.headers.get("set-cookie")!.split(";")[0]!, csrf: (await res.json()).csrf_token as string };
  }
  const viewerId = async () => Number((await w.db("users").where({ username: "viewer" }).first("id")).id);
  const CHANGES = [
    { password: "a new long password" },
    { roles: ["viewer", "analyst"] },
    { disabled: false },
    { townships: [] as string[] },
    { display_name: "看看" },
  ];

  it("an admin's token can neither change an account (password, roles, disabling) nor create one", async () => {
    const id = await viewerId();
    const before = await w.db("users").where({ id }).first();
    for (const change of CHANGES) {
      const res = await fetchAs.get("admin")!(`${w.base}/api/v1/users/${id}`, { method: "PATCH", headers: JSON_BODY, body: JSON.stringify(change) });
      expect(res.status, JSON.stringify(change)).toBe(403);
      expect((await res.json()).detail).toMatch(/session/);
    }
    const created = await fetchAs.get("admin")!(`${w.base}/api/v1/users`, {
      method: "POST",
      headers: JSON_BODY,
      body: JSON.stringify({ username: "via-token", password: "a long enough password", roles: ["admin"] }),
    });
    expect(created.status).toBe(403);
    expect(await w.db("users").where({ id }).first()).toEqual(before);
    expect(await w.db("users").where({ username: "via-token" }).first()).toBeUndefined();
  });

  it("so a leaked admin token cannot reset a password, sign in with it and mint a token", async () => {
    const reset = await fetchAs.get("admin")!(`${w.base}/api/v1/users/${await viewerId()}`, {
      method: "PATCH",
      headers: JSON_BODY,
      body: JSON.stringify({ password: "chosen by the thief" }),
    });
    expect(reset.status).toBe(403);
    const login = await fetch(`${w.base}/api/v1/auth/login`, {
      method: "POST",
      headers: JSON_BODY,
      body: JSON.stringify({ username: "viewer", password: "chosen by the thief" }),
    });
    expect(login.status).toBe(401);
  });

  it("an admin's web session changes accounts only with its CSRF token", async () => {
    const { cookie, csrf } = await adminSession();
    const id = await viewerId();
    const patch = (headers: Record<string, string>) =>
      fetch(`${w.base}/api/v1/users/${id}`, {
        method: "PATCH",
        headers: { ...JSON_BODY, cookie, ...headers },
        body: JSON.stringify({ display_name: "会话改" }),
      });
    expect((await patch({})).status).toBe(403);
    expect((await patch({ "x-csrf-token": "forged" })).status).toBe(403);
    const ok = await patch({ "x-csrf-token": csrf });
    expect(ok.status).toBe(200);
    expect((await ok.json()).display_name).toBe("会话改");
    const created = await fetch(`${w.base}/api/v1/users`, {
      method: "POST",
      headers: { ...JSON_BODY, cookie, "x-csrf-token": csrf },
      body: JSON.stringify({ username: "via-session", password: "a long enough password", roles: ["viewer"] }),
    });
    expect(created.status).toBe(201);
  });
});

describe("contact names and phone numbers", () => {
  const SEES = ["commander", "clerk", "clerk_elsewhere", "admin"];

  it("are in a feature, a list, OGC items and nearest only for roles that need them", async () => {
    const here: [number, number] = [inside[0] + 0.0003, inside[1]]; // nearest to here is this shelter alone
    const id = await shelterAt(here);
    for (const who of SIGNED_IN) {
      const get = async (path: string) => (await fetchAs.get(who)!(`${w.base}${path}`)).json();
      const one = (await get(`/api/v1/layers/shelters/features/${id}`)).properties;
      const listed = (await get(`/api/v1/layers/shelters/features?q=矩阵测试&limit=1`)).features[0].properties;
      const ogc = (await get(`/ogc/collections/shelters/items/${id}`)).properties;
      const near = (await get(`/api/v1/nearest?layer=shelters&lon=${here[0]}&lat=${here[1]}&limit=1`)).features[0];
      expect(near.id, who).toBe(id);
      for (const p of [one, listed, ogc, near.properties]) {
        if (SEES.includes(who)) expect(p, who).toMatchObject({ phone: "0000-000000" });
        else {
          expect(p, who).not.toHaveProperty("phone");
          expect(p, who).not.toHaveProperty("manager");
        }
      }
    }
  });

  it("answers that differ by who asks are never shared by a cache, nor reused under other rights", async () => {
    for (const path of [
      `/api/v1/layers/shelters/features/${await firstId("shelters")}`,
      "/api/v1/layers/shelters/features?limit=1",
      "/ogc/collections/shelters/items?limit=1",
      "/tiles/all/0/0/0.mvt",
    ]) {
      const res = await fetchAs.get("viewer")!(`${w.base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toMatch(/^private, no-cache$/);
      expect(res.headers.get("vary"), path).toMatch(/Authorization.*Cookie/);
      await res.arrayBuffer();
    }
  });

  it("are left out of an analyst's export, and filtering by them is refused to those who may not see them", async () => {
    const csv = await (await fetchAs.get("analyst")!(`${w.base}/api/v1/layers/shelters/export?format=csv`)).text();
    const header = csv.split("\n")[0]!;
    expect(header).toContain("capacity");
    expect(header).not.toMatch(/phone|manager/);
    expect(csv).not.toContain("0000-000000");
    const filtered = await fetchAs.get("viewer")!(`${w.base}/api/v1/layers/shelters/features?phone=0000-000000`);
    expect(filtered.status).toBe(403);
    expect((await filtered.json()).detail).toMatch(/phone/);
    expect((await fetchAs.get("commander")!(`${w.base}/api/v1/layers/shelters/features?phone=0000-000000`)).status).toBe(200);
  });
});

describe("anonymous read, the demo's setting", () => {
  let demo: World;
  beforeAll(async () => {
    demo = await startDemoWorld({ anonymousRead: true });
  }, 120_000);
  afterAll(() => demo?.close());

  it("lets anyone read layers, tiles, OGC and questions, without contacts; every write still needs signing in", async () => {
    for (const path of [
      "/api/v1/layers",
      "/api/v1/layers/shelters/features?limit=3",
      "/tiles/all/0/0/0.mvt",
      "/ogc/collections/shelters/items",
      "/api/v1/shelter-capacity?radius_m=3000",
    ]) {
      expect((await fetch(`${demo.base}${path}`)).status, path).toBe(200);
    }
    const { features } = await (await fetch(`${demo.base}/api/v1/layers/shelters/features?limit=50`)).json();
    expect(features.length).toBeGreaterThan(0);
    for (const f of features) expect(f.properties).not.toHaveProperty("phone");
    const write = await fetch(`${demo.base}/api/v1/layers/shelters/features`, {
      method: "POST",
      headers: JSON_BODY,
      body: JSON.stringify({ type: "Feature", geometry: point(inside), properties: { name: "x", capacity: 1 } }),
    });
    expect(write.status).toBe(401);
    expect((await fetch(`${demo.base}/api/v1/layers/shelters/export?format=csv`)).status).toBe(401);
    expect((await fetch(`${demo.base}/api/v1/audit`)).status).toBe(401);
  });
});
