import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { startDemoWorld, startWorld, type World } from "../support/world.ts";
import { rawRequest } from "../support/raw_request.ts";
import { LAYERS } from "../../server/layers/index.ts";

const run = promisify(execFile);
/** GDAL signs in with the API token in a header on every request. */
const signedIn = () => ({ env: { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${w.token}` } });
/** GDAL signs in as QGIS 3.22 can: HTTP Basic auth with the API token as the password, any user name. */
const basicAuth = (token = w.token) => ({ env: { ...process.env, GDAL_HTTP_AUTH: "BASIC", GDAL_HTTP_USERPWD: `qgis:${token}` } });

/** The collections expected: one per layer, except hazards (points, lines and areas) served one geometry type each. */
const HAZARD_PARTS = { "hazards-points": 0, "hazards-lines": 1, "hazards-areas": 2 } as const;
const COLLECTION_IDS = [...LAYERS.map((l) => l.name).filter((n) => n !== "hazards"), ...Object.keys(HAZARD_PARTS)].sort();
/** The rows of a collection in the database: its layer's table, only the geometry dimension it holds. */
function rowsOf(id: string): { table: string; where: string } {
  const dimension = HAZARD_PARTS[id as keyof typeof HAZARD_PARTS];
  if (dimension !== undefined) return { table: "hazards", where: `ST_Dimension(geom) = ${dimension}` };
  return { table: LAYERS.find((l) => l.name === id)!.table, where: "true" };
}

let w: World;
let ogc: string;
let dir: string;
beforeAll(async () => {
  w = await startDemoWorld();
  ogc = `${w.base}/ogc`;
  dir = mkdtempSync(join(tmpdir(), "hazmap-ogc-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w.close();
});

interface Link {
  href: string;
  rel: string;
  type: string;
}
interface Feature {
  type: "Feature";
  id: number;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}
interface Page {
  type: string;
  numberMatched?: number;
  numberReturned: number;
  timeStamp: string;
  links: Link[];
  features: Feature[];
}

async function getJson<T = Record<string, unknown>>(url: string, accept = "application/json"): Promise<{ status: number; type: string; body: T }> {
  const res = await w.fetch(url, { headers: { accept } });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: (await res.json()) as T };
}

const rel = (links: Link[], r: string, type?: string) => links.find((l) => l.rel === r && (!type || l.type === type));

/** Follows `next` links from a first page; every page is checked for the members the spec requires. */
async function allPages(first: string): Promise<Page[]> {
  const pages: Page[] = [];
  for (let url: string | undefined = first; url; ) {
    const { status, type, body }: { status: number; type: string; body: Page } = await getJson<Page>(url, "application/geo+json");
    expect(status, url).toBe(200);
    expect(type).toMatch(/^application\/geo\+json/);
    expect(body.type).toBe("FeatureCollection");
    expect(body.numberReturned).toBe(body.features.length);
    expect(Date.parse(body.timeStamp)).not.toBeNaN();
    pages.push(body);
    url = rel(body.links, "next")?.href;
    expect(pages.length).toBeLessThan(500);
  }
  return pages;
}

// biome-ignore lint/suspicious/noExplicitAny: a row is whatever the SQL selects; the assertions check it
type Row = Record<string, any>;
async function dbRows(sql: string, bindings: unknown[] = []): Promise<[Row, ...Row[]]> {
  return (await w.db.raw(sql, bindings as never)).rows;
}

describe("discovery", () => {
  it("the landing page links the API definition, its documentation, conformance and the collections", async () => {
    const { status, type, body } = await getJson<{ links: Link[] }>(ogc);
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(rel(body.links, "self")).toBeTruthy();
    expect(rel(body.links, "alternate", "text/html")).toBeTruthy();
    const desc = rel(body.links, "service-desc")!;
    expect(desc.type).toBe("application/vnd.oai.openapi+json;version=3.0");
    const api = await w.fetch(desc.href);
    expect(api.headers.get("content-type")).toMatch(/^application\/vnd\.oai\.openapi\+json/);
    expect((await api.json()).openapi).toMatch(/^3\.0\./);
    const doc = await w.fetch(rel(body.links, "service-doc", "text/html")!.href);
    expect(doc.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await doc.text()).toContain("/collections/village-risk/items");
    expect((await getJson(rel(body.links, "conformance")!.href)).body).toHaveProperty("conformsTo");
    expect((await getJson(rel(body.links, "data")!.href)).body).toHaveProperty("collections");
  });

  it("conformance declares the Part 1 classes served, and no filtering or CRS class it does not implement", async () => {
    const { body } = await getJson<{ conformsTo: string[] }>(`${ogc}/conformance`);
    for (const c of ["core", "geojson", "html", "oas30"]) expect(body.conformsTo).toContain(`http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${c}`);
    expect(body.conformsTo.filter((c) => /features-2|conf\/(filter|features-filter|cql)/.test(c))).toEqual([]);
  });

  it("every path of the OpenAPI document answers, with the media type it declares", async () => {
    const api = (await getJson<{ paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }> }>(`${ogc}/api`)).body;
    const [{ id }] = await dbRows("SELECT min(id)::int AS id FROM villages");
    expect(Object.keys(api.paths)).toContain("/collections/hazard-zones/items");
    for (const [path, { get }] of Object.entries(api.paths)) {
      if (path.includes("{featureId}") && !path.startsWith("/collections/villages/")) continue;
      const declared = Object.keys(get.responses["200"]!.content!).filter((t) => t !== "text/html");
      const res = await w.fetch(`${ogc}${path === "/" ? "" : path.replace("{featureId}", String(id))}`);
      expect(res.status, path).toBe(200);
      expect(
        declared.some((t) => res.headers.get("content-type")!.startsWith(t.split(";")[0]!)),
        `${path}: ${res.headers.get("content-type")}`,
      ).toBe(true);
      await res.arrayBuffer();
    }
  });

  it("one collection per layer and geometry type, derived ones included, titled in Chinese, whose extent contains every feature", async () => {
    const { body } = await getJson<{ collections: { id: string; title: string; crs: string[]; extent: { spatial: { bbox: number[][] } }; links: Link[] }[] }>(
      `${ogc}/collections`,
    );
    expect(body.collections.map((c) => c.id).sort()).toEqual(COLLECTION_IDS);
    for (const c of body.collections) {
      const layer = LAYERS.find((l) => l.name === (c.id in HAZARD_PARTS ? "hazards" : c.id))!;
      expect(c.title.startsWith(layer.label.zh), c.id).toBe(true);
      const { table, where } = rowsOf(c.id);
      expect(c.crs).toContain("http://www.opengis.net/def/crs/OGC/1.3/CRS84");
      expect(rel(c.links, "items", "application/geo+json")).toBeTruthy();
      expect(rel(c.links, "http://www.opengis.net/def/rel/ogc/1.0/queryables")).toBeTruthy();
      const [x0, y0, x1, y1] = c.extent.spatial.bbox[0]!;
      const [outside] = await dbRows(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE ST_XMin(geom) < ? OR ST_YMin(geom) < ? OR ST_XMax(geom) > ? OR ST_YMax(geom) > ?)::int AS outside FROM ${table} WHERE ${where}`,
        [x0, y0, x1, y1],
      );
      expect(outside!.n, c.id).toBeGreaterThan(0);
      expect(outside!.outside, c.id).toBe(0);
      expect((await getJson(`${ogc}/collections/${c.id}`)).body).toMatchObject({ id: c.id, extent: c.extent });
    }
  });

  it("queryables list every filterable property with its type", async () => {
    const res = await w.fetch(`${ogc}/collections/shelters/queryables`);
    expect(res.headers.get("content-type")).toMatch(/^application\/schema\+json/);
    const q = await res.json();
    expect(q).toMatchObject({
      type: "object",
      properties: { name: { type: "string", title: "名称" }, capacity: { type: "integer" }, status: { type: "string", enum: ["open", "closed", "full"] } },
    });
    // each one really filters: the value of the first feature selects it
    const first = (await getJson<Page>(`${ogc}/collections/shelters/items?limit=1`)).body.features[0]!;
    for (const [name, schema] of Object.entries(q.properties as Record<string, { type: string }>)) {
      const v = first.properties[name];
      if (v === null || schema.type === "array") continue;
      const page = (await getJson<Page>(`${ogc}/collections/shelters/items?${new URLSearchParams({ [name]: String(v), limit: "1000" })}`)).body;
      expect(
        page.features.map((f) => f.id),
        name,
      ).toContain(first.id);
      expect(
        page.features.every((f) => f.properties[name] === v),
        name,
      ).toBe(true);
    }
  });
});

describe("GDAL's OAPIF driver as the client", () => {
  it("ogrinfo lists every collection, derived ones included, with their feature counts", async () => {
    const { stdout } = await run("ogrinfo", ["-ro", "-so", `OAPIF:${ogc}`], signedIn());
    const listed = [...stdout.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(COLLECTION_IDS);
    const { stdout: one } = await run("ogrinfo", ["-ro", "-so", `OAPIF:${ogc}`, "village-risk"], signedIn());
    expect(one).toMatch(/Feature Count: 300\b/);
  });

  it("ogr2ogr copies collections needing several pages to GeoPackage with every feature", async () => {
    const out = join(dir, "copy.gpkg");
    await run("ogr2ogr", ["-f", "GPKG", out, `OAPIF:${ogc}`, "-oo", "PAGE_SIZE=50", "villages", "village-risk"], { ...signedIn(), timeout: 60_000 });
    const gpkg = new Database(out, { readonly: true });
    try {
      for (const [table, sql] of [
        ["villages", "SELECT id::int, name, population FROM villages ORDER BY id"],
        ["village-risk", "SELECT id::int, name, population FROM village_risk ORDER BY id"],
      ] as const) {
        const expected = await dbRows(sql);
        expect(expected.length).toBe(300);
        const got = gpkg.prepare(`SELECT fid AS id, name, population FROM "${table}" ORDER BY fid`).all();
        expect(got, table).toEqual(expected);
      }
    } finally {
      gpkg.close();
    }
  });
});

describe("items", () => {
  it("following next links visits every feature exactly once, with consistent numbers", async () => {
    const pages = await allPages(`${ogc}/collections/villages/items?limit=37`);
    const ids = pages.flatMap((p) => p.features.map((f) => f.id));
    const expected = (await dbRows("SELECT id::int FROM villages ORDER BY id")).map((r) => r.id);
    expect(ids).toEqual(expected);
    expect(pages.length).toBe(Math.ceil(expected.length / 37));
    expect(pages.every((p) => p.numberMatched === expected.length)).toBe(true);
    expect(pages.slice(0, -1).every((p) => p.numberReturned === 37)).toBe(true);
  });

  it("prev links lead back to the page before, with bbox and filters kept", async () => {
    const [{ box }] = await dbRows(
      "SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), (ST_XMin(e) + ST_XMax(e)) / 2, ST_YMax(e)) AS box FROM (SELECT ST_Extent(geom) AS e FROM villages) s",
    );
    const pages = await allPages(`${ogc}/collections/villages/items?bbox=${box}&limit=7`);
    expect(pages.length).toBeGreaterThan(3);
    for (let i = 1; i < pages.length; i++) {
      const prev = rel(pages[i]!.links, "prev")!;
      expect(prev.href).toContain("bbox=");
      expect((await getJson<Page>(prev.href)).body.features.map((f) => f.id)).toEqual(pages[i - 1]!.features.map((f) => f.id));
    }
    expect(rel(pages[0]!.links, "prev")).toBeUndefined();
  });

  it("bbox and property filters equal a brute-force filter over the database rows", async () => {
    const villages = await dbRows("SELECT id::int, ST_X(geom) AS x, ST_Y(geom) AS y, township_code, population FROM villages ORDER BY id");
    const [x0, x1] = [Math.min(...villages.map((v) => v.x)), Math.max(...villages.map((v) => v.x))];
    const [y0, y1] = [Math.min(...villages.map((v) => v.y)), Math.max(...villages.map((v) => v.y))];
    const township = villages[0]!.township_code as string;
    let nonEmpty = 0;
    for (let i = 0; i < 12; i++) {
      const f = (a: number, b: number, t: number) => a + (b - a) * t;
      const box = [f(x0, x1, (i % 4) / 5), f(y0, y1, (i % 3) / 4), f(x0, x1, (i % 4) / 5 + 0.35), f(y0, y1, (i % 3) / 4 + 0.4)];
      const withTownship = i % 2 === 0;
      const expected = villages
        .filter((v) => v.x >= box[0]! && v.x <= box[2]! && v.y >= box[1]! && v.y <= box[3]! && (!withTownship || v.township_code === township))
        .map((v) => v.id);
      const pages = await allPages(`${ogc}/collections/villages/items?bbox=${box.join(",")}${withTownship ? `&township_code=${township}` : ""}&limit=20`);
      expect(pages.flatMap((p) => p.features.map((ft) => ft.id))).toEqual(expected);
      expect(pages[0]!.numberMatched).toBe(expected.length);
      if (expected.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(6);

    const shelters = await dbRows("SELECT id::int, status, name FROM shelters ORDER BY id");
    const open = (await allPages(`${ogc}/collections/shelters/items?status=open&limit=10`)).flatMap((p) => p.features);
    expect(open.map((f) => f.id)).toEqual(shelters.filter((s) => s.status === "open").map((s) => s.id));
    const named = shelters[3]!;
    const byName = (await getJson<Page>(`${ogc}/collections/shelters/items?${new URLSearchParams({ name: named.name })}`)).body;
    expect(byName.features.map((f) => f.id)).toEqual(shelters.filter((s) => s.name === named.name).map((s) => s.id));

    const risky = await dbRows("SELECT id::int FROM hazard_zones WHERE risk_level IN (1, 2) ORDER BY id");
    const zones = (await allPages(`${ogc}/collections/hazard-zones/items?risk_level=1,2&limit=8`)).flatMap((p) => p.features);
    expect(zones.map((f) => f.id)).toEqual(risky.map((r) => r.id));
    expect(zones.every((f) => f.geometry.type === "MultiPolygon")).toBe(true);
  });

  it("limit defaults to 10, larger than 10,000 is clamped, offset skips, resultType=hits only counts", async () => {
    const ids = (await dbRows("SELECT id::int FROM villages ORDER BY id")).map((r) => r.id);
    expect((await getJson<Page>(`${ogc}/collections/villages/items`)).body.features.map((f) => f.id)).toEqual(ids.slice(0, 10));
    const all = await getJson<Page>(`${ogc}/collections/villages/items?limit=50000`);
    expect(all.status).toBe(200);
    expect(all.body.numberReturned).toBe(300);
    expect(rel(all.body.links, "next")).toBeUndefined();
    const skipped = (await getJson<Page>(`${ogc}/collections/villages/items?offset=295&limit=10`)).body;
    expect(skipped.features.map((f) => f.id)).toEqual(ids.slice(295));
    expect(skipped.numberMatched).toBe(300);
    expect(rel(skipped.links, "prev")!.href).toContain("offset=285");
    const hits = (
      await getJson<Page>(
        `${ogc}/collections/villages/items?resultType=hits&population=${(await dbRows("SELECT population FROM villages LIMIT 1"))[0]!.population}`,
      )
    ).body;
    const [{ n }] = await dbRows("SELECT count(*)::int AS n FROM villages WHERE population = (SELECT population FROM villages ORDER BY id LIMIT 1)");
    expect(hits).toMatchObject({ numberMatched: n, numberReturned: 0, features: [] });
  });

  it("one item by its id, the same as in the database; 404 for what does not exist", async () => {
    const [v] = await dbRows("SELECT id::int, name, ST_X(geom) AS x, ST_Y(geom) AS y FROM villages ORDER BY id DESC LIMIT 1");
    const { status, type, body } = await getJson<Feature & { links: Link[] }>(`${ogc}/collections/villages/items/${v!.id}`);
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/geo\+json/);
    expect(body).toMatchObject({ type: "Feature", id: v!.id, properties: { name: v!.name } });
    expect(body.geometry.coordinates).toEqual([expect.closeTo(v!.x, 7), expect.closeTo(v!.y, 7)]);
    expect(rel(body.links, "collection")).toBeTruthy();
    for (const url of [
      `${ogc}/collections/villages/items/${v!.id + 1000}`,
      `${ogc}/collections/villages/items/abc`,
      `${ogc}/collections/nope/items`,
      `${ogc}/collections/nope`,
      `${ogc}/nothing`,
    ]) {
      const res = await w.fetch(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });

  it("a bad parameter is a 400 naming it", async () => {
    const cases: [string, string][] = [
      ["bbox=1,2,3", "bbox"],
      ["bbox=10,0,5,1", "bbox"],
      ["bbox=a,b,c,d", "bbox"],
      ["limit=-1", "limit"],
      ["limit=0", "limit"],
      ["limit=5&limit=6", "limit"],
      ["name=a&name=b", "name"],
      ["offset=-5", "offset"],
      ["colour=red", "colour"],
      ["f=xml", "f"],
      ["status=ajar", "status"],
      ["capacity=many", "capacity"],
      ["datetime=2026-01-01T00:00:00Z", "datetime"],
      ["bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326", "bbox-crs"],
    ];
    for (const [query, param] of cases) {
      const res = await w.fetch(`${ogc}/collections/shelters/items?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const problem = await res.json();
      expect(
        problem.errors.map((e: { path: string[] }) => e.path[0]),
        query,
      ).toContain(param);
    }
    const other = await w.fetch(`${ogc}/collections?colour=red`);
    expect(other.status).toBe(400);
    expect((await other.json()).errors[0].path).toEqual(["colour"]);
  });
});

describe("HTML for browsers", () => {
  it("Accept: text/html gets HTML with Chinese names and everything escaped; JSON stays the default", async () => {
    const created = await w.fetch(`${w.base}/api/v1/layers/shelters/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "Feature",
        geometry: { type: "Point", coordinates: [104.1, 30.6] },
        properties: { name: `<script>alert("避难")</script>`, capacity: 10 },
      }),
    });
    expect(created.status).toBe(201);
    const id = (await created.json()).id;
    const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for (const path of [
      "",
      "/conformance",
      "/api",
      "/collections",
      "/collections/shelters",
      "/collections/shelters/queryables",
      `/collections/shelters/items?limit=100`,
      `/collections/shelters/items/${id}`,
    ]) {
      const res = await w.fetch(`${ogc}${path}`, { headers: { accept: browser } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      const text = await res.text();
      expect(text).toMatch(/^<!doctype html>/);
      expect(text).not.toMatch(/<script|src=|<style/);
      expect([...text.matchAll(/<link [^>]*href="([^"]+)"/g)].map((m) => m[1])).toEqual([`${ogc}/style.css`]);
      if (path.includes("items")) expect(text, path).toContain("&lt;script&gt;alert(&quot;避难&quot;)&lt;/script&gt;");
    }
    const css = await w.fetch(`${ogc}/style.css`);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    const [{ name }] = await dbRows("SELECT name FROM villages ORDER BY id LIMIT 1");
    expect(await (await w.fetch(`${ogc}/collections/villages/items?f=html`)).text()).toContain(name);
    expect((await w.fetch(`${ogc}/collections/villages/items`, { headers: { accept: "*/*" } })).headers.get("content-type")).toMatch(/^application\/geo\+json/);
    expect((await w.fetch(`${ogc}/collections?f=json`, { headers: { accept: browser } })).headers.get("content-type")).toMatch(/^application\/json/);
  });
});

describe("one geometry type per collection (QGIS and GDAL type a collection from its first page)", () => {
  const FAMILY: Record<number, string[]> = { 0: ["Point", "MultiPoint"], 1: ["LineString", "MultiLineString"], 2: ["Polygon", "MultiPolygon"] };

  it("hazards-points, -lines and -areas hold every hazard of their type and only those; hazards itself points to them", async () => {
    const [{ n: all }] = await dbRows("SELECT count(*)::int AS n FROM hazards");
    let total = 0;
    for (const [id, dimension] of Object.entries(HAZARD_PARTS)) {
      const expected = (
        await dbRows("SELECT id::int FROM hazards WHERE GeometryType(geom) = ANY(?) ORDER BY id", [FAMILY[dimension]!.map((t) => t.toUpperCase())])
      ).map((r) => r.id);
      expect(expected.length, id).toBeGreaterThan(0);
      const pages = await allPages(`${ogc}/collections/${id}/items?limit=5`);
      const features = pages.flatMap((p) => p.features);
      expect(
        features.map((f) => f.id),
        id,
      ).toEqual(expected);
      expect(
        features.every((f) => FAMILY[dimension]!.includes(f.geometry.type)),
        id,
      ).toBe(true);
      expect(pages[0]!.numberMatched, id).toBe(expected.length);
      expect((await getJson<Page>(`${ogc}/collections/${id}/items?resultType=hits`)).body.numberMatched).toBe(expected.length);
      // one item: found in its own collection, not in another type's
      const [{ other }] = await dbRows("SELECT min(id)::int AS other FROM hazards WHERE NOT (GeometryType(geom) = ANY(?))", [
        FAMILY[dimension]!.map((t) => t.toUpperCase()),
      ]);
      expect((await w.fetch(`${ogc}/collections/${id}/items/${expected[0]}`)).status).toBe(200);
      expect((await w.fetch(`${ogc}/collections/${id}/items/${other}`)).status, `${other} in ${id}`).toBe(404);
      const queryables = (await getJson<{ properties: Record<string, unknown> }>(`${ogc}/collections/${id}/queryables`)).body;
      expect(Object.keys(queryables.properties)).toContain("risk_level");
      total += expected.length;
    }
    expect(total).toBe(all);
    const hazards = await w.fetch(`${ogc}/collections/hazards/items`);
    expect(hazards.status).toBe(404);
    expect((await hazards.json()).detail).toMatch(/hazards-points, hazards-lines, hazards-areas/);
    expect((await getJson<{ description: string }>(ogc)).body.description).toContain("hazards-points, hazards-lines, hazards-areas");
  });

  it("ogrinfo, signed in through HTTP Basic with the API token as password, types each hazards collection as its one geometry and ogr2ogr copies every feature", async () => {
    const geometry: Record<string, RegExp> = {
      "hazards-points": /^Geometry: (Multi )?Point$/m,
      "hazards-lines": /^Geometry: (Multi )?Line String$/m,
      "hazards-areas": /^Geometry: (Multi )?Polygon$/m,
    };
    for (const [id, dimension] of Object.entries(HAZARD_PARTS)) {
      const [{ n }] = await dbRows("SELECT count(*)::int AS n FROM hazards WHERE ST_Dimension(geom) = ?", [dimension]);
      const { stdout } = await run("ogrinfo", ["-ro", "-so", `OAPIF:${ogc}`, id], basicAuth());
      expect(stdout, id).toMatch(geometry[id]!);
      expect(stdout, id).toMatch(new RegExp(`^Feature Count: ${n}$`, "m"));
    }
    const out = join(dir, "hazards.gpkg");
    await run("ogr2ogr", ["-f", "GPKG", "-preserve_fid", out, `OAPIF:${ogc}`, "-oo", "PAGE_SIZE=4", ...Object.keys(HAZARD_PARTS)], {
      ...basicAuth(),
      timeout: 60_000,
    });
    const gpkg = new Database(out, { readonly: true });
    try {
      for (const [id, dimension] of Object.entries(HAZARD_PARTS)) {
        const expected = await dbRows("SELECT id::int, name, risk_level FROM hazards WHERE ST_Dimension(geom) = ? ORDER BY id", [dimension]);
        expect(gpkg.prepare(`SELECT fid AS id, name, risk_level FROM "${id}" ORDER BY fid`).all(), id).toEqual(expected);
        // every row has a geometry: none dropped for being of another type than the first
        expect(gpkg.prepare(`SELECT count(*) AS n FROM "${id}" WHERE geom IS NULL`).get(), id).toEqual({ n: 0 });
      }
    } finally {
      gpkg.close();
    }
  });

  it("an empty list is null in OGC items (QGIS types a [] as JSON and drops every value), a list otherwise", async () => {
    const features = (await allPages(`${ogc}/collections/village-risk/items?limit=1000`)).flatMap((p) => p.features);
    const rows = await dbRows("SELECT id::int, hazard_names FROM village_risk ORDER BY id");
    const empty = rows.filter((r) => r.hazard_names.length === 0).length;
    expect(empty).toBeGreaterThan(0);
    expect(empty).toBeLessThan(rows.length);
    expect(features.map((f) => f.properties.hazard_names)).toEqual(rows.map((r) => (r.hazard_names.length ? r.hazard_names : null)));
    const one = rows.find((r) => r.hazard_names.length === 0)!;
    expect((await getJson<Feature>(`${ogc}/collections/village-risk/items/${one.id}`)).body.properties.hazard_names).toBeNull();
  });
});

describe("boolean filters", () => {
  it('?covered=true and ?covered=false each select exactly the villages with that value (what QGIS\'s NOT "covered" relies on)', async () => {
    const rows = await dbRows("SELECT id::int, covered FROM village_risk ORDER BY id");
    for (const value of [true, false]) {
      const expected = rows.filter((r) => r.covered === value).map((r) => r.id);
      expect(expected.length, String(value)).toBeGreaterThan(0);
      const got = (await allPages(`${ogc}/collections/village-risk/items?covered=${value}&limit=1000`)).flatMap((p) => p.features);
      expect(
        got.map((f) => f.id),
        String(value),
      ).toEqual(expected);
    }
  });
});

describe("signing in and writing", () => {
  it("an API token is accepted as the password of HTTP Basic auth with any user name; a wrong one is a 401 even where anyone may read", async () => {
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
    const url = `${ogc}/collections/shelters/items?limit=1`;
    for (const user of ["qgis", "", "张三"]) expect((await fetch(url, { headers: basic(user, w.token) })).status, user).toBe(200);
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    // Basic is not offered in the challenge: browsers would pop up their own password dialog over the web app
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="hazmap"');
    // the account's own password is not a token: only tokens are taken through Basic
    expect((await fetch(url, { headers: basic("tester", "tester-password") })).status).toBe(401);
    const { stdout } = await run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-u", `anyone:${w.token}`, url]);
    expect(stdout).toBe("200");

    const open = await startWorld({ anonymousRead: true });
    try {
      const openUrl = `${open.base}/ogc/collections/shelters/items?limit=1`;
      expect((await fetch(openUrl)).status).toBe(200);
      expect((await fetch(openUrl, { headers: basic("qgis", open.token) })).status).toBe(200);
      for (const wrong of [`${open.token}x`, "hzm_nothing", "", "tester-password"]) {
        const res = await fetch(openUrl, { headers: basic("qgis", wrong) });
        expect(res.status, wrong).toBe(401);
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      }
      expect((await fetch(openUrl, { headers: { authorization: "Basic !!!" } })).status).toBe(401);
      await run("ogrinfo", ["-ro", "-so", `OAPIF:${open.base}/ogc`, "shelters"], basicAuth(`${open.token}x`)).then(
        () => expect.unreachable("ogrinfo read with a wrong token"),
        (e: { stderr: string }) => expect(e.stderr).toMatch(/401/),
      );
    } finally {
      await open.close();
    }
  });

  it("POST, PUT, PATCH and DELETE on OGC resources answer 405 with Allow, and change nothing", async () => {
    const [{ id, version }] = await dbRows("SELECT id::int, version FROM shelters ORDER BY id LIMIT 1");
    const body = JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [104.1, 30.6] }, properties: { name: "x", capacity: 1 } });
    const [{ n: before }] = await dbRows("SELECT count(*)::int AS n FROM shelters");
    for (const path of [
      "/collections/shelters/items",
      `/collections/shelters/items/${id}`,
      "/collections/hazards-points/items",
      "/collections/shelters",
      "/collections",
    ]) {
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        const res = await w.fetch(`${ogc}${path}`, {
          method,
          headers: { "content-type": "application/geo+json" },
          body: method === "DELETE" ? undefined : body,
        });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("allow"), `${method} ${path}`).toBe("GET, HEAD, OPTIONS");
        expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      }
    }
    expect((await w.fetch(`${ogc}/collections/nope/items`, { method: "POST", body })).status).toBe(404);
    const options = await w.fetch(`${ogc}/collections/shelters/items`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await dbRows("SELECT count(*)::int AS n FROM shelters")).toEqual([{ n: before }]);
    expect(await dbRows("SELECT version FROM shelters WHERE id = ?", [id])).toEqual([{ version }]);
  });
});

describe("absolute links", () => {
  it("name the address listened on whatever Host the request carries", async () => {
    const evil = { Host: "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" };
    const res = await rawRequest(
      w.base,
      { method: "GET", path: "/ogc/collections/villages/items?limit=5", headers: { ...evil, Authorization: `Bearer ${w.token}` } },
      10_000,
    );
    expect(res.status).toBe(200);
    const page = JSON.parse(res.text!) as Page;
    expect(page.links.length).toBeGreaterThan(2);
    for (const l of page.links) expect(l.href.startsWith(`${w.base}/ogc/`), l.href).toBe(true);
    expect(res.text).not.toContain("evil.example");
  });

  it("start with PUBLIC_URL when it is set, in OGC links, TileJSON and the style", async () => {
    const publicUrl = "https://gis.example.gov.cn/hazmap";
    const proxied = await startWorld({ publicUrl });
    try {
      await proxied.db.raw(
        "INSERT INTO villages (name, population, geom) SELECT '村' || i, i, ST_SetSRID(ST_MakePoint(104 + i / 100.0, 30.5), 4326) FROM generate_series(1, 12) i",
      );
      const get = async (path: string) => {
        const res = await rawRequest(
          proxied.base,
          { method: "GET", path, headers: { Host: "evil.example", Authorization: `Bearer ${proxied.token}` } },
          10_000,
        );
        expect(res.status, path).toBe(200);
        return res.text!;
      };
      const page = JSON.parse(await get("/ogc/collections/villages/items?limit=5")) as Page;
      expect(rel(page.links, "next")!.href).toMatch(/^https:\/\/gis\.example\.gov\.cn\/hazmap\/ogc\/collections\/villages\/items\?limit=5&after=\d+$/);
      expect(page.links.every((l) => l.href.startsWith(`${publicUrl}/ogc/`))).toBe(true);
      expect(JSON.parse(await get("/tiles/all.json")).tiles).toEqual([`${publicUrl}/tiles/all/{z}/{x}/{y}.mvt`]);
      expect(JSON.parse(await get("/styles/hazmap.json")).sources.hazmap.tiles).toEqual([`${publicUrl}/tiles/all/{z}/{x}/{y}.mvt`]);
      expect(JSON.parse(await get("/ogc/api")).servers).toEqual([{ url: `${publicUrl}/ogc` }]);
    } finally {
      await proxied.close();
    }
  });
});
