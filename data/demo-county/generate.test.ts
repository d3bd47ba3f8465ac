import {
  area,
  booleanIntersects,
  booleanPointInPolygon,
  booleanValid,
  distance,
  featureCollection,
  intersect,
  kinks,
  lineIntersect,
  lineString,
  pointToLineDistance,
  union,
} from "@turf/turf";
import { MultiUndirectedGraph } from "graphology";
import { dijkstra } from "graphology-shortest-path";
import type { Feature, LineString, MultiPolygon, Polygon, Position } from "geojson";
import { describe, expect, it } from "vitest";
import { ITEMS } from "../items.ts";
import { DEPOT_STANDARD_AREA_M2 } from "../../server/layers/depots.ts";
import { valueSchema } from "../../server/layers/fields.ts";
import { geometrySchema } from "../../server/layers/geometry.ts";
import { HAZARD_KINDS, RISK_LEVELS } from "../../server/layers/hazards.ts";
import { findLayer } from "../../server/layers/index.ts";
import { allFields } from "../../server/layers/layer.ts";
import { TEAM_TYPES } from "../../server/layers/teams.ts";
import { joinName } from "./names.ts";
import { generateDemoCounty, type DemoCounty, type DemoFeature } from "./generate.ts";

// Checks the generated county from the outside: registry conformance, geometry, and the story it
// tells a planner, measured with turf (great-circle distances), never with the generator's helpers.

const county = generateDemoCounty();
const LAYER_NAMES = ["townships", "villages", "hazards", "shelters", "depots", "teams", "roads", "waterways", "water_areas", "built_up", "places"] as const;

const at = (f: DemoFeature) => f.geometry.coordinates as Position;
const prop = <T = number>(f: DemoFeature, key: string) => f.properties[key] as T;
const total = (features: DemoFeature[], key: string) => features.reduce((sum, f) => sum + prop(f, key), 0);
const AS_OF = "2026-11-28";

describe("generateDemoCounty", () => {
  it("is deterministic: the same seed gives the same county, another seed another", () => {
    expect(generateDemoCounty()).toEqual(county);
    expect(generateDemoCounty(7)).not.toEqual(county);
  });

  it("has the size of a county", () => {
    const counts = Object.fromEntries(LAYER_NAMES.map((l) => [l, county[l].length]));
    expect(counts.townships).toBeGreaterThanOrEqual(12);
    expect(counts.townships).toBeLessThanOrEqual(18);
    expect(counts.villages).toBeGreaterThanOrEqual(250);
    expect(counts.villages).toBeLessThanOrEqual(350);
    expect(counts.hazards).toBeGreaterThanOrEqual(50);
    expect(counts.hazards).toBeLessThanOrEqual(70);
    expect(counts.shelters).toBeGreaterThanOrEqual(35);
    expect(counts.shelters).toBeLessThanOrEqual(45);
    expect(counts.depots).toBeGreaterThanOrEqual(20);
    expect(counts.depots).toBeLessThanOrEqual(30);
    expect(counts.teams).toBeGreaterThanOrEqual(25);
    expect(counts.teams).toBeLessThanOrEqual(35);
    expect(counts.roads).toBeGreaterThanOrEqual(300);
    expect(counts.roads).toBeLessThanOrEqual(600);
    expect(counts.waterways).toBeGreaterThanOrEqual(4);
    expect(counts.water_areas).toBeGreaterThanOrEqual(2);
    expect(counts.built_up).toBe(county.townships.length - 1);
    expect(counts.places).toBeGreaterThan(county.villages.length);
  });

  it("has a base to find one's way by: the river its roads bridge, its water, the reservoir, towns and place names", () => {
    const river = county.waterways.find((w) => w.properties.name === county.river.name)!;
    expect(river.properties.kind).toBe("river");
    expect(river.geometry.coordinates).toEqual(county.river.line);
    // every stream ends on the river it feeds
    for (const stream of county.waterways.filter((w) => w.properties.kind === "stream")) {
      const mouth = (stream.geometry.coordinates as Position[]).at(-1)!;
      expect(
        county.river.line.some((p) => p[0] === mouth[0] && p[1] === mouth[1]),
        String(stream.properties.name),
      ).toBe(true);
    }
    // the river's water covers its centre line; the reservoir's lake is the reservoir hazard's outline
    const surface = county.water_areas.find((w) => w.properties.kind === "river")! as Feature<Polygon>;
    const mid = county.river.line[Math.floor(county.river.line.length / 2)]!;
    expect(booleanPointInPolygon(mid, surface)).toBe(true);
    const lake = county.water_areas.find((w) => w.properties.kind === "reservoir")!;
    const reservoir = county.hazards.find((h) => h.properties.kind === "reservoir" && h.geometry.type === "Polygon")!;
    expect(lake.geometry).toEqual(reservoir.geometry);
    expect(lake.properties.name).toBe(reservoir.properties.name);
    // the county seat, each township's seat and each village are named where they are
    const placeNamed = (name: unknown) => county.places.find((p) => p.properties.name === name);
    expect(county.places.filter((p) => p.properties.kind === "county_seat")).toHaveLength(1);
    for (const v of county.villages) expect(placeNamed(v.properties.name)?.geometry.coordinates, String(v.properties.name)).toEqual(v.geometry.coordinates);
    const towns = county.places.filter((p) => p.properties.kind === "town");
    expect(towns.length).toBe(county.built_up.length - 1);
    for (const t of towns) {
      const township = county.townships.find((x) => x.properties.name === t.properties.name) as Feature<Polygon | MultiPolygon>;
      expect(booleanPointInPolygon(at(t), township), String(t.properties.name)).toBe(true);
      const area = county.built_up.find((b) => b.properties.name === `${t.properties.name}建成区`) as Feature<Polygon>;
      expect(booleanPointInPolygon(at(t), area), `${t.properties.name} stands in its built-up area`).toBe(true);
    }
  });

  it.each(LAYER_NAMES)("%s conform to the layer registry, with unique names and codes", (name) => {
    const layer = findLayer(name)!;
    const fields = allFields(layer);
    const geometry = geometrySchema(layer.geometryTypes);
    const values = new Map(Object.entries(fields).map(([key, field]) => [key, valueSchema(field)]));
    const required = Object.entries(fields)
      .filter(([, field]) => field.required)
      .map(([key]) => key);
    const features: DemoFeature[] = county[name];
    for (const f of features) {
      expect(geometry.safeParse(f.geometry).success, `${f.properties.name} geometry`).toBe(true);
      for (const key of required) expect(f.properties).toHaveProperty(key);
      for (const [key, value] of Object.entries(f.properties)) {
        expect(values.has(key), `${name}.${key} is a registry field`).toBe(true);
        expect(values.get(key)!.safeParse(value).success, `${name}.${key} = ${JSON.stringify(value)}`).toBe(true);
      }
    }
    expect(new Set(features.map((f) => f.properties.name)).size).toBe(features.length);
    expect(new Set(features.map((f) => f.properties.code)).size).toBe(features.length);
  });

  it("has valid geometries with at most 6 decimals, every point strictly inside the county", () => {
    const outline = union(featureCollection(county.townships as Feature<Polygon | MultiPolygon>[]))!;
    for (const name of LAYER_NAMES) {
      for (const f of county[name]) {
        for (const v of [f.geometry.coordinates].flat(Infinity) as number[]) expect(Math.round(v * 1e6) / 1e6).toBe(v);
        expect(booleanValid(f as Feature)).toBe(true);
        if (f.geometry.type.endsWith("Polygon")) expect(kinks(f as Feature<Polygon>).features).toHaveLength(0);
        if (f.geometry.type === "Point") expect(booleanPointInPolygon(at(f), outline, { ignoreBoundary: true }), String(f.properties.name)).toBe(true);
      }
    }
  });

  it("tiles the county with townships: no gaps, no overlaps", () => {
    const townships = county.townships as Feature<Polygon | MultiPolygon>[];
    const outline = union(featureCollection(townships))!;
    // one piece without holes: no gap between townships
    expect(outline.geometry.type).toBe("Polygon");
    expect(outline.geometry.coordinates).toHaveLength(1);
    const sum = townships.reduce((s, t) => s + area(t), 0);
    expect(Math.abs(area(outline) - sum) / sum).toBeLessThan(1e-6);
    townships.forEach((a, i) =>
      townships.slice(i + 1).forEach((b) => {
        const overlap = intersect(featureCollection([a, b]));
        expect(overlap ? area(overlap) : 0).toBeLessThan(1);
      }),
    );
    expect(area(outline) / 1e6).toBeGreaterThan(800);
    const ring = (outline.geometry as Polygon).coordinates[0]!;
    const lons = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    expect(Math.min(...lons)).toBeGreaterThanOrEqual(104);
    expect(Math.min(...lats)).toBeGreaterThanOrEqual(30.6);
    expect(Math.max(...lons)).toBeLessThanOrEqual(104.6);
    expect(Math.max(...lats)).toBeLessThanOrEqual(31.1);
  });

  it("codes townships and villages as 统计用区划代码, each village inside its township", () => {
    for (const t of county.townships) expect(prop<string>(t, "admin_code")).toMatch(/^510199\d{3}000$/);
    expect(county.townships.some((t) => prop<string>(t, "name").endsWith("街道"))).toBe(true);
    const byCode = new Map(county.townships.map((t) => [prop<string>(t, "admin_code"), t]));
    for (const v of county.villages) {
      const township = byCode.get(prop<string>(v, "township_code"));
      expect(township, String(v.properties.name)).toBeDefined();
      expect(booleanPointInPolygon(at(v), township as Feature<Polygon | MultiPolygon>), String(v.properties.name)).toBe(true);
      expect(prop<string>(v, "admin_code").slice(0, 9)).toBe(prop<string>(v, "township_code").slice(0, 9));
      expect(prop<string>(v, "admin_code")).not.toMatch(/000$/);
    }
    expect(new Set(county.villages.map((v) => v.properties.admin_code)).size).toBe(county.villages.length);
  });

  it("has about 350,000 people in villages of 200–5,000, with plausible households and vulnerable people", () => {
    expect(total(county.villages, "population")).toBeGreaterThan(315_000);
    expect(total(county.villages, "population")).toBeLessThan(385_000);
    for (const v of county.villages) {
      const people = prop(v, "population");
      expect(people).toBeGreaterThanOrEqual(200);
      expect(people).toBeLessThanOrEqual(5000);
      expect(people / prop(v, "households")).toBeGreaterThan(2.4);
      expect(people / prop(v, "households")).toBeLessThan(3.2);
      expect(prop(v, "vulnerable") / people).toBeGreaterThanOrEqual(0.145);
      expect(prop(v, "vulnerable") / people).toBeLessThanOrEqual(0.305);
    }
  });

  it("builds names without doubling a character where a place meets what it names (竹河 not 竹河河, 龙山 not 龙山山)", () => {
    const named = Object.values(county).flatMap((layer) => (Array.isArray(layer) ? layer.map((f) => String(f.properties?.name ?? "")) : []));
    expect(named.length).toBeGreaterThan(800);
    // 中医医院 (a hospital of Chinese medicine) is the one real word with a doubled character
    const doubled = named.filter((n) => /(\p{Script=Han})\1/u.test(n.replace("中医医院", "")));
    expect(doubled).toEqual([]);
    expect(joinName("竹河", "河")).toBe("竹河");
    expect(joinName("龙山", "山森林火险区")).toBe("龙山森林火险区");
    expect(joinName("石场村", "委会院坝")).toBe("石场村委会院坝");
  });

  it("has every hazard kind, every risk level and every team type", () => {
    expect(new Set(county.hazards.map((h) => h.properties.kind))).toEqual(new Set(Object.keys(HAZARD_KINDS)));
    expect(new Set(county.hazards.map((h) => String(h.properties.risk_level)))).toEqual(new Set(Object.keys(RISK_LEVELS)));
    expect(new Set(county.teams.map((t) => t.properties.team_type))).toEqual(new Set(Object.keys(TEAM_TYPES)));
    expect(county.teams.some((t) => t.properties.status === "deployed")).toBe(true);
  });

  it("leaves some villages, all in the western hills, with no shelter within 5 km, and covers most", () => {
    const uncovered = county.villages.filter((v) => county.shelters.every((s) => distance(at(v), at(s)) > 5));
    expect(uncovered.length).toBeGreaterThan(0);
    expect(uncovered.length / county.villages.length).toBeLessThan(0.1);
    const middle = county.villages.reduce((s, v) => s + at(v)[0]!, 0) / county.villages.length;
    for (const v of uncovered) expect(at(v)[0]).toBeLessThan(middle);
  });

  it("leaves one township clearly short of shelter places for its people", () => {
    const ratios = county.townships
      .map((t) => {
        const inside = (f: DemoFeature) => booleanPointInPolygon(at(f), t as Feature<Polygon | MultiPolygon>);
        return total(county.shelters.filter(inside), "capacity") / total(county.villages.filter(inside), "population");
      })
      .sort((a, b) => a - b);
    // the worst has under a third of the places per person of the next worst
    expect(ratios[0]! * 3).toBeLessThan(ratios[1]!);
  });

  it("has one county depot and at least one depot below its standard floor area", () => {
    const depots = county.depots;
    expect(depots.filter((d) => d.properties.level === "county")).toHaveLength(1);
    const standard = (d: DemoFeature) => DEPOT_STANDARD_AREA_M2[prop<keyof typeof DEPOT_STANDARD_AREA_M2>(d, "level")];
    expect(depots.some((d) => prop(d, "floor_area_m2") < standard(d))).toBe(true);
  });

  it("stocks depots from the catalogue: the county depot everything, some rows low, some food expiring", () => {
    const codes = ITEMS.map((i) => i.code);
    const countyDepot = county.depots.find((d) => d.properties.level === "county")!;
    expect(countyDepot.stock.map((r) => r.item)).toEqual(codes);
    const rows: DemoCounty["depots"][number]["stock"] = county.depots.flatMap((d) => d.stock);
    for (const r of rows) {
      expect(codes).toContain(r.item);
      expect(Number.isInteger(r.quantity) && r.quantity >= 0).toBe(true);
      expect(Number.isInteger(r.reorder_level) && r.reorder_level >= 0).toBe(true);
      if (r.expires_on !== null) expect(r.expires_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const d of county.depots) expect(new Set(d.stock.map((r) => r.item)).size).toBe(d.stock.length);
    expect(rows.some((r) => r.quantity < r.reorder_level)).toBe(true);
    expect(rows.some((r) => r.expires_on !== null && r.expires_on < AS_OF)).toBe(true);
    expect(rows.some((r) => r.expires_on !== null && r.expires_on >= AS_OF && r.expires_on <= "2027-01-31")).toBe(true);
  });

  it("keeps shelters mostly open and empty, with a few occupied or closed", () => {
    const shelters = county.shelters;
    const occupied = shelters.filter((s) => prop(s, "occupancy") > 0);
    expect(occupied.length).toBeGreaterThan(0);
    expect(occupied.length).toBeLessThan(shelters.length / 4);
    for (const s of shelters) expect(prop(s, "occupancy")).toBeLessThanOrEqual(prop(s, "capacity"));
    const closed = shelters.filter((s) => s.properties.status === "closed");
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.length).toBeLessThan(shelters.length / 4);
    expect(shelters.some((s) => prop(s, "effective_area_m2") / prop(s, "capacity") < 1.5)).toBe(true);
  });
});

// The roads, checked as a user of the data would: lines, their shared vertices, the river they must
// keep to one bank of, and distances along them (turf great-circle km, Dijkstra by graphology).
describe("the demo county's roads", () => {
  const roads = county.roads;
  const line = (r: DemoFeature) => r.geometry.coordinates as Position[];
  const key = (p: Position) => `${p[0]},${p[1]}`;
  const river = lineString(county.river.line);
  const of = (roadClass: string) => roads.filter((r) => r.properties.road_class === roadClass);
  const lengthKm = (r: DemoFeature) => line(r).reduce((s, p, i, all) => (i === 0 ? 0 : s + distance(all[i - 1]!, p)), 0);
  const open = roads.filter((r) => r.properties.status !== "closed");
  /** The open network as a graph of its vertices: roads join where they share one. */
  const graph = new MultiUndirectedGraph();
  for (const r of open) {
    line(r).forEach((p) => graph.mergeNode(key(p), { p }));
    line(r)
      .slice(1)
      .forEach((p, i) => graph.addEdge(key(line(r)[i]!), key(p), { km: distance(line(r)[i]!, p) }));
  }
  const vertices = graph.nodes().map((n) => graph.getNodeAttribute(n, "p") as Position);
  const nearestVertex = (p: Position) => vertices.reduce((best, v) => (distance(p, v) < distance(p, best) ? v : best));

  it("has a national road along the river, county roads, township and village roads, and tracks, mostly at their class's speed", () => {
    const national = of("national");
    expect(national).toHaveLength(1);
    expect(lengthKm(national[0]!)).toBeGreaterThan(25);
    // along the valley: every vertex within 3 km of the river, none on it
    for (const p of line(national[0]!)) expect(pointToLineDistance(p, river)).toBeLessThan(3);
    expect(of("county").length).toBeGreaterThanOrEqual(14);
    expect(of("township").length).toBeGreaterThan(10);
    expect(of("village").length).toBeGreaterThan(200);
    expect(of("other").length).toBeGreaterThan(5);
    const km = roads.reduce((s, r) => s + lengthKm(r), 0);
    // a rural Sichuan county has some 0.4–1 km of road per km²
    expect((km / area(union(featureCollection(county.townships as Feature<Polygon | MultiPolygon>[]))!)) * 1e6).toBeGreaterThan(0.4);
    const withSpeed = roads.filter((r) => r.properties.speed_kmh !== undefined);
    expect(withSpeed.length).toBeGreaterThan(0);
    expect(withSpeed.length).toBeLessThan(roads.length / 10);
  });

  it("keeps every road inside the county, with distinct consecutive vertices", () => {
    const outline = union(featureCollection(county.townships as Feature<Polygon | MultiPolygon>[]))!;
    for (const r of roads) {
      expect(line(r).length).toBeGreaterThanOrEqual(2);
      for (const p of line(r)) expect(booleanPointInPolygon(p, outline), String(r.properties.name)).toBe(true);
      line(r)
        .slice(1)
        .forEach((p, i) => expect(distance(line(r)[i]!, p) * 1000, String(r.properties.name)).toBeGreaterThan(1));
    }
  });

  it("crosses the river only on its few bridges, each once, and runs into the reservoir only to reach a village drawn inside it", () => {
    const bridges = roads.filter((r) => r.properties.bridge === true);
    expect(bridges.length).toBeGreaterThanOrEqual(2);
    expect(bridges.length).toBeLessThanOrEqual(4);
    for (const r of roads) expect(lineIntersect(r as Feature<LineString>, river).features.length, String(r.properties.name)).toBe(r.properties.bridge ? 1 : 0);
    const reservoir = county.hazards.find((h) => h.properties.kind === "reservoir" && h.geometry.type === "Polygon")!;
    const inside = county.villages.filter((v) => booleanPointInPolygon(at(v), reservoir as Feature<Polygon>));
    for (const r of roads) {
      const reaching = inside.some((v) => [line(r)[0], line(r).at(-1)].some((end) => key(end!) === key(at(v))));
      expect(booleanIntersects(r as Feature, reservoir as Feature), String(r.properties.name)).toBe(reaching);
    }
  });

  it("joins its roads at shared vertices into one network, bridges only at their two ends", () => {
    const seen = new Set<string>();
    const stack = [graph.nodes()[0]!];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...graph.neighbors(n));
    }
    expect(seen.size).toBe(graph.order);
    const others = (bridge: DemoFeature) => roads.filter((r) => r !== bridge).flatMap((r) => line(r).map(key));
    for (const bridge of roads.filter((r) => r.properties.bridge === true)) {
      expect(line(bridge)).toHaveLength(2);
      for (const end of line(bridge)) expect(others(bridge)).toContain(key(end));
    }
  });

  it("reaches every village, shelter, depot and team: each within 300 m of an open road's vertex", () => {
    for (const f of [...county.villages, ...county.shelters, ...county.depots, ...county.teams]) {
      expect(distance(at(f), nearestVertex(at(f))) * 1000, String(f.properties.name)).toBeLessThan(300);
    }
  });

  it("has the road past the gravest landslide closed, and one road damaged", () => {
    const closed = roads.filter((r) => r.properties.status === "closed");
    expect(closed).toHaveLength(1);
    const landslide = county.hazards.filter((h) => h.properties.kind === "landslide").sort((a, b) => prop(a, "risk_level") - prop(b, "risk_level"))[0]!;
    expect(pointToLineDistance(at(landslide), closed[0] as Feature<LineString>) * 1000).toBeLessThan(prop(landslide, "influence_radius_m"));
    expect(roads.filter((r) => r.properties.status === "damaged")).toHaveLength(1);
  });

  it("tells its story: 石场村's nearest shelter in a straight line is across the river, 合湾村委会院坝 nearest by road", () => {
    const usable = county.shelters.filter((s) => s.properties.status === "open" && prop(s, "occupancy") < prop(s, "capacity"));
    const village = county.villages.find((v) => v.properties.name === "石场村")!;
    const byStraight = usable.reduce((a, b) => (distance(at(village), at(b)) < distance(at(village), at(a)) ? b : a));
    expect(byStraight.properties.name).toBe("石井村小学");
    expect(lineIntersect(lineString([at(village), at(byStraight)]), river).features).toHaveLength(1);
    // road km: on foot to the nearest vertex, along the roads, on foot from the vertex nearest the shelter
    const start = nearestVertex(at(village));
    const paths = dijkstra.singleSource(graph, key(start), "km");
    const byRoad = (s: DemoFeature) => {
      const end = nearestVertex(at(s));
      const path = paths[key(end)]!;
      const along = path.slice(1).reduce((sum, n, i) => sum + Math.min(...graph.edges(path[i]!, n).map((e) => graph.getEdgeAttribute(e, "km") as number)), 0);
      return distance(at(village), start) + along + distance(end, at(s));
    };
    const ranked = [...usable].sort((a, b) => byRoad(a) - byRoad(b));
    expect(ranked[0]!.properties.name).toBe("合湾村委会院坝");
    expect(lineIntersect(lineString([at(village), at(ranked[0]!)]), river).features).toHaveLength(0);
    expect(byRoad(byStraight)).toBeGreaterThan(4 * distance(at(village), at(byStraight)));
    expect(byRoad(byStraight)).toBeGreaterThan(3 * byRoad(ranked[0]!));
  });
});
