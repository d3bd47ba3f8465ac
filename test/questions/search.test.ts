// GET /api/v1/search on the demo county over real HTTP: every kind of named thing is found by its name or
// part of it, closest match first, a road's segments as one hit framed whole. Truth: the tables' names
// read back and filtered in plain TypeScript, the bounds computed from the coordinates.
import { describe, expect, it } from "vitest";
import { useDemoWorld } from "../support/demo_world.ts";

const demo = useDemoWorld();

interface Hit {
  layer: string;
  id: number;
  name: string;
  lon: number;
  lat: number;
  bbox: [number, number, number, number];
}

async function searchFor(q: string, limit?: number): Promise<Hit[]> {
  const w = demo.world;
  const res = await w.fetch(`${w.base}/api/v1/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ""}`);
  expect(res.status, q).toBe(200);
  return ((await res.json()) as { results: Hit[] }).results;
}

const TABLES = {
  villages: "villages",
  townships: "townships",
  hazards: "hazards",
  shelters: "shelters",
  depots: "depots",
  teams: "teams",
  roads: "roads",
  waterways: "waterways",
  water_areas: "water_areas",
  built_up: "built_up",
  places: "places",
} as const;

describe("search (GET /api/v1/search)", () => {
  it("finds a team by part of its Chinese name, at its base", async () => {
    const { rows } = await demo.world.db.raw(
      "SELECT id::int, name, ST_X(geom) x, ST_Y(geom) y FROM teams WHERE team_type = 'water_rescue' ORDER BY id LIMIT 1",
    );
    const team = rows[0];
    const part = team.name.slice(0, -1); // 某某水上救援队 without its last character
    const hits = await searchFor(part);
    const hit = hits.find((h) => h.layer === "teams" && h.id === team.id);
    expect(hit, JSON.stringify(hits)).toBeDefined();
    expect([hit!.lon, hit!.lat]).toEqual([Number(team.x.toFixed(7)), Number(team.y.toFixed(7))]);
    for (const h of hits) expect(h.name.toLowerCase()).toContain(part.toLowerCase());
  });

  it.each(Object.entries(TABLES))("finds %s by their whole name, that name first", async (layer, table) => {
    const { rows } = await demo.world.db.raw(
      // a village's place name is found as the village, the reservoir's water as the reservoir (same name, same spot)
      `SELECT id::int, name FROM ${table} WHERE geom IS NOT NULL ${{ places: "AND kind <> 'village'", water_areas: "AND kind <> 'reservoir'" }[table as string] ?? ""}
        ORDER BY id DESC LIMIT 3`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const hits = await searchFor(row.name);
      expect(hits[0]!.name, row.name).toBe(row.name);
      // a road's or river's segments are one hit, under its first segment's id
      const { rows: first } = await demo.world.db.raw(`SELECT min(id)::int AS id FROM ${table} WHERE name = ?`, [row.name]);
      const ids = hits.filter((h) => h.layer === layer).map((h) => h.id);
      expect(ids, `${layer} ${row.name}`).toContain(layer === "roads" || layer === "waterways" ? first[0].id : row.id);
    }
  });

  it("gives a road cut into segments once, framed whole", async () => {
    const w = demo.world;
    const parts = [
      [
        [104.101, 30.701],
        [104.105, 30.703],
      ],
      [
        [104.105, 30.703],
        [104.112, 30.699],
      ],
    ];
    for (const coordinates of parts) {
      const res = await w.fetch(`${w.base}/api/v1/layers/roads/features`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "Feature", geometry: { type: "LineString", coordinates }, properties: { name: "测试大道", road_class: "county" } }),
      });
      expect(res.status).toBe(201);
    }
    const hits = (await searchFor("测试大道")).filter((h) => h.layer === "roads");
    expect(hits).toHaveLength(1);
    const points = parts.flat();
    const xs = points.map((p) => p[0]!);
    const ys = points.map((p) => p[1]!);
    const want = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    for (const [i, v] of hits[0]!.bbox.entries()) expect(v).toBeCloseTo(want[i]!, 9);
  });

  it("finds everything whose name holds the text when there are fewer than the limit, each once", async () => {
    // a text few names hold: the first two characters of a village's name
    const { rows: v } = await demo.world.db.raw("SELECT name FROM villages ORDER BY id LIMIT 1");
    const q = v[0].name.slice(0, 2);
    const truth: string[] = [];
    for (const [layer, table] of Object.entries(TABLES)) {
      const { rows } = await demo.world.db.raw(`SELECT id::int, name FROM ${table} WHERE geom IS NOT NULL`);
      const named = rows.filter((r: { name: string }) => r.name.includes(q));
      // one per name for lines; a village's place name (same name, same spot) is the village's hit
      const names =
        layer === "roads" || layer === "waterways" ? [...new Set(named.map((r: { name: string }) => r.name))] : named.map((r: { name: string }) => r.name);
      if (layer === "places") {
        const { rows: villagePlaces } = await demo.world.db.raw(
          "SELECT p.name FROM places p JOIN villages v ON v.name = p.name AND ST_DWithin(p.geom, v.geom, 0.00001)",
        );
        const dup = new Set(villagePlaces.map((r: { name: string }) => r.name));
        truth.push(...(names as string[]).filter((n) => !dup.has(n)));
      } else truth.push(...(names as string[]));
    }
    expect(truth.length).toBeGreaterThan(0);
    expect(truth.length).toBeLessThan(50);
    const hits = await searchFor(q, 50);
    expect(hits.map((h) => h.name).sort()).toEqual(truth.sort());
    // closest first: exact names, then names starting with the text, then the rest
    const klass = (n: string) => (n === q ? 0 : n.startsWith(q) ? 1 : 2);
    const classes = hits.map((h) => klass(h.name));
    expect(classes).toEqual([...classes].sort((a, b) => a - b));
  });

  it("opens a place before a road or a resource of an equally close name: the village, not the road named after it", async () => {
    const w = demo.world;
    const { rows } = await w.db.raw("SELECT name, ST_X(geom) x, ST_Y(geom) y FROM villages ORDER BY id LIMIT 1");
    const village = rows[0];
    const post = async (layer: string, name: string, geometry: object, properties: object) => {
      const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "Feature", geometry, properties: { name, ...properties } }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    };
    const line = (dx: number) => ({
      type: "LineString",
      coordinates: [
        [village.x + dx, village.y],
        [village.x + dx + 0.01, village.y + 0.01],
      ],
    });
    // a road named as the village, one named after it, and a shelter named after it
    await post("roads", village.name, line(0.02), { road_class: "township" });
    await post("roads", `${village.name}路`, line(0.04), { road_class: "village" });
    await post("shelters", `${village.name}小学`, { type: "Point", coordinates: [village.x + 0.01, village.y] }, { capacity: 100 });
    const exact = await searchFor(village.name);
    expect(exact.slice(0, 2).map((h) => [h.layer, h.name])).toEqual([
      ["villages", village.name],
      ["roads", village.name],
    ]);
    // typed in part: the village first among the names starting so, then the shelter, then the road
    const part = await searchFor(village.name.slice(0, -1));
    const starting = part.filter((h) => h.name.startsWith(village.name));
    // (the demo's own road to the village, 某村通村路, among the roads)
    expect(starting.slice(0, 2).map((h) => h.layer)).toEqual(["villages", "shelters"]);
    expect(new Set(starting.slice(2).map((h) => h.layer))).toEqual(new Set(["roads"]));
    // a place name and a road of one name, far apart: the place first
    await post("places", "青龙桥", { type: "Point", coordinates: [village.x + 0.05, village.y] }, { kind: "landmark" });
    await post("roads", "青龙桥", line(0.08), { road_class: "county" });
    expect((await searchFor("青龙桥")).map((h) => h.layer)).toEqual(["places", "roads"]);
  });

  it("refuses a search for nothing, naming q", async () => {
    const w = demo.world;
    const res = await w.fetch(`${w.base}/api/v1/search?q=%20`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ errors: [{ path: ["q"] }] });
  });
});
