import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startDemoWorld, type World } from "../support/world.ts";
import { rawRequest } from "../support/raw_request.ts";
import { loadConfig } from "../../server/config.ts";

/**
 * Hostile Host and X-Forwarded-* headers against every answer holding absolute links (OGC links and
 * the OpenAPI servers, TileJSON, the map style; JSON and HTML): no link ever names anything but the
 * address the product listens on. GDAL follows `next` with the user's credentials, so a link to
 * another host would hand them over. `FUZZ_RUNS` sets the number of requests (default 400).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

let w: World;
let villageId: number;
beforeAll(async () => {
  w = await startDemoWorld();
  villageId = (await w.db.raw("SELECT min(id)::int AS id FROM villages")).rows[0].id;
});
afterAll(() => w?.close());

/** Every attacker-chosen name ends in this, so any trace of one in an answer is found. */
const MARK = "attacker.test";

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/);
const hostile = fc.oneof(
  label.map((l) => `${l}.${MARK}`),
  fc.tuple(label, fc.integer({ min: 0, max: 99_999 })).map(([l, p]) => `${l}.${MARK}:${p}`),
  label.map((l) => `user:pw@${l}.${MARK}`),
  label.map((l) => `${l}.${MARK}/ogc?x=`),
  label.map((l) => `${l}.${MARK}#`),
  label.map((l) => `${l}.${MARK}\\@127.0.0.1`),
  label.map((l) => `127.0.0.1.${l}.${MARK}`),
  label.map((l) => `${MARK}%2F${l}`),
  fc.constantFrom(`[::ffff:${MARK}]`, `${MARK}.`, `${MARK.toUpperCase()}`, ` ${MARK} `, `${MARK}, 127.0.0.1`, `"${MARK}"`),
);
const PATHS = [
  "/ogc",
  "/ogc?f=html",
  "/ogc/conformance",
  "/ogc/api",
  "/ogc/api?f=html",
  "/ogc/collections",
  "/ogc/collections?f=html",
  "/ogc/collections/villages",
  "/ogc/collections/hazards-areas",
  "/ogc/collections/villages/queryables",
  "/ogc/collections/villages/items?limit=3",
  "/ogc/collections/villages/items?limit=3&offset=6",
  "/ogc/collections/hazards-points/items?limit=2&f=html",
  "/ogc/collections/villages/items/{id}",
  "/ogc/collections/villages/items/{id}?f=html",
  "/tiles/all.json",
  "/tiles/villages.json",
  "/styles/hazmap.json",
];

/** Absolute URLs in a text (JSON strings, HTML attributes); HTML escapes are undone first. */
const absoluteUrls = (text: string) => [...text.replaceAll("&amp;", "&").matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi)].map((m) => m[0]);

describe("Host and X-Forwarded-* headers", () => {
  it("never reach a link: every absolute URL served names the listening address", async () => {
    let linked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATHS),
        fc.record({
          host: hostile,
          forwardedHost: fc.option(hostile),
          forwardedProto: fc.option(fc.constantFrom("https", "gopher", `javascript`)),
          forwarded: fc.option(hostile.map((h) => `for=1.2.3.4;host=${h};proto=https`)),
        }),
        async (path, h) => {
          const headers: Record<string, string> = { Host: h.host, Authorization: `Bearer ${w.token}` };
          if (h.forwardedHost !== null) headers["X-Forwarded-Host"] = h.forwardedHost;
          if (h.forwardedProto !== null) headers["X-Forwarded-Proto"] = h.forwardedProto;
          if (h.forwarded !== null) headers.Forwarded = h.forwarded;
          const res = await rawRequest(w.base, { method: "GET", path: path.replace("{id}", String(villageId)), headers }, 20_000);
          // Node refuses some Host values outright (400); anything else must be the page, without the name
          expect([200, 400], `${path} Host: ${h.host}`).toContain(res.status);
          if (res.status !== 200) return;
          expect(res.text, path).toBeDefined();
          expect(res.text!.toLowerCase(), `${path} Host: ${h.host}`).not.toContain(MARK);
          const urls = absoluteUrls(res.text!);
          expect(urls.length, path).toBeGreaterThan(0);
          for (const url of urls) {
            // the JSON Schema $schema and OGC conformance/relation URIs are names, not links to follow
            if (/^https?:\/\/(json-schema\.org|www\.opengis\.net)\//.test(url)) continue;
            expect(url === w.base || url.startsWith(`${w.base}/`), `${path}: ${url}`).toBe(true);
            linked++;
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(linked).toBeGreaterThan(RUNS);
  });
});

describe("PUBLIC_URL", () => {
  it("is parsed: http(s) only, no query or fragment, a trailing slash dropped; unset, links name the listening address", () => {
    expect(loadConfig({ PUBLIC_URL: "https://gis.example.gov.cn/hazmap/" }).PUBLIC_URL).toBe("https://gis.example.gov.cn/hazmap");
    expect(loadConfig({ PUBLIC_URL: "http://10.0.0.5:3000" }).PUBLIC_URL).toBe("http://10.0.0.5:3000");
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
    for (const bad of [
      "gis.example.gov.cn",
      "ftp://gis.example.gov.cn",
      "https://gis.example.gov.cn/?a=1",
      "https://gis.example.gov.cn/#x",
      "javascript:alert(1)",
    ]) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });
});
