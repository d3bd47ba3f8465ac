import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

/** The Content-Security-Policy as directive → sources. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get("content-security-policy");
  expect(header).toBeTruthy();
  return new Map(
    header!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectSecurityHeaders(res: Response) {
  const policy = csp(res);
  // this origin only; MapLibre's workers and images may come from blob:/data:, and nothing else from anywhere
  expect(policy.get("default-src")).toEqual(["'self'"]);
  expect(policy.get("script-src")).toEqual(["'self'"]);
  expect(policy.get("script-src-attr")).toEqual(["'none'"]);
  expect(policy.get("style-src")).toEqual(["'self'"]);
  expect(policy.get("connect-src")).toEqual(["'self'"]);
  expect(policy.get("font-src")).toEqual(["'self'"]);
  expect(policy.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
  expect(policy.get("worker-src")).toEqual(["'self'", "blob:"]);
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(policy.get("frame-ancestors")).toEqual(["'self'"]);
  expect(policy.has("upgrade-insecure-requests")).toBe(false); // an intranet on plain http must still load its own page
  for (const sources of policy.values()) {
    for (const s of sources) expect(["'self'", "'none'", "data:", "blob:"], `source ${s}`).toContain(s);
  }
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
  expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  expect(res.headers.get("x-powered-by")).toBeNull();
}

/** Nothing a client could learn the code or the schema from. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/\bat [\w$.<>]+ \(|file:\/\/|node_modules|node:internal|\.ts:\d+/);
  expect(text).not.toMatch(/SELECT|INSERT|relation "|syntax error|does not exist|violates|invalid byte sequence|depot_stock|items_hidden/);
}

describe("security headers on every kind of response", () => {
  it("the web app's page", async () => {
    const res = await w.fetch(`${w.base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expectSecurityHeaders(res);
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script for the policy to refuse
  });

  it("an API response", async () => {
    const res = await w.fetch(`${w.base}/api/v1/layers`);
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
  });

  it("a vector tile", async () => {
    const res = await w.fetch(`${w.base}/tiles/shelters/0/0/0.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.mapbox-vector-tile");
    expectSecurityHeaders(res);
  });

  it("an error", async () => {
    const res = await w.fetch(`${w.base}/api/v1/layers/volcanoes/features`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expectSecurityHeaders(res);
  });
});

describe("no stack trace or SQL in any answer", () => {
  it("a value PostgreSQL cannot store (NUL) is a 400 naming the parameter, not a database error", async () => {
    const res = await w.fetch(`${w.base}/api/v1/stock?item=a%00b`);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).errors).toEqual([{ path: ["item"], message: expect.stringMatching(/NUL/) }]);
    expectNoInternals(text);
  });

  it("a constraint the database enforces is a 409 naming the field, without the constraint's SQL", async () => {
    const depot = { type: "Feature", geometry: { type: "Point", coordinates: [104, 30] }, properties: { name: "库", code: "same" } };
    const post = () =>
      w.fetch(`${w.base}/api/v1/layers/depots/features`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(depot) });
    expect((await post()).status).toBe(201);
    const res = await post();
    expect(res.status).toBe(409);
    expectNoInternals(await res.text());
  });

  it("an unexpected database error is a 500 saying only that it was logged", async () => {
    // a real failure in a real query: the table the endpoint reads is gone
    await w.db.raw("ALTER TABLE items RENAME TO items_hidden");
    try {
      const res = await w.fetch(`${w.base}/api/v1/items`);
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expectSecurityHeaders(res);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ status: 500, detail: "an unexpected error occurred; it has been logged" });
      expectNoInternals(text);
    } finally {
      await w.db.raw("ALTER TABLE items_hidden RENAME TO items");
    }
  });

  it("a request Node refuses before Express (headers over 16 KB) is still a problem+json", async () => {
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/features?q=${"x".repeat(100_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()).detail).toMatch(/16 KB/);
  });
});
