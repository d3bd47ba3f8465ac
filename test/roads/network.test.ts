// The road network (migration 016) as pgRouting reads it: roads cut where they meet at grade, bridges,
// tunnels and expressways joined only where the rules say, costs in seconds from geodesic lengths, and
// every write — plain SQL or the API — in effect in the same transaction. Lengths are checked against
// GeographicLib; Xitun's published topology (its node file, read with GDAL) is the truth for a real network.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { geodesicDistance, type LonLat } from "../support/truth.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 60_000);
afterAll(() => w?.close());

type Edge = { id: number; road: string; source: number; target: number; length_m: number; cost: number; reverse_cost: number; coords: LonLat[] };

async function edges(): Promise<Edge[]> {
  const { rows } = await w.db.raw(`
    SELECT e.id, r.name AS road, e.source, e.target, e.length_m, e.cost, e.reverse_cost, ST_AsGeoJSON(e.geom)::json -> 'coordinates' AS coords
    FROM road_edges e JOIN roads r ON r.id = e.road_id ORDER BY r.name, e.id`);
  return rows.map((r: Edge) => ({ ...r, source: Number(r.source), target: Number(r.target) }));
}
const of = (all: Edge[], road: string) => all.filter((e) => e.road === road);
const line = (...points: LonLat[]) => `ST_Multi(ST_SetSRID(ST_MakeLine(ARRAY[${points.map(([x, y]) => `ST_MakePoint(${x}, ${y})`).join(", ")}]), 4326))`;

async function road(name: string, points: LonLat[], attributes: Record<string, string | boolean | number> = {}) {
  const columns = { road_class: "county", ...attributes };
  const names = Object.keys(columns);
  await w.db.raw(`INSERT INTO roads (name, geom, ${names.join(", ")}) VALUES (?, ${line(...points)}, ${names.map(() => "?").join(", ")})`, [
    name,
    ...Object.values(columns),
  ]);
}

/** The geodesic length of a path of positions: GeographicLib, segment by segment. */
const pathLength = (coords: LonLat[]) => coords.slice(1).reduce((sum, p, i) => sum + geodesicDistance(coords[i]!, p), 0);

describe("noding", () => {
  beforeEach(async () => {
    await w.db.raw("TRUNCATE roads");
  });

  it("cuts two roads where they cross, at one shared node", async () => {
    await road("东西", [
      [104.0, 30.0],
      [104.02, 30.0],
    ]);
    await road("南北", [
      [104.01, 29.99],
      [104.01, 30.01],
    ]);
    const all = await edges();
    expect(of(all, "东西")).toHaveLength(2);
    expect(of(all, "南北")).toHaveLength(2);
    const centre = of(all, "东西")[0]!.target;
    expect(of(all, "南北").flatMap((e) => [e.source, e.target])).toContain(centre);
    const { rows } = await w.db.raw("SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM road_nodes WHERE id = ?", [centre]);
    expect(rows[0].x).toBeCloseTo(104.01, 12);
    expect(rows[0].y).toBeCloseTo(30.0, 9);
  });

  it("joins roads where they share a vertex and where one ends on another", async () => {
    await road("主路", [
      [104.0, 30.0],
      [104.01, 30.0],
      [104.02, 30.0],
    ]);
    await road("支路甲", [
      [104.01, 30.0],
      [104.01, 30.01],
    ]); // from the main road's middle vertex
    await road("支路乙", [
      [104.015, 30.0],
      [104.015, 29.99],
    ]); // from the middle of one of its segments
    const all = await edges();
    expect(of(all, "主路")).toHaveLength(3);
    const nodes = new Set(of(all, "主路").flatMap((e) => [e.source, e.target]));
    expect(nodes.has(of(all, "支路甲")[0]!.source)).toBe(true);
    expect(nodes.has(of(all, "支路乙")[0]!.source)).toBe(true);
  });

  it("a bridge or tunnel joins others only at its ends; an expressway only at shared vertices and ends", async () => {
    await road("河岸路", [
      [104.0, 30.0],
      [104.02, 30.0],
    ]);
    await road(
      "大桥",
      [
        [104.01, 29.99],
        [104.01, 30.01],
      ],
      { bridge: true },
    );
    await road(
      "高速",
      [
        [104.005, 29.99],
        [104.005, 30.01],
      ],
      { road_class: "expressway" },
    );
    await road(
      "引桥",
      [
        [104.015, 30.0],
        [104.015, 30.01],
      ],
      { tunnel: true },
    ); // a tunnel that ends on the road: joined there
    const all = await edges();
    expect(of(all, "大桥")).toHaveLength(1);
    expect(of(all, "高速")).toHaveLength(1);
    expect(of(all, "河岸路")).toHaveLength(2); // cut only where the tunnel ends on it
    const riverside = new Set(of(all, "河岸路").flatMap((e) => [e.source, e.target]));
    expect(riverside.has(of(all, "引桥")[0]!.source)).toBe(true);
    for (const elevated of ["大桥", "高速"]) {
      const e = of(all, elevated)[0]!;
      expect(riverside.has(e.source) || riverside.has(e.target), elevated).toBe(false);
    }
  });
});

describe("costs", () => {
  beforeAll(async () => {
    await w.db.raw("TRUNCATE roads");
  });

  it("are seconds at the class's speed over the geodesic length, halved speed when damaged, -1 where it cannot be driven", async () => {
    const points: LonLat[] = [
      [104.0, 30.0],
      [104.013, 30.004],
      [104.03, 30.011],
    ];
    const cases: { name: string; attributes: Record<string, string | number>; speed: number; forward: boolean; backward: boolean }[] = [
      { name: "国道", attributes: { road_class: "national" }, speed: 70, forward: true, backward: true },
      { name: "限速路", attributes: { road_class: "national", speed_kmh: 45 }, speed: 45, forward: true, backward: true },
      { name: "受损村道", attributes: { road_class: "village", status: "damaged" }, speed: 15, forward: true, backward: true },
      { name: "单行", attributes: { road_class: "township", oneway: "forward" }, speed: 40, forward: true, backward: false },
      { name: "逆行", attributes: { road_class: "other", oneway: "backward" }, speed: 20, forward: false, backward: true },
      { name: "塌方", attributes: { road_class: "county", status: "closed" }, speed: 50, forward: false, backward: false },
    ];
    // each on its own latitude, so that none meets another
    for (const [i, c] of cases.entries())
      await road(
        c.name,
        points.map(([x, y]) => [x, y + i * 0.1] as LonLat),
        c.attributes,
      );
    const all = await edges();
    for (const [i, c] of cases.entries()) {
      const [e] = of(all, c.name);
      const metres = pathLength(points.map(([x, y]) => [x, y + i * 0.1] as LonLat));
      expect(Math.abs(e!.length_m - metres), c.name).toBeLessThan(0.001);
      const seconds = (metres * 3.6) / c.speed;
      expect(e!.cost, c.name).toBeCloseTo(c.forward ? seconds : -1, 3);
      expect(e!.reverse_cost, c.name).toBeCloseTo(c.backward ? seconds : -1, 3);
    }
  });
});

describe("kept in step", () => {
  beforeEach(async () => {
    await w.db.raw("TRUNCATE roads");
    await road("东西", [
      [104.0, 30.0],
      [104.02, 30.0],
    ]);
    await road("南北", [
      [104.01, 29.99],
      [104.01, 30.01],
    ]);
  });
  const generation = async () => Number((await w.db.raw("SELECT roads_generation AS g FROM road_network")).rows[0].g);

  it("moving, deleting and truncating roads in plain SQL renodes what they touched", async () => {
    const before = await generation();
    await w.db.raw(`UPDATE roads SET geom = ${line([104.03, 29.99], [104.03, 30.01])} WHERE name = '南北'`);
    expect(of(await edges(), "东西")).toHaveLength(1); // no longer crossed
    expect(await generation()).toBeGreaterThan(before);
    await w.db.raw(`UPDATE roads SET geom = ${line([104.01, 29.99], [104.01, 30.01])} WHERE name = '南北'`);
    expect(of(await edges(), "东西")).toHaveLength(2);
    await w.db.raw("DELETE FROM roads WHERE name = '南北'");
    const left = await edges();
    expect(left.map((e) => e.road)).toEqual(["东西"]);
    await w.db.raw("TRUNCATE roads");
    expect(await edges()).toEqual([]);
    expect(Number((await w.db.raw("SELECT count(*) AS n FROM road_nodes")).rows[0].n)).toBe(0);
  });

  it("a commander closing a road through the API closes its edges for the very next question, and reopening opens them", async () => {
    const [{ id }] = (await w.db.raw("SELECT id FROM roads WHERE name = '南北'")).rows;
    const patch = async (status: string, version: number) =>
      w.fetch(`${w.base}/api/v1/layers/roads/features/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "If-Match": `"${version}"` },
        body: JSON.stringify({ properties: { status } }),
      });
    expect((await patch("closed", 1)).status).toBe(200);
    expect(of(await edges(), "南北").every((e) => e.cost === -1 && e.reverse_cost === -1)).toBe(true);
    expect((await patch("open", 2)).status).toBe(200);
    expect(of(await edges(), "南北").every((e) => e.cost > 0 && e.reverse_cost > 0)).toBe(true);
    expect(of(await edges(), "东西")).toHaveLength(2); // a status change does not renode
  });

  it("a write to hazards moves the hazards generation", async () => {
    const g = async () => Number((await w.db.raw("SELECT hazards_generation AS g FROM road_network")).rows[0].g);
    const before = await g();
    await w.db.raw("INSERT INTO hazards (name, kind, risk_level, geom) VALUES ('滑坡', 'landslide', 1, ST_SetSRID(ST_MakePoint(104.01, 30.0), 4326))");
    expect(await g()).toBe(before + 1);
  });
});

describe("Xitun, Taichung: the published network (MOTC, EPSG:3826) read with GDAL", () => {
  const folder = "../shared/data/real/taiwan-taichung-xitun-roads";
  let dir: string;
  beforeAll(async () => {
    await w.db.raw("TRUNCATE roads");
    dir = mkdtempSync(join(tmpdir(), "xitun-"));
    const toGeoJson = (name: string) => {
      const out = join(dir, `${name}.geojson`);
      execFileSync("ogr2ogr", ["-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=15", out, join(folder, `${name}.shp`)]);
      return JSON.parse(readFileSync(out, "utf8")) as { features: { geometry: { coordinates: LonLat[] | LonLat }; properties: Record<string, string> }[] };
    };
    segments = toGeoJson("xitun_道路路段").features;
    nodes = toGeoJson("xitun_道路節點").features.map((f) => f.geometry.coordinates as LonLat);
    // MOTC codes as the importer maps them: HW/HU/1E grade-separated expressways; roadstruct is level (1) or not
    const expressway = new Set(["HW", "HU", "1E"]);
    await w.db.raw(
      `INSERT INTO roads (name, code, road_class, oneway, bridge, geom)
       SELECT f ->> 'name', f ->> 'code', f ->> 'class', f ->> 'oneway', (f ->> 'bridge')::boolean, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4326))
       FROM json_array_elements(?::json) f`,
      [
        JSON.stringify(
          segments.map((s) => ({
            name: s.properties.roadname || "未命名道路",
            code: s.properties.roadid,
            class: expressway.has(s.properties.roadtype!) ? "expressway" : "other",
            oneway: s.properties.dir === "1" ? "forward" : "no",
            bridge: s.properties.roadstruct !== "1",
            geometry: s.geometry,
          })),
        ),
      ],
    );
  }, 120_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));
  let segments: { geometry: { coordinates: LonLat[] | LonLat }; properties: Record<string, string> }[];
  let nodes: LonLat[];

  it("has a node at every published node, the same total length, and the same 19 connected pieces", async () => {
    const all = await edges();
    const truthLength = segments.reduce((sum, s) => sum + pathLength(s.geometry.coordinates as LonLat[]), 0);
    const length = all.reduce((sum, e) => sum + e.length_m, 0);
    expect(Math.abs(length - truthLength)).toBeLessThan(0.01);
    const { rows: ours } = await w.db.raw("SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM road_nodes");
    const at = ([x, y]: LonLat) => `${x.toFixed(9)} ${y.toFixed(9)}`;
    const positions = new Set(ours.map((n: { x: number; y: number }) => at([n.x, n.y])));
    expect(nodes.filter((n) => !positions.has(at(n)))).toEqual([]);
    // pgRouting's own count of connected pieces; the README's count from the published node ids
    const { rows } = await w.db.raw(
      "SELECT count(DISTINCT component)::int AS n FROM pgr_connectedComponents('SELECT id, source, target, cost, reverse_cost FROM road_edges')",
    );
    expect(rows[0].n).toBe(19);
  });
});
