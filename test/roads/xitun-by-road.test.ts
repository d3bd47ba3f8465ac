// Answers by road on a real network — Xitun, Taichung (MOTC Shapefile, EPSG:3826, read with GDAL) with
// its villages and shelters — against the tests' own Dijkstra (graphology) built from the published
// segments and node ids with GeographicLib lengths, to the second; and the engine against pgRouting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { RoadTruth, type TruthPoint } from "../support/road_truth.ts";
import {
  loadXitunRoads,
  OFF_ROAD_KMH,
  readXitunSegments,
  readXitunShelters,
  readXitunVillages,
  truthJoin,
  truthSegments,
  type Place,
  type XitunSegment,
} from "../support/xitun_roads.ts";
import { destination, geodesicDistance, type LonLat } from "../support/truth.ts";
import { generations, roadGraph } from "../../server/roads/network.ts";
import { search } from "../../server/roads/search.ts";
import { joinPlaces } from "../../server/roads/join.ts";

/** How far from its road a point still joins it (ROAD_REACH_M's default), metres. */
const REACH_M = 2_000;

let w: World;
let segments: XitunSegment[];
let villages: Place[];
let shelters: (Place & { id: number })[];
let teams: (Place & { id: number })[];

beforeAll(async () => {
  w = await startWorld();
  segments = readXitunSegments();
  villages = readXitunVillages();
  await loadXitunRoads(w.db, segments);
  const found = await readXitunShelters();
  shelters = [];
  for (const s of found) {
    const [{ id }] = (
      await w.db.raw("INSERT INTO shelters (name, capacity, geom) VALUES (?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326)) RETURNING id", [
        s.name,
        s.capacity,
        ...s.at,
      ])
    ).rows;
    shelters.push({ ...s, id: Number(id) });
  }
  // a team on standby at every fifth village
  teams = [];
  for (const v of villages.filter((_, i) => i % 5 === 0)) {
    const [{ id }] = (
      await w.db.raw("INSERT INTO teams (name, geom) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326)) RETURNING id", [`${v.name}救援队`, ...v.at])
    ).rows;
    teams.push({ name: `${v.name}救援队`, at: v.at, id: Number(id) });
  }
}, 300_000);
afterAll(() => w?.close());

interface Answer {
  by: string;
  direction?: string;
  not_reachable?: Record<string, number>;
  features: {
    id: number;
    properties: {
      name: string;
      travel_time_s: number;
      road_distance_m: number;
      distance_m: number;
      by: string;
      route: { type: string; coordinates: LonLat[] };
    };
  }[];
}

async function ask(path: string, params: Record<string, string | number>): Promise<Answer> {
  const res = await w.fetch(`${w.base}/api/v1/${path}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** The truth's seconds from `from` to each of `to`, every place joined to the network by the truth. */
function truthSeconds(from: Place, to: Place[], options: { closed?: Set<number>; blocked?: Set<string>; reverse?: boolean } = {}): number[] {
  const closed = options.closed ?? new Set();
  const points: Record<string, TruthPoint> = { from: truthJoin(segments, from.at, closed) };
  to.forEach((p, i) => (points[`to${i}`] = truthJoin(segments, p.at, closed)));
  const truth = new RoadTruth(truthSegments(segments, closed), points, options.blocked);
  return to.map((_, i) => (options.reverse ? truth.seconds(`to${i}`, "from") : truth.seconds("from", `to${i}`)));
}

/** The answer's k equals the truth's k nearest by time: the same times in order (±1 s), the same places where times are more than 1 s apart. */
function expectTrueNearest(answer: Answer, places: (Place & { id: number })[], want: number[], k: number, label: string) {
  const ranked = places
    .map((p, i) => ({ id: p.id, s: want[i]! }))
    .filter((r) => Number.isFinite(r.s))
    .sort((a, b) => a.s - b.s);
  const got = answer.features.map((f) => ({ id: f.id, s: f.properties.travel_time_s }));
  expect(got.length, label).toBe(Math.min(k, ranked.length));
  got.forEach((g, i) => {
    expect(Math.abs(g.s - ranked[i]!.s), `${label} rank ${i}: ${g.s} s, truth ${ranked[i]!.s} s`).toBeLessThan(1);
    // where no other answer is within a second, the very same place
    const near = ranked.filter((r) => Math.abs(r.s - ranked[i]!.s) < 1);
    expect(
      near.map((r) => r.id),
      `${label} rank ${i}`,
    ).toContain(g.id);
  });
}

describe("Xitun by road", () => {
  it("holds the published topology: one edge per segment, one node per published node", async () => {
    const { rows } = await w.db.raw("SELECT (SELECT count(*) FROM road_edges)::int AS edges, (SELECT count(*) FROM road_nodes)::int AS nodes");
    expect(rows[0].edges).toBe(segments.length);
    expect(rows[0].nodes).toBe(new Set(segments.flatMap((s) => [s.fnode, s.tnode])).size);
  });

  it("nearest shelters by road, k=5, from villages (people go to the shelter): the truth's five, to the second", async () => {
    for (const v of villages.filter((_, i) => i % 4 === 0)) {
      const answer = await ask("nearest", { lon: v.at[0], lat: v.at[1], layer: "shelters", limit: 5 });
      expect(answer.by).toBe("road");
      expect(answer.direction).toBe("from_point");
      expectTrueNearest(answer, shelters, truthSeconds(v, shelters), 5, v.name);
      for (const f of answer.features) {
        expect(f.properties.by).toBe("road");
        expect(f.properties.route.type).toBe("LineString");
        // the route starts at the village and ends at the shelter; its length is the road distance (±1 %)
        const line = f.properties.route.coordinates;
        const shelter = shelters.find((s) => s.id === f.id)!;
        expect(geodesicDistance(line[0]!, v.at)).toBeLessThan(0.01);
        expect(geodesicDistance(line.at(-1)!, shelter.at)).toBeLessThan(0.01);
        const length = line.slice(1).reduce((sum, p, i) => sum + geodesicDistance(line[i]!, p), 0);
        expect(Math.abs(length - f.properties.road_distance_m) / f.properties.road_distance_m).toBeLessThan(0.01);
        expect(Math.abs(f.properties.distance_m - geodesicDistance(v.at, shelter.at))).toBeLessThan(0.01);
      }
    }
  });

  it("nearest teams by road, k=3, to a village (teams come to the point): the truth's three, to the second", async () => {
    for (const v of villages.filter((_, i) => i % 6 === 1)) {
      const answer = await ask("nearest", { lon: v.at[0], lat: v.at[1], layer: "teams", limit: 3 });
      expect(answer.direction).toBe("to_point");
      expectTrueNearest(answer, teams, truthSeconds(v, teams, { reverse: true }), 3, v.name);
      // the route in travel order: from the team to the village
      for (const f of answer.features) {
        const line = f.properties.route.coordinates;
        expect(geodesicDistance(line[0]!, teams.find((t) => t.id === f.id)!.at)).toBeLessThan(0.01);
        expect(geodesicDistance(line.at(-1)!, v.at)).toBeLessThan(0.01);
      }
    }
  });

  it("a closed road changes the answer at the very next question, as the truth does without it", async () => {
    // the first village from which a shelter is reached (some join a small island of roads, see below)
    let v = villages[0]!;
    let before: Answer | undefined;
    for (v of villages) {
      before = await ask("nearest", { lon: v.at[0], lat: v.at[1], layer: "shelters", limit: 1 });
      if (before.features.length === 1) break;
    }
    if (!before) throw new Error("no village");
    // the road under the middle of the route
    const { rows } = await w.db.raw(
      `SELECT id, name, version FROM roads
       ORDER BY geom <-> ST_LineInterpolatePoint(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), 0.5) LIMIT 1`,
      [JSON.stringify(before.features[0]!.properties.route)],
    );
    const road = rows[0];
    const closed = new Set([Number(road.name.replace("segment ", ""))]);
    const res = await w.fetch(`${w.base}/api/v1/layers/roads/features/${road.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": `"${road.version}"` },
      body: JSON.stringify({ properties: { status: "closed" } }),
    });
    expect(res.status).toBe(200);
    const after = await ask("nearest", { lon: v.at[0], lat: v.at[1], layer: "shelters", limit: 3 });
    expectTrueNearest(after, shelters, truthSeconds(v, shelters, { closed }), 3, `${v.name} with segment ${[...closed]} closed`);
    const again = after.features.find((f) => f.id === before.features[0]!.id);
    expect(again?.properties.travel_time_s ?? Infinity).toBeGreaterThan(before.features[0]!.properties.travel_time_s + 1);
    await w.db.raw("UPDATE roads SET status = 'open' WHERE id = ?", [road.id]);
  });

  it("avoid_hazards keeps the route out of the zone, as the truth does without the roads meeting it", async () => {
    // a village whose quickest shelter is far enough for a zone to sit between them, on the route's middle
    const radius = 120;
    let v = villages[0]!;
    let free: Answer | undefined;
    let centre: LonLat = [0, 0];
    for (v of villages) {
      free = await ask("nearest", { lon: v.at[0], lat: v.at[1], layer: "shelters", limit: 1 });
      if (free.features.length === 0) continue;
      const shelter = shelters.find((s) => s.id === free!.features[0]!.id)!;
      const mid = (
        await w.db.raw("SELECT ST_X(p) AS x, ST_Y(p) AS y FROM ST_LineInterpolatePoint(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), 0.5) p", [
          JSON.stringify(free.features[0]!.properties.route),
        ])
      ).rows[0];
      centre = [mid.x, mid.y];
      if (geodesicDistance(v.at, centre) > radius + 300 && geodesicDistance(shelter.at, centre) > radius + 300) break;
    }
    if (!free) throw new Error("no village");
    await w.db.raw(
      "INSERT INTO hazards (name, kind, risk_level, influence_radius_m, geom) VALUES ('化学品仓库', 'chemical_plant', 1, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))",
      [radius, ...centre],
    );
    try {
      const shelter = shelters.find((s) => s.id === free.features[0]!.id)!;
      expect(geodesicDistance(v.at, centre)).toBeGreaterThan(radius + 300);
      expect(geodesicDistance(shelter.at, centre)).toBeGreaterThan(radius + 300);
      const avoiding = await ask("nearest", { lon: v.at[0], lat: v.at[1], layer: "shelters", limit: 3, avoid_hazards: 1 });
      // the roads meeting the zone, by the truth: a segment within the radius of the hazard's point
      const blocked = new Set(
        segments.filter((s) => s.coords.some((c, i) => i > 0 && segmentDistance(centre, s.coords[i - 1]!, c) <= radius)).map((s) => String(s.index)),
      );
      expect(blocked.size).toBeGreaterThan(0);
      expectTrueNearest(avoiding, shelters, truthSeconds(v, shelters, { blocked }), 3, `${v.name} avoiding`);
      for (const f of avoiding.features) {
        const { rows } = await w.db.raw(
          "SELECT ST_DWithin(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)::geography, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?) AS inside",
          [JSON.stringify(f.properties.route), ...centre, radius],
        );
        expect(rows[0].inside).toBe(false);
      }
      // level 1 avoids it, asking nothing of hazards does not
      expect((await ask("nearest", { lon: v.at[0], lat: v.at[1], layer: "shelters", limit: 1 })).features[0]!.properties.travel_time_s).toBe(
        free.features[0]!.properties.travel_time_s,
      );
      // a hazard of level 2 is not avoided at level 1: the barriers follow the hazards at the next question
      await w.db.raw("UPDATE hazards SET risk_level = 2");
      const level1 = await ask("nearest", { lon: v.at[0], lat: v.at[1], layer: "shelters", limit: 1, avoid_hazards: 1 });
      expect(level1.features[0]!.properties.travel_time_s).toBe(free.features[0]!.properties.travel_time_s);
    } finally {
      await w.db.raw("DELETE FROM hazards");
    }
  });

  it("a service area is the area the truth reaches in time: by road, then on foot, to within its cells", async () => {
    const team = teams[1]!;
    const minutes = [4, 8];
    const answer = (await ask("service-area", { layer: "teams", id: team.id, minutes: minutes.join(",") })) as unknown as {
      features: { geometry: { type: string }; properties: { minutes: number; road_m: number; cell_m: number } }[];
    };
    expect(answer.features.map((f) => f.properties.minutes)).toEqual([8, 4]);
    const walk = OFF_ROAD_KMH / 3.6;
    const start = truthJoin(segments, team.at);
    const nodeSeconds = new RoadTruth(truthSegments(segments), { team: start }).nodeSeconds("team");
    const at = (node: string) => nodeSeconds.get(node) ?? Infinity;
    // probes: the first point of every 11th segment (a published node), and places 120 m and 400 m north of it
    const probes = segments
      .filter((_, i) => i % 11 === 0)
      .flatMap((s) => [0, 120, 400].map((off) => ({ at: destination(s.coords[0]!, 0, off), node: s.fnode, off })));
    // what the truth says of a probe: the least time by road to a node, then on foot (no more: an upper
    // bound), and a time it cannot beat: the earliest end of any segment reached, then on foot to the segment
    const upper = probes.map((p) => at(p.node) + (p.off * 1.03) / walk);
    const reachedSegments = segments
      .flatMap((s) => {
        const first = Math.min(at(s.fnode), at(s.tnode), String(s.index) === start.segment ? start.offRoadS : Infinity);
        const lons = s.coords.map((c) => c[0]);
        const lats = s.coords.map((c) => c[1]);
        const box = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] as const;
        return Number.isFinite(first) ? [{ s, first, box }] : [];
      })
      .sort((a, b) => a.first - b.first);
    const lower = probes.map((p) => {
      let best = Infinity;
      for (const { s, first, box } of reachedSegments) {
        if (first >= best) break;
        // metres to the segment's box (no more than to the segment): skip what cannot do better
        const dx = Math.max(box[0] - p.at[0], 0, p.at[0] - box[2]) * 111_320 * Math.cos((p.at[1] * Math.PI) / 180);
        const dy = Math.max(box[1] - p.at[1], 0, p.at[1] - box[3]) * 110_574;
        if (first + (Math.hypot(dx, dy) / walk) * 0.99 >= best) continue;
        for (let j = 1; j < s.coords.length; j++) best = Math.min(best, first + segmentDistance(p.at, s.coords[j - 1]!, s.coords[j]!) / walk);
      }
      return best;
    });
    const counted = { onRoad: 0, offRoad: 0, out: 0 };
    for (const f of answer.features) {
      const limit = f.properties.minutes * 60;
      // a cell's centre stands for the road in it (≤ 0.71 cell), the outline runs between centres (≤ 1.42
      // cell): a point on a road is inside when reached 1.5 cells' walk early, and any point 2.2 cells'
      const cellS = f.properties.cell_m / walk;
      const inside = (
        await w.db.raw(
          "SELECT array_agg(ST_Intersects(a, ST_SetSRID(ST_MakePoint(x, y), 4326)) ORDER BY i) AS inside FROM ST_SetSRID(ST_GeomFromGeoJSON(?), 4326) a, unnest(?::float8[], ?::float8[]) WITH ORDINALITY p(x, y, i)",
          [JSON.stringify(f.geometry), probes.map((p) => p.at[0]), probes.map((p) => p.at[1])],
        )
      ).rows[0].inside as boolean[];
      const surelyIn = probes.flatMap((p, i) =>
        upper[i]! + (p.off === 0 ? 1.5 : 2.2) * cellS <= limit && p.off <= REACH_M - 3 * f.properties.cell_m ? [i] : [],
      );
      const surelyOut = probes.flatMap((_, i) => (lower[i]! > limit + 2.2 * cellS ? [i] : []));
      for (const i of surelyIn) counted[probes[i]!.off === 0 ? "onRoad" : "offRoad"]++;
      counted.out += surelyOut.length;
      for (const i of surelyIn) expect(inside[i], `probe ${i} (${probes[i]!.off} m off the road) at most ${upper[i]} s, within ${limit} s`).toBe(true);
      for (const i of surelyOut) expect(inside[i], `probe ${i} at least ${lower[i]} s, beyond ${limit} s`).toBe(false);
    }
    // enough of each kind checked, over both breaks (else this test shows little)
    expect(counted.onRoad).toBeGreaterThan(20);
    expect(counted.offRoad).toBeGreaterThan(10);
    expect(counted.out).toBeGreaterThan(20);
    // a filled area: valid, and the 4-minute one inside the 8-minute one
    const [large, small] = answer.features.map((f) => JSON.stringify(f.geometry));
    const { rows } = await w.db.raw(
      "SELECT ST_IsValid(l) AND ST_IsValid(s) AS valid, ST_Area(ST_Difference(s, l)::geography) AS outside_m2, ST_Area(s::geography) AS small_m2 FROM ST_GeomFromGeoJSON(?) l, ST_GeomFromGeoJSON(?) s",
      [large!, small!],
    );
    expect(rows[0].valid).toBe(true);
    expect(rows[0].small_m2).toBeGreaterThan(1e6);
    expect(rows[0].outside_m2).toBeLessThan(1);
  }, 120_000);

  it("the engine's times between nodes equal pgRouting's pgr_dijkstra on the same edges", async () => {
    const graph = await roadGraph(w.db, (await generations(w.db)).roads);
    const { rows: edges } = await w.db.raw("SELECT id::float8 AS id, source::float8 AS source, target::float8 AS target FROM road_edges ORDER BY id");
    const pairs: [number, number][] = [];
    for (let i = 0; i < 40; i++) pairs.push([edges[(i * 977) % edges.length].source, edges[(i * 1543 + 11) % edges.length].target]);
    const { rows } = await w.db.raw(
      `SELECT start_vid::float8 AS a, end_vid::float8 AS b, agg_cost FROM pgr_dijkstra('SELECT id, source, target, cost, reverse_cost FROM road_edges',
         ?::bigint[], ?::bigint[], true) WHERE edge = -1`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    const pg = new Map<string, number>(rows.map((r: { a: number; b: number; agg_cost: number }) => [`${r.a}>${r.b}`, r.agg_cost]));
    // a node as an anchor: the start of an edge leaving it, the end of an edge reaching it
    const at = (node: number, end: "source" | "target") => {
      const e = edges.findIndex((x: { source: number; target: number }) => x[end] === node);
      return { edge: graph.edgeIndex(edges[e].id)!, fraction: end === "source" ? 0 : 1, offRoadS: 0, offRoadM: 0 };
    };
    let compared = 0;
    for (const [a, b] of pairs) {
      if (a === b) continue;
      const found = search(graph, { starts: [at(a, "source")], travel: "from_starts", targets: [at(b, "target")] });
      const want = pg.get(`${a}>${b}`);
      if (want === undefined) expect(found.targetSeconds[0]).toBe(Infinity);
      else {
        expect(Math.abs(found.targetSeconds[0]! - want), `${a} → ${b}`).toBeLessThan(1e-6);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });

  it("the engine's times between villages and shelters joined part-way along edges equal pgRouting's pgr_withPoints", async () => {
    const graph = await roadGraph(w.db, (await generations(w.db)).roads);
    const places = [...villages.slice(0, 12), ...shelters.slice(0, 12)];
    const joined = await joinPlaces(
      w.db,
      graph,
      places.map((p) => ({ lon: p.at[0], lat: p.at[1] })),
    );
    // without the legs off road, which pgRouting does not know of
    const anchors = joined.map((j) => ("anchor" in j ? { ...j.anchor, offRoadS: 0, offRoadM: 0 } : undefined));
    // pgRouting's points: pid i + 1 on the same edge at the same fraction
    const points = anchors.flatMap((a, i) => (a ? [{ pid: i + 1, edge_id: graph.edgeId[a.edge], fraction: a.fraction }] : []));
    const pointsSql = `SELECT pid, edge_id, fraction, 'b'::char AS side FROM json_to_recordset('${JSON.stringify(points)}') AS p(pid bigint, edge_id bigint, fraction float8)`;
    const shelterPids = shelters.slice(0, 12).flatMap((_, s) => (anchors[12 + s] ? [12 + s + 1] : []));
    let compared = 0;
    for (let v = 0; v < 12; v++) {
      if (!anchors[v]) continue;
      const found = search(graph, { starts: [anchors[v]!], travel: "from_starts", targets: shelterPids.map((pid) => anchors[pid - 1]!) });
      const { rows } = await w.db.raw(
        `SELECT end_pid::int AS pid, agg_cost FROM pgr_withPoints('SELECT id, source, target, cost, reverse_cost FROM road_edges', ?, ?::bigint, ?::bigint[], true, 'b')
         WHERE edge = -1`,
        [pointsSql, -(v + 1), shelterPids.map((pid) => -pid)],
      );
      const pg = new Map<number, number>(rows.map((r: { pid: number; agg_cost: number }) => [-r.pid, r.agg_cost]));
      shelterPids.forEach((pid, t) => {
        const want = pg.get(pid);
        if (want === undefined) expect(found.targetSeconds[t], `village ${v} → point ${pid}`).toBe(Infinity);
        else {
          expect(Math.abs(found.targetSeconds[t]! - want), `village ${v} → point ${pid}`).toBeLessThan(1e-6);
          compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(50);
  });
});

/** Metres from p to the segment a–b, locally planar about p (a few cm off at most over Xitun's short segments). */
function segmentDistance(p: LonLat, a: LonLat, b: LonLat): number {
  const kx = 111_320 * Math.cos((p[1] * Math.PI) / 180);
  const ky = 110_574;
  const [ax, ay, bx, by] = [(a[0] - p[0]) * kx, (a[1] - p[1]) * ky, (b[0] - p[0]) * kx, (b[1] - p[1]) * ky];
  const dx = bx - ax;
  const dy = by - ay;
  const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
  return Math.hypot(ax + t * dx, ay + t * dy);
}
