// Issue 14, finding 1: a clerk must not widen their own jurisdiction. Township boundaries (and codes)
// decide where clerks may write, so changing them is an admin's act: a clerk's attempt is refused on
// every path (PATCH, POST, DELETE, import), and after it every write path elsewhere is still refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";
import { startDemoWorld, withToken, type World } from "../support/world.ts";

let w: World;
let clerk: (url: string, init?: RequestInit) => Promise<Response>;
let countyClerk: (url: string, init?: RequestInit) => Promise<Response>;
let admin: (url: string, init?: RequestInit) => Promise<Response>;
/** The clerk's township (A) and another (B), with a point inside B. */
let a: { id: number; admin_code: string; version: number };
let b: { id: number; admin_code: string; version: number };
let inB: [number, number];
let inA: [number, number];
/** A polygon covering the whole county, as GeoJSON. */
let county: unknown;

const CODE_IN_B = "widening-b-1";
const JSON_BODY = { "content-type": "application/json" };

beforeAll(async () => {
  w = await startDemoWorld();
  // A: the first township; B: the next one holding both a shelter and a depot
  const { rows } = await w.db.raw(`
    SELECT id::int, admin_code, version, ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM townships t
     WHERE t.id = (SELECT min(id) FROM townships)
        OR (EXISTS (SELECT 1 FROM shelters f WHERE ST_CoveredBy(f.geom, t.geom)) AND EXISTS (SELECT 1 FROM depots f WHERE ST_CoveredBy(f.geom, t.geom)))
     ORDER BY id LIMIT 2`);
  [a, b] = rows;
  inA = [rows[0].x, rows[0].y];
  inB = [rows[1].x, rows[1].y];
  county = JSON.parse((await w.db.raw(`SELECT ST_AsGeoJSON(ST_Multi(ST_Envelope(ST_Buffer(ST_Extent(geom)::geometry, 0.05)))) AS g FROM townships`)).rows[0].g);
  const as = async (username: string, roles: string[], townships: string[]) => {
    const account = await createAccount(w.db, { username, password: "a long enough password", roles, townships });
    return withToken((await createToken(w.db, account.id, "widening")).token);
  };
  // a shelter in B that an import can name by its code
  await w
    .db("shelters")
    .where({ id: (await inTownshipB("shelters")).id })
    .update({ code: CODE_IN_B });
  clerk = await as("clerk-a", ["clerk"], [a.admin_code]);
  countyClerk = await as("clerk-county", ["clerk"], ["*"]);
  admin = await as("admin-2", ["admin"], []);
}, 120_000);
afterAll(() => w?.close());

const townshipRow = (id: number) => w.db.raw(`SELECT admin_code, version, ST_AsText(geom) AS wkt FROM townships WHERE id = ?`, [id]).then((r) => r.rows[0]);
/** The first feature of a table inside township B, at its current version. */
async function inTownshipB(table: string): Promise<{ id: number; version: number; code: string | null }> {
  const { rows } = await w.db.raw(
    `SELECT f.id::int, f.version, f.code FROM ${table} f JOIN townships t ON ST_CoveredBy(f.geom, t.geom) WHERE t.id = ? ORDER BY f.id LIMIT 1`,
    [b.id],
  );
  return rows[0];
}

/** Every write path a clerk has, aimed at township B. */
async function writesInB(as: typeof clerk): Promise<Record<string, number>> {
  const shelter = await inTownshipB("shelters");
  const depot = await inTownshipB("depots");
  const point = { type: "Point", coordinates: inB };
  const status = async (path: string, init: RequestInit) => {
    const res = await as(`${w.base}${path}`, init);
    await res.arrayBuffer();
    return res.status;
  };
  const csv = (text: string) => ({ method: "POST", headers: { "content-type": "text/csv" }, body: text });
  return {
    post: await status("/api/v1/layers/shelters/features", {
      method: "POST",
      headers: JSON_BODY,
      body: JSON.stringify({ type: "Feature", geometry: point, properties: { name: "越界", capacity: 1 } }),
    }),
    patch: await status(`/api/v1/layers/shelters/features/${shelter.id}`, {
      method: "PATCH",
      headers: { ...JSON_BODY, "If-Match": `"${shelter.version}"` },
      body: JSON.stringify({ properties: { name: "越界" } }),
    }),
    delete: await status(`/api/v1/layers/shelters/features/${shelter.id}`, { method: "DELETE", headers: { "If-Match": `"${shelter.version}"` } }),
    import_insert: await status("/api/v1/layers/shelters/import?format=csv", csv(`name,capacity,lon,lat\n越界,5,${inB[0]},${inB[1]}\n`)),
    // moving B's shelter into A: the row lies inside A, the feature it would change does not
    import_update: await status("/api/v1/layers/shelters/import?format=csv", csv(`code,name,capacity,lon,lat\n${CODE_IN_B},越界,5,${inA[0]},${inA[1]}\n`)),
    stock: await status(`/api/v1/depots/${depot.id}/stock`, {
      method: "PUT",
      headers: { ...JSON_BODY, "If-Match": `"${depot.version}"` },
      body: JSON.stringify({ rows: [{ item: "tent", quantity: 1 }] }),
    }),
  };
}
const REFUSED = { post: 403, patch: 403, delete: 403, import_insert: 422, import_update: 422, stock: 403 };

describe("a clerk cannot widen their own jurisdiction", () => {
  it("every write in another township is refused to begin with", async () => {
    expect(await writesInB(clerk)).toEqual(REFUSED);
  });

  it("a clerk may not redraw, recode, add, delete or import townships, not even a county-level clerk; nothing changes", async () => {
    const before = await townshipRow(a.id);
    for (const as of [clerk, countyClerk]) {
      const redraw = await as(`${w.base}/api/v1/layers/townships/features/${a.id}`, {
        method: "PATCH",
        headers: { ...JSON_BODY, "If-Match": `"${a.version}"` },
        body: JSON.stringify({ geometry: county }),
      });
      expect(redraw.status).toBe(403);
      expect((await redraw.json()).detail).toMatch(/admin/);
      const recode = await as(`${w.base}/api/v1/layers/townships/features/${b.id}`, {
        method: "PATCH",
        headers: { ...JSON_BODY, "If-Match": `"${b.version}"` },
        body: JSON.stringify({ properties: { admin_code: a.admin_code.slice(0, 6) + "999000" } }),
      });
      expect(recode.status).toBe(403);
      const add = await as(`${w.base}/api/v1/layers/townships/features`, {
        method: "POST",
        headers: JSON_BODY,
        body: JSON.stringify({ type: "Feature", geometry: county, properties: { name: "全县", admin_code: a.admin_code } }),
      });
      expect(add.status).toBe(403);
      const remove = await as(`${w.base}/api/v1/layers/townships/features/${b.id}`, { method: "DELETE", headers: { "If-Match": `"${b.version}"` } });
      expect(remove.status).toBe(403);
      const imported = await as(`${w.base}/api/v1/layers/townships/import?format=geojson`, {
        method: "POST",
        headers: { "content-type": "application/geo+json" },
        body: JSON.stringify({
          type: "FeatureCollection",
          features: [{ type: "Feature", geometry: county, properties: { name: "全县", admin_code: a.admin_code } }],
        }),
      });
      expect(imported.status).toBe(403);
    }
    expect(await townshipRow(a.id)).toEqual(before);
    expect(await townshipRow(b.id)).toMatchObject({ version: b.version });
  });

  it("after such an attempt every write path in another township is still refused", async () => {
    await clerk(`${w.base}/api/v1/layers/townships/features/${a.id}`, {
      method: "PATCH",
      headers: { ...JSON_BODY, "If-Match": `"${a.version}"` },
      body: JSON.stringify({ geometry: county }),
    });
    expect(await writesInB(clerk)).toEqual(REFUSED);
  });

  it("an admin may redraw a township (with a token: it is not an account change)", async () => {
    const res = await admin(`${w.base}/api/v1/layers/townships/features/${b.id}`, {
      method: "PATCH",
      headers: { ...JSON_BODY, "If-Match": `"${b.version}"` },
      body: JSON.stringify({ properties: { name: "改名镇" } }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).properties.name).toBe("改名镇");
    // but an admin holds no clerk's rights elsewhere
    expect(
      (
        await admin(`${w.base}/api/v1/layers/shelters/features`, {
          method: "POST",
          headers: JSON_BODY,
          body: JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: inB }, properties: { name: "x", capacity: 1 } }),
        })
      ).status,
    ).toBe(403);
  });
});
