import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../migrations/index.ts";
import { createDb } from "../../server/db.ts";
import { createTestDatabase, dropTestDatabase, serveDatabase, startDemoWorld, withToken, type World } from "../support/world.ts";

// ./scripts/backup of the demo county after edits through the API, ./scripts/restore into a fresh
// database on the same cluster, the real app on each: the restored one must answer as the original.

const run = promisify(execFile);
const script = (name: string, args: string[], env: Record<string, string> = {}) =>
  run(`scripts/${name}`, args, { env: { ...process.env, ...env }, maxBuffer: 16 << 20 });

/** A database beside `url` on the same server, under another name. */
const sibling = (url: string, suffix: string) => {
  const u = new URL(url);
  u.pathname += suffix;
  return u.toString();
};

const json = async (res: Response) => {
  expect(res.status, res.url).toBeLessThan(300);
  return res.json();
};
const get = (w: World, path: string) => w.fetch(w.base + path).then(json);
const send = (w: World, method: string, path: string, body: unknown, ifMatch?: string) =>
  w.fetch(w.base + path, { method, headers: { "content-type": "application/json", ...(ifMatch ? { "If-Match": ifMatch } : {}) }, body: JSON.stringify(body) });
/** A list without the time it was made at. */
const features = async (w: World, layer: string) => (await get(w, `/api/v1/layers/${layer}/features?limit=10000`)).features;

let original: World;
let restored: World;
let restoredUrl: string;
let dir: string;
let backup: string;
let printed: string;
/** What the edits made, to find in the restored database. */
let edited: { shelter: number; depot: number; village: number; created: number };

async function editThroughTheApi(w: World) {
  const [shelter, depot, team, village, hazard] = await Promise.all(
    ["shelters", "depots", "teams", "villages", "hazards"].map(async (l) => (await get(w, `/api/v1/layers/${l}/features?limit=1`)).features[0]),
  );
  expect((await send(w, "PATCH", `/api/v1/layers/shelters/features/${shelter.id}`, { properties: { occupancy: 120 } }, '"1"')).status).toBe(200);
  expect((await send(w, "PATCH", `/api/v1/layers/shelters/features/${shelter.id}`, { properties: { occupancy: 340, status: "full" } }, '"2"')).status).toBe(
    200,
  );
  expect((await send(w, "PATCH", `/api/v1/layers/teams/features/${team.id}`, { properties: { status: "deployed" } }, '"1"')).status).toBe(200);
  expect((await send(w, "PATCH", `/api/v1/layers/hazards/features/${hazard.id}`, { properties: { influence_radius_m: 2500 } }, '"1"')).status).toBe(200);
  expect(
    (
      await send(
        w,
        "PUT",
        `/api/v1/depots/${depot.id}/stock`,
        {
          rows: [
            { item: "tent", quantity: 777, reorder_level: 10 },
            { item: "water", quantity: 5 },
          ],
        },
        '"1"',
      )
    ).status,
  ).toBe(200);
  expect((await w.fetch(`${w.base}/api/v1/layers/villages/features/${village.id}`, { method: "DELETE", headers: { "If-Match": '"1"' } })).status).toBe(204);
  const res = await send(w, "POST", "/api/v1/layers/shelters/features", {
    type: "Feature",
    geometry: village.geometry,
    properties: { name: "临时安置点", capacity: 800 },
  });
  expect(res.status).toBe(201);
  edited = { shelter: shelter.id, depot: depot.id, village: village.id, created: (await res.json()).id };
  // a low-zoom tile, kept in the tile cache, which the backup leaves out
  expect((await w.fetch(`${w.base}/tiles/villages/0/0/0.mvt`)).status).toBe(200);
}

beforeAll(async () => {
  original = await startDemoWorld();
  await editThroughTheApi(original);
  dir = await mkdtemp(join(tmpdir(), "hazmap-backup-"));
  backup = join(dir, "county.dump");
  printed = (await script("backup", [backup], { DATABASE_URL: original.url })).stdout;
  restoredUrl = sibling(original.url, "_restored");
  await script("restore", [backup, restoredUrl]);
  restored = await serveDatabase(restoredUrl);
});

afterAll(async () => {
  if (restored) await restored.close();
  else if (restoredUrl) await dropTestDatabase(restoredUrl);
  await original?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("backup prints the file it wrote and its size", () => {
    expect(printed).toMatch(new RegExp(`^${backup}\\t[0-9.]+[KMG]?B\\n$`));
  });

  it("every layer's features come back identical: ids, properties with versions, geometry", async () => {
    const layers = (await get(original, "/api/v1/layers")).layers;
    expect(await get(restored, "/api/v1/layers")).toEqual({ layers });
    for (const { name, count } of layers) {
      expect(count, name).toBeGreaterThan(0);
      expect(await features(restored, name), name).toEqual(await features(original, name));
    }
    // the edits came back, not the generated county
    const shelter = await get(restored, `/api/v1/layers/shelters/features/${edited.shelter}`);
    expect(shelter.properties).toMatchObject({ occupancy: 340, status: "full", version: 3 });
    expect((await restored.fetch(`${restored.base}/api/v1/layers/villages/features/${edited.village}`)).status).toBe(404);
    expect((await get(restored, `/api/v1/layers/shelters/features/${edited.created}`)).properties.name).toBe("临时安置点");
  });

  it("stock comes back identical", async () => {
    expect(await get(restored, "/api/v1/stock")).toEqual(await get(original, "/api/v1/stock"));
    const stock = await get(restored, `/api/v1/depots/${edited.depot}/stock`);
    expect(stock).toEqual(await get(original, `/api/v1/depots/${edited.depot}/stock`));
    expect(stock.rows.map((r: { item: string; quantity: number }) => [r.item, r.quantity])).toEqual([
      ["tent", 777],
      ["water", 5],
    ]);
  });

  it("the questions get the same answers", async () => {
    const villages = await features(original, "villages");
    const hazards = await features(original, "hazards");
    const places = villages.filter((_: unknown, i: number) => i % 40 === 0).map((v: { geometry: { coordinates: number[] } }) => v.geometry.coordinates);
    const questions: [string, unknown?][] = [
      ...places.flatMap(
        ([lon, lat]: number[]) =>
          [
            [`/api/v1/nearest?layer=shelters&lon=${lon}&lat=${lat}&limit=5`],
            [`/api/v1/nearest?layer=shelters&lon=${lon}&lat=${lat}&min_free_capacity=500`],
            [`/api/v1/nearest?layer=depots&lon=${lon}&lat=${lat}&item=tent&min_quantity=20`],
            [`/api/v1/nearest?layer=teams&lon=${lon}&lat=${lat}&status=standby&limit=10`],
            [
              "/api/v1/supply-plan",
              {
                lon,
                lat,
                items: [
                  { item: "tent", quantity: 300 },
                  { item: "water", quantity: 1000 },
                ],
              },
            ],
          ] as [string, unknown?][],
      ),
      ...["shelters", "depots", "teams"].map((l) => [`/api/v1/coverage-gaps?layer=${l}&radius_m=5000`] as [string]),
      ["/api/v1/shelter-capacity?radius_m=5000"],
      ...hazards
        .slice(0, 6)
        .flatMap(
          (h: { id: number }) =>
            [["/api/v1/evacuation-plan", { area: { hazard_id: h.id }, max_distance_m: 30_000 }], [`/api/v1/hazards/${h.id}/exposure`]] as [string, unknown?][],
        ),
      ["/api/v1/evacuation-plan", { area: { lon: places[0]![0], lat: places[0]![1], radius_m: 8000 }, max_distance_m: 30_000 }],
    ];
    for (const [path, body] of questions) {
      const ask = (w: World) => (body ? send(w, "POST", path, body).then(json) : get(w, path));
      const answer = await ask(original);
      expect(await ask(restored), path).toEqual(answer);
    }
  });

  it("the triggers come back: versions, change notices and tile generations; the tile cache comes back empty", async () => {
    const triggers = "SELECT tgrelid::regclass::text AS on, tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2";
    const theirs = (await original.db.raw(triggers)).rows;
    expect(theirs.length).toBeGreaterThan(0);
    expect((await restored.db.raw(triggers)).rows).toEqual(theirs);
    const cached = "SELECT count(*)::int AS n FROM tile_cache";
    expect((await original.db.raw(cached)).rows[0].n).toBeGreaterThan(0);
    expect((await restored.db.raw(cached)).rows[0].n).toBe(0);
    expect((await restored.fetch(`${restored.base}/tiles/villages/0/0/0.mvt`)).status).toBe(200);

    const before = (await restored.db.raw("SELECT sum(generation)::int AS g FROM tile_generation WHERE source = 'shelters'")).rows[0].g;
    const res = await send(restored, "PATCH", `/api/v1/layers/shelters/features/${edited.shelter}`, { properties: { occupancy: 0, status: "open" } }, '"3"');
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"4"');
    expect((await restored.db.raw("SELECT sum(generation)::int AS g FROM tile_generation WHERE source = 'shelters'")).rows[0].g).toBeGreaterThan(before);
  });

  it("ids continue after the restore as they would have in the original", async () => {
    const shelter = { type: "Feature", geometry: { type: "Point", coordinates: [0.5, 0.5] }, properties: { name: "新建避难场所", capacity: 100 } };
    const [a, b] = await Promise.all(
      [original, restored].map(async (w) => (await json(await send(w, "POST", "/api/v1/layers/shelters/features", shelter))).id),
    );
    expect(b).toBe(a);
    expect(b).toBeGreaterThan(edited.created);
  });

  it("refuses to restore over a database that holds data, unless --force; then replaces it", async () => {
    const refused = await script("restore", [backup, restoredUrl]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/--force/);
    const later = await json(
      await send(restored, "POST", "/api/v1/layers/teams/features", {
        type: "Feature",
        geometry: { type: "Point", coordinates: [1, 1] },
        properties: { name: "后来的队伍" },
      }),
    );
    expect((await restored.fetch(`${restored.base}/api/v1/layers/teams/features/${later.id}`)).status).toBe(200);

    await script("restore", ["--force", backup, restoredUrl]);
    // the restored accounts and tokens are the backup's: the original's token works, the newer one is gone
    // (the running server hears of the restore from the database, NOTIFY hazmap_auth: within moments)
    const refusedSoon = async () => {
      for (const end = Date.now() + 3000; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
        if ((await restored.fetch(`${restored.base}/api/v1/auth/me`)).status === 401) return true;
      return false;
    };
    expect(await refusedSoon()).toBe(true);
    const asBackedUp = { ...restored, fetch: withToken(original.token) };
    expect((await asBackedUp.fetch(`${restored.base}/api/v1/layers/teams/features/${later.id}`)).status).toBe(404);
    expect(await features(asBackedUp, "shelters")).toEqual((await features(original, "shelters")).filter((f: { id: number }) => f.id <= edited.created));
  });

  it("an older backup is brought up to date by the migrations, and never forced over a newer database", async () => {
    const connect = (url: string) => createDb({ DATABASE_URL: url, DB_POOL_MAX: 1, STATEMENT_TIMEOUT_MS: 60_000 });
    const old = await createTestDatabase();
    const upToDate = sibling(old, "_restored");
    const file = join(dir, "old.dump");
    // the latest migration undone
    const [latest, migration] = MIGRATIONS.at(-1)!;
    const db = connect(old);
    try {
      await db.transaction(async (trx) => {
        await migration.down!(trx);
        await trx("knex_migrations").where({ name: latest }).delete();
      });
      await script("backup", [file], { DATABASE_URL: old });
      await script("restore", [file, upToDate]);
      const back = connect(upToDate);
      try {
        expect((await back("knex_migrations").pluck("name")).sort()).toEqual(MIGRATIONS.map(([name]) => name).sort());

        // a table from a later release would survive the restore and clash with its migration
        await back.raw("CREATE TABLE from_a_later_release (id int)");
        const refused = await script("restore", ["--force", file, upToDate]).then(
          () => null,
          (e: { code: number; stderr: string }) => e,
        );
        expect(refused?.code).toBe(1);
        expect(refused?.stderr).toMatch(/newer than the backup/);
        expect(refused?.stderr).toMatch(/from_a_later_release/);
        expect((await back("knex_migrations").pluck("name")).sort()).toEqual(MIGRATIONS.map(([name]) => name).sort());
      } finally {
        await back.destroy();
      }
    } finally {
      await db.destroy();
      await dropTestDatabase(old);
      await dropTestDatabase(upToDate);
    }
  });
});
