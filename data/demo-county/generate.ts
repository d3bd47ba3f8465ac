import { booleanPointInPolygon, buffer, distance, featureCollection, intersect, lineSliceAlong, lineString, point, polygon, voronoi } from "@turf/turf";
import type { Feature, MultiPolygon, Polygon, Position } from "geojson";
import { ITEMS } from "../items.ts";
import { DEPOT_STANDARD_AREA_M2 } from "../../server/layers/depots.ts";
import type { HAZARD_KINDS } from "../../server/layers/hazards.ts";
import type { TEAM_TYPES } from "../../server/layers/teams.ts";
import { createRandom, type Random } from "./random.ts";
import {
  compose,
  gullyName,
  HAZARD_NAMES,
  mobilePhone,
  personName,
  placeStem,
  joinName,
  SHELTER_NAMES,
  uniqueNames,
  urbanStem,
  VILLAGE_SHELTER_NAMES,
  type Terrain,
} from "./names.ts";

export interface DemoFeature {
  type: "Feature";
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}
export interface DemoStockRow {
  item: string;
  quantity: number;
  reorder_level: number;
  expires_on: string | null;
}
export interface DemoCounty {
  townships: DemoFeature[];
  villages: DemoFeature[];
  hazards: DemoFeature[];
  shelters: DemoFeature[];
  depots: (DemoFeature & { stock: DemoStockRow[] })[];
  teams: DemoFeature[];
  roads: DemoFeature[];
  waterways: DemoFeature[];
  water_areas: DemoFeature[];
  built_up: DemoFeature[];
  places: DemoFeature[];
  /** The river's centre line (also the waterway of its name): every road but a bridge keeps to one bank of it. */
  river: { name: string; line: LonLat[] };
}

type HazardKind = keyof typeof HAZARD_KINDS;
type TeamType = keyof typeof TEAM_TYPES;
type SiteKind = keyof typeof SHELTER_NAMES;
type LonLat = [number, number];
/** Kilometres east and north of ORIGIN: the county is drawn in this local plane. */
type XY = [number, number];

const COUNTY = "示范县";
/** Not a real county: Chengdu (5101) has no county 99. */
const COUNTY_CODE = "510199";
const ORIGIN: LonLat = [104.3, 30.85];
const KM_PER_DEG_LON = 111.32 * Math.cos((ORIGIN[1] * Math.PI) / 180);
const KM_PER_DEG_LAT = 110.574;
const TOWN: XY = [11, -3];
const INDUSTRIAL_PARK: XY = [14.5, -1.2];
const TOWNSHIP_COUNT = 15;
const VILLAGE_COUNT = 300;
const POPULATION = 350_000;
const SHELTER_COUNT = 40;
const VILLAGE_DEPOT_COUNT = 11;
/** The planner's yardstick: a village should have a shelter within this distance. */
const SHELTER_REACH_KM = 5;
/** The day the data describes; inspection and expiry dates fall around it. */
const AS_OF = Date.UTC(2026, 10, 28);
const TAU = 2 * Math.PI;

/** Risk levels of each kind's hazards, most severe first; also how many there are of each kind. */
const HAZARD_RISKS: Record<HazardKind, number[]> = {
  chemical_plant: [1, 1, 2, 2, 3, 3],
  fireworks: [2, 3],
  fuel_station: [3, 3, 3, 3, 4, 4, 4, 4, 4, 4],
  mine: [2, 3, 3, 4],
  tailings_pond: [1, 2],
  landslide: [1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4],
  collapse: [2, 3, 3, 3, 4, 4],
  debris_flow: [1, 2, 3, 3],
  flood_zone: [1, 2, 2, 3, 3],
  reservoir: [2, 3],
  forest_fire_zone: [1, 2, 3, 3],
  other: [2, 3],
};
/** Influence radius by kind in metres, [risk 4, risk 1]: the more severe, the further it reaches. */
const HAZARD_RADIUS_M: Record<HazardKind, [number, number]> = {
  chemical_plant: [1000, 3000],
  fireworks: [500, 1500],
  fuel_station: [200, 500],
  mine: [300, 1000],
  tailings_pond: [800, 2000],
  landslide: [200, 800],
  collapse: [100, 500],
  debris_flow: [300, 1000],
  flood_zone: [0, 300],
  reservoir: [500, 2000],
  forest_fire_zone: [0, 500],
  other: [100, 500],
};
const SHELTER_TYPE: Record<SiteKind, "indoor" | "outdoor" | "mixed"> = {
  school: "mixed",
  park: "outdoor",
  square: "outdoor",
  stadium: "indoor",
  community_centre: "indoor",
};
const EXTRA_FACILITIES = ["lighting", "broadcast", "medical", "kitchen", "shower"];
/** What the county depot holds of each item; township and village depots hold a fraction. */
const COUNTY_STOCK: Record<string, number> = {
  tent: 800,
  quilt: 3000,
  folding_bed: 1500,
  life_jacket: 1200,
  generator: 30,
  water: 2500,
  food: 2500,
  sandbag: 30_000,
  boat: 12,
  pump: 40,
  extinguisher: 600,
  first_aid_kit: 800,
  raincoat: 1500,
  flashlight: 1200,
  chainsaw: 30,
  wind_extinguisher: 80,
};
const STOCK_SCALE = { county: 1, township: 0.06, village: 0.01 };
const VILLAGE_ITEMS = ["tent", "quilt", "water", "food", "flashlight", "raincoat", "first_aid_kit", "extinguisher", "life_jacket", "sandbag"];
const PERISHABLE = new Set(["water", "food"]);

interface Township {
  name: string;
  stem: string;
  kind: "街道" | "镇" | "乡";
  adminCode: string;
  seat: LonLat;
  geometry: Polygon | MultiPolygon;
}
interface Village {
  name: string;
  adminCode: string;
  township: Township;
  at: LonLat;
  population: number;
}
interface Hazard {
  kind: HazardKind;
  at: LonLat;
  feature: DemoFeature;
}
interface Shelter {
  at: LonLat;
  township: Township;
  site: SiteKind;
  name: string;
  capacity: number;
  shelterClass: "I" | "II" | "III";
}
interface County {
  outline: Feature<Polygon>;
  radius(angle: number): number;
}
interface World {
  random: Random;
  county: County;
  river: LonLat[];
  riverName: string;
  townships: Township[];
  villages: Village[];
}

/**
 * A fictional county in Sichuan (示范县), the same for the same seed: hills in the west and north-west,
 * a plain in the east with the county town, a river across it, and a planner's story in the data —
 * remote mountain villages beyond 5 km of any shelter, a populous township short of shelter places,
 * a township depot below its standard floor area.
 */
export function generateDemoCounty(seed = 20261128): DemoCounty {
  const random = createRandom(seed);
  const county = drawCounty(random);
  const river = drawRiver(random);
  const townships = drawTownships(random, county);
  const villages = drawVillages(random, townships);
  const world: World = { random, county, river, riverName: joinName(placeStem(random, "plain"), "河"), townships, villages };
  const hazards = drawHazards(world);
  // the gravest landslide (drawn first) has just driven people into shelters
  const landslide = hazards.find((h) => h.kind === "landslide")!.at;
  const drawn = {
    townships: townships.map((t, i) => feature(t.geometry, { name: t.name, code: `demo-township-${pad(i + 1)}`, admin_code: t.adminCode })),
    villages: villages.map((v, i) => villageFeature(random, v, i)),
    hazards: hazards.map((h) => h.feature),
    shelters: shelterFeatures(world, drawShelters(world), landslide),
    depots: drawDepots(world),
    teams: drawTeams(world, hazards, landslide),
  };
  // roads last, so the county drawn before them stays the same as it was before it had roads
  const sites = [...drawn.shelters, ...drawn.depots, ...drawn.teams].map((f) => ({ name: String(f.properties.name), at: f.geometry.coordinates as LonLat }));
  const roads = drawRoads(world, hazards, sites);
  // the base map last, so everything drawn before it stays as it was before the county had one
  return { ...drawn, roads, ...drawBaseMap(world, hazards), river: { name: world.riverName, line: river } };
}

// ── the local plane ───────────────────────────────────────────────────────────────────────────────

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const pad = (n: number) => String(n).padStart(3, "0");
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Rounded to 6 decimals (~0.1 m) at birth, so every later test sees the coordinates that are output. */
function toLonLat([x, y]: XY): LonLat {
  return [round6(ORIGIN[0] + x / KM_PER_DEG_LON), round6(ORIGIN[1] + y / KM_PER_DEG_LAT)];
}

function toXY([lon, lat]: LonLat): XY {
  return [(lon - ORIGIN[0]) * KM_PER_DEG_LON, (lat - ORIGIN[1]) * KM_PER_DEG_LAT];
}

function offset(at: LonLat, km: number, angle: number): LonLat {
  const [x, y] = toXY(at);
  return toLonLat([x + km * Math.cos(angle), y + km * Math.sin(angle)]);
}

/** Great-circle kilometres, as the planner's coverage radius is measured. */
function km(a: LonLat, b: LonLat): number {
  return distance(a, b);
}

function nearest<T>(items: readonly T[], at: LonLat, where: (item: T) => LonLat): T {
  if (items.length === 0) throw new Error("nearest of nothing");
  return items.reduce((best, item) => (km(at, where(item)) < km(at, where(best)) ? item : best));
}

/** 0 on the plain … 1 in the hills, which rise to the west and north-west as the Longmen foothills do. */
function relief(at: LonLat): number {
  const [x, y] = toXY(at);
  return clamp(0.5 + (-0.9 * x + 0.45 * y + 2.5 * Math.sin(y / 4) - 2) / 8, 0, 1);
}

const terrain = (at: LonLat): Terrain => (relief(at) > 0.5 ? "hill" : "plain");

/** `YYYY-MM-DD`, `days` after AS_OF (before it when negative). */
function day(days: number): string {
  return new Date(AS_OF + Math.round(days) * 86_400_000).toISOString().slice(0, 10);
}

function feature(geometry: DemoFeature["geometry"], properties: Record<string, unknown>): DemoFeature {
  return { type: "Feature", geometry, properties };
}

/** Coordinates rounded to 6 decimals with the repeats that rounding makes dropped. */
function tidy(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const ring = (positions: Position[]) =>
    positions.map((p) => [round6(p[0]!), round6(p[1]!)]).filter((p, i, all) => i === 0 || p[0] !== all[i - 1]![0] || p[1] !== all[i - 1]![1]);
  return geometry.type === "Polygon"
    ? { type: "Polygon", coordinates: geometry.coordinates.map(ring) }
    : { type: "MultiPolygon", coordinates: geometry.coordinates.map((rings) => rings.map(ring)) };
}

// ── the county, its river and townships ──────────────────────────────────────────────────────────

/**
 * A star-shaped outline around ORIGIN (so always a simple polygon) of 1,000–1,300 km², kept within
 * 104.0–104.6°E, 30.6–31.1°N and reaching well beyond the county town.
 */
function drawCounty(random: Random): County {
  const shape = retry(
    () => {
      const phase = Array.from({ length: 4 }, () => random.uniform(0, TAU));
      const radius = (a: number) =>
        19 *
        (1 + 0.13 * Math.sin(2 * a + phase[0]!) + 0.09 * Math.sin(3 * a + phase[1]!) + 0.06 * Math.sin(5 * a + phase[2]!) + 0.03 * Math.sin(7 * a + phase[3]!));
      const radii = Array.from({ length: 60 }, (_, i) => radius((TAU * i) / 60));
      return { radius, radii };
    },
    ({ radius, radii }) => radius(Math.atan2(TOWN[1], TOWN[0])) > 17 && Math.max(...radii) < 24,
  );
  const ring = shape.radii.map((r, i) => {
    const a = (TAU * i) / shape.radii.length;
    const jittered = r + random.normal(0, 0.3);
    return toLonLat([jittered * Math.cos(a), jittered * Math.sin(a)]);
  });
  return { outline: polygon([[...ring, ring[0]!]]), radius: shape.radius };
}

function contains(county: County, at: LonLat): boolean {
  return booleanPointInPolygon(at, county.outline, { ignoreBoundary: true });
}

/** Whether `at` is within `reach` (a fraction) of the county's smooth radius: well inside the border. */
function inCore(county: County, at: LonLat, reach: number): boolean {
  const [x, y] = toXY(at);
  return Math.hypot(x, y) < reach * county.radius(Math.atan2(y, x));
}

/** Draws until one is accepted; every constraint here is loose enough to need only a few hundred draws. */
function retry<T>(draw: () => T, accept: (value: T) => boolean): T {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const value = draw();
    if (accept(value)) return value;
  }
  throw new Error("no draw satisfies the constraint");
}

/** Draws until a point is strictly inside the county and accepted. */
function drawInside(county: County, draw: () => LonLat, accept: (at: LonLat) => boolean = () => true): LonLat {
  return retry(draw, (at) => contains(county, at) && accept(at));
}

/** Uniform over the county's core (within `reach` of its radius), so it never lands on the border. */
function interior(random: Random, county: County, accept?: (at: LonLat) => boolean, reach = 0.85): LonLat {
  return drawInside(
    county,
    () => {
      const a = random.uniform(0, TAU);
      const r = reach * county.radius(a) * Math.sqrt(random.next());
      return toLonLat([r * Math.cos(a), r * Math.sin(a)]);
    },
    accept,
  );
}

function near(random: Random, county: County, at: LonLat, minKm: number, maxKm: number, accept?: (at: LonLat) => boolean): LonLat {
  return drawInside(county, () => offset(at, random.uniform(minKm, maxKm), random.uniform(0, TAU)), accept);
}

/**
 * A meandering river from the north-western hills to the south-east, entering and leaving the county.
 * It is a graph over its axis (never doubling back), so the line is simple; it bends to pass the
 * county town on its southern side, as the old towns of the Chengdu plain sit on their rivers.
 */
function drawRiver(random: Random): LonLat[] {
  const start: XY = [-28, 12];
  const end: XY = [30, -13];
  const length = Math.hypot(end[0] - start[0], end[1] - start[1]);
  const along: XY = [(end[0] - start[0]) / length, (end[1] - start[1]) / length];
  const across: XY = [-along[1], along[0]];
  const phase = [random.uniform(0, TAU), random.uniform(0, TAU), random.uniform(0, TAU)] as const;
  const wave = (u: number) =>
    2.2 * Math.sin((TAU * u) / 45 + phase[0]) + 0.35 * Math.sin((TAU * u) / 3.1 + phase[1]) + 0.12 * Math.sin((TAU * u) / 1.3 + phase[2]);
  const town: XY = [TOWN[0] - start[0], TOWN[1] - start[1]];
  const uTown = town[0] * along[0] + town[1] * along[1];
  const shift = town[0] * across[0] + town[1] * across[1] - 1.3 - wave(uTown);
  const v = (u: number) => wave(u) + shift * Math.exp(-(((u - uTown) / 12) ** 2));
  return Array.from({ length: Math.floor(length / 0.3) + 1 }, (_, i) => {
    const u = i * 0.3;
    return toLonLat([start[0] + along[0] * u + across[0] * v(u), start[1] + along[1] * u + across[1] * v(u)]);
  });
}

/**
 * Voronoi cells of township seats clipped to the outline, so the townships tile the county exactly.
 * Two 街道 share the county town.
 */
function drawTownships(random: Random, county: County): Township[] {
  const seats = [
    [-1.6, 1.2],
    [1.7, -1.0],
  ].map(([dx, dy]) => toLonLat([TOWN[0] + dx!, TOWN[1] + dy!]));
  while (seats.length < TOWNSHIP_COUNT) {
    // Mitchell's best candidate, distances stretched where people are dense: townships hold similar
    // numbers of people, so they are small round the county town and large in the hills
    const candidates = Array.from({ length: 25 }, () => interior(random, county, undefined, 0.8));
    const spacing = (c: LonLat) => Math.min(...seats.map((s) => km(c, s))) * Math.sqrt(density(c));
    seats.push(candidates.reduce((best, c) => (spacing(c) > spacing(best) ? c : best)));
  }
  const cells = voronoi(featureCollection(seats.map((s) => point(s))), { bbox: [103.5, 30, 105.1, 31.7] });
  const names = uniqueNames();
  const drafts = seats.map((seat, i) => {
    const kind = i < 2 ? "街道" : relief(seat) > 0.6 ? "乡" : "镇";
    const stem = names(() => (kind === "街道" ? urbanStem(random) : placeStem(random, terrain(seat))));
    const cell = intersect(featureCollection([cells.features[i]!, county.outline]))!;
    return { name: stem + kind, stem, kind, seat, geometry: tidy(cell.geometry) } as const;
  });
  // 统计用区划代码: 街道 001–, 镇 101–, 乡 201–, numbered outward from the county town
  const town = toLonLat(TOWN);
  const numbered = (kind: Township["kind"], first: number) =>
    drafts
      .filter((d) => d.kind === kind)
      .sort((a, b) => km(town, a.seat) - km(town, b.seat))
      .map((d, i) => ({ ...d, adminCode: `${COUNTY_CODE}${pad(first + i)}000` }));
  return [...numbered("街道", 1), ...numbered("镇", 101), ...numbered("乡", 201)];
}

function townshipOf(townships: Township[], at: LonLat): Township {
  return townships.find((t) => booleanPointInPolygon(at, t.geometry)) ?? nearest(townships, at, (t) => t.seat);
}

// ── villages ─────────────────────────────────────────────────────────────────────────────────────

/** Relative density of settlement: highest around the county town, lowest in the hills. */
function density(at: LonLat): number {
  return 0.35 + 0.65 * (1 - relief(at)) + 3 * Math.exp(-km(at, toLonLat(TOWN)) / 3.5);
}

/** Villages per township in proportion to its people (density summed over a 1 km grid), at least 5 each. */
function villageCounts(townships: Township[]): number[] {
  const weights = townships.map((t) => {
    const [minX, minY, maxX, maxY] = bounds(t.geometry);
    const [x0, y0] = toXY([minX, minY]);
    const [x1, y1] = toXY([maxX, maxY]);
    let weight = 0;
    for (let x = x0 + 0.5; x < x1; x++) {
      for (let y = y0 + 0.5; y < y1; y++) {
        const at = toLonLat([x, y]);
        if (booleanPointInPolygon(at, t.geometry)) weight += density(at);
      }
    }
    return weight;
  });
  const total = sum(weights);
  const quotas = weights.map((w) => Math.max(5, (VILLAGE_COUNT * w) / total));
  const counts = quotas.map(Math.floor);
  // largest remainder, so the counts add up to VILLAGE_COUNT
  const byRemainder = quotas.map((q, i) => [i, q - Math.floor(q)] as const).sort((a, b) => b[1] - a[1]);
  for (const [i] of byRemainder.slice(0, Math.max(0, VILLAGE_COUNT - sum(counts)))) counts[i]!++;
  return counts;
}

/** Planar area of a lon/lat polygon in km² (shoelace in the local plane); good to a fraction of a percent here. */
function areaKm2(geometry: Polygon | MultiPolygon): number {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const ringArea = (ring: Position[]) =>
    Math.abs(
      sum(
        ring.slice(1).map((p, i) => {
          const [x0, y0] = toXY(ring[i] as LonLat);
          const [x1, y1] = toXY(p as LonLat);
          return x0 * y1 - x1 * y0;
        }),
      ),
    ) / 2;
  return sum(polygons.map(([outer, ...holes]) => ringArea(outer!) - sum(holes.map(ringArea))));
}

function drawVillages(random: Random, townships: Township[]): Village[] {
  const names = uniqueNames();
  const counts = villageCounts(townships);
  const placed: LonLat[] = [];
  const villages = townships.flatMap((t, ti) => {
    const n = counts[ti]!;
    // half the mean spacing keeps villages apart without making the packing impossible
    const spacing = 0.5 * Math.sqrt(areaKm2(t.geometry) / n);
    const [minX, minY, maxX, maxY] = bounds(t.geometry);
    const points: LonLat[] = [];
    for (let attempt = 0; points.length < n; attempt++) {
      if (attempt > 50_000) throw new Error(`cannot place the villages of ${t.name}`);
      // the first is the seat's own community (场镇), the rest fall where people settle
      const at: LonLat =
        points.length === 0
          ? offset(t.seat, random.uniform(0.1, 0.3), random.uniform(0, TAU))
          : [round6(random.uniform(minX, maxX)), round6(random.uniform(minY, maxY))];
      if (!booleanPointInPolygon(at, t.geometry, { ignoreBoundary: true })) continue;
      if (points.length > 0 && !random.chance(density(at) / 4.5)) continue;
      if (placed.some((p) => km(p, at) < spacing)) continue;
      points.push(at);
      placed.push(at);
    }
    const seat = points[0]!;
    // 统计用区划代码: 居委会 (社区) 001–, 村委会 201–. The seat of a 镇 or 乡 is a 社区; a 街道 is
    // 社区 in the county town and 村 beyond it.
    const numbers = { community: 0, village: 200 };
    return points
      .sort((a, b) => km(seat, a) - km(seat, b))
      .map((at, i) => {
        const community = t.kind === "街道" ? km(at, toLonLat(TOWN)) < 3 : i === 0;
        // the seat's community is named after its township, the town's after its streets, while free
        const stem = (attempt: number) =>
          i === 0 && t.kind !== "街道" && attempt === 0 ? t.stem : community && attempt < 20 ? urbanStem(random) : placeStem(random, terrain(at));
        const name = names((attempt) => stem(attempt) + (community ? "社区" : "村"));
        const number = community ? ++numbers.community : ++numbers.village;
        return { township: t, at, name, adminCode: t.adminCode.slice(0, 9) + pad(number) };
      })
      .sort((a, b) => a.adminCode.localeCompare(b.adminCode));
  });
  // people gather on the plain and round the county town; hill villages are small
  const raw = villages.map((v) => (500 + 1200 * (1 - relief(v.at)) + 2600 * Math.exp(-km(v.at, toLonLat(TOWN)) / 3)) * Math.exp(random.normal(0, 0.35)));
  const scale = POPULATION / sum(raw);
  return villages.map((v, i) => ({ ...v, population: clamp(Math.round(raw[i]! * scale), 200, 5000) }));
}

function bounds(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  const positions = (geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates).flat(2);
  const lons = positions.map((p) => p[0]!);
  const lats = positions.map((p) => p[1]!);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

function villageFeature(random: Random, v: Village, i: number): DemoFeature {
  // left-behind elders make hill villages older: 15 % of people vulnerable on the plain, up to 30 % in the hills
  const vulnerableShare = clamp(0.15 + 0.13 * relief(v.at) + random.uniform(-0.02, 0.02), 0.15, 0.3);
  return feature(
    { type: "Point", coordinates: v.at },
    {
      name: v.name,
      code: `demo-village-${pad(i + 1)}`,
      admin_code: v.adminCode,
      township_code: v.township.adminCode,
      population: v.population,
      households: Math.round(v.population / random.uniform(2.6, 3.0)),
      vulnerable: Math.round(v.population * vulnerableShare),
    },
  );
}

// ── hazards ──────────────────────────────────────────────────────────────────────────────────────

function drawHazards(world: World): Hazard[] {
  const { random, county, villages, townships, riverName } = world;
  const names = uniqueNames();
  const stems = uniqueNames();
  const hazards: Hazard[] = [];
  const drawn = (kind: HazardKind) => hazards.filter((h) => h.kind === kind).length;
  const repeat = (kind: HazardKind, draw: (i: number) => void) => HAZARD_RISKS[kind].forEach((_, i) => draw(i));
  const pointAt = (at: LonLat) => ({ type: "Point", coordinates: at });
  const add = (kind: HazardKind, at: LonLat, geometry: DemoFeature["geometry"], name: string, unit: string, description: string) => {
    const risk = HAZARD_RISKS[kind][drawn(kind)]!;
    const [least, most] = HAZARD_RADIUS_M[kind];
    const radius = least + ((most - least) * (4 - risk + random.uniform(-0.3, 0.3))) / 3;
    hazards.push({
      kind,
      at,
      feature: feature(geometry, {
        name,
        code: `demo-hazard-${pad(hazards.length + 1)}`,
        kind,
        risk_level: risk,
        influence_radius_m: clamp(Math.round(radius / 50) * 50, least, most),
        responsible_unit: unit,
        contact: personName(random),
        phone: mobilePhone(random),
        // the graver the risk, the more recent the inspection
        last_inspected: day(-random.uniform(3, 30 + 50 * risk)),
        description,
      }),
    });
  };

  // the industrial park at the county town's edge: chemical plants inside, fireworks stores a little out
  const park = toLonLat(INDUSTRIAL_PARK);
  repeat("chemical_plant", (i) => {
    const at = near(random, county, park, 0, 0.9);
    const name = names(() => compose(random, HAZARD_NAMES.chemical_plant, placeStem(random, "plain")));
    const major = HAZARD_RISKS.chemical_plant[i] === 1 ? "，构成重大危险源" : "";
    add("chemical_plant", at, pointAt(at), name, name, `储存${random.pick(["液氯", "液氨", "甲醇", "硫酸", "二甲苯", "液化石油气"])}等危险化学品${major}`);
  });
  repeat("fireworks", () => {
    const at = near(random, county, park, 1.5, 3);
    const name = names(() => compose(random, HAZARD_NAMES.fireworks, placeStem(random, "plain")));
    add("fireworks", at, pointAt(at), name, name, `烟花爆竹批发储存仓库，核定储量${random.int(5, 30)}吨`);
  });

  // fuel stations: two in the county town, the others on the roads from township seats towards it
  const town = toLonLat(TOWN);
  const roadside = random.sample(
    townships.filter((t) => t.kind !== "街道"),
    HAZARD_RISKS.fuel_station.length - 2,
  );
  repeat("fuel_station", (i) => {
    const t = roadside[i - 2];
    const at = t
      ? drawInside(county, () => {
          const [sx, sy] = toXY(t.seat);
          const f = random.uniform(0.05, 0.3);
          return toLonLat([sx + f * (TOWN[0] - sx) + random.normal(0, 0.1), sy + f * (TOWN[1] - sy) + random.normal(0, 0.1)]);
        })
      : near(random, county, town, 1.5, 3);
    const name = names(() => compose(random, HAZARD_NAMES.fuel_station, t ? t.stem : urbanStem(random)));
    const unit = name.startsWith("中国石化")
      ? "中国石化销售股份有限公司四川示范分公司"
      : name.startsWith("中国石油")
        ? "中国石油天然气股份有限公司四川示范销售分公司"
        : `${COUNTY}${name.replace("加油站", "")}石油经营部`;
    add("fuel_station", at, pointAt(at), name, unit, `汽柴油储罐${random.int(3, 6)}个，总容量${random.int(60, 150)}立方米`);
  });

  // mines deep in the hills, a tailings pond beside the first ones
  const mines: { at: LonLat; company: string; stem: string }[] = [];
  repeat("mine", () => {
    const at = interior(random, county, (p) => relief(p) > 0.75 && mines.every((m) => km(m.at, p) > 3));
    const stem = stems(() => placeStem(random, "hill"));
    const company = `${COUNTY}${stem}矿业有限公司`;
    mines.push({ at, company, stem });
    add(
      "mine",
      at,
      pointAt(at),
      names(() => compose(random, HAZARD_NAMES.mine, stem)),
      company,
      `露天开采，年产${random.int(10, 80)}万吨`,
    );
  });
  repeat("tailings_pond", (i) => {
    const mine = mines[i % mines.length]!;
    const at = near(random, county, mine.at, 0.4, 0.9);
    add(
      "tailings_pond",
      at,
      pointAt(at),
      names(() => compose(random, HAZARD_NAMES.tailings_pond, mine.stem)),
      mine.company,
      `${random.pick(["四等", "五等"])}库，坝高${random.int(15, 45)}米`,
    );
  });

  // geological hazards cluster in a few hill valleys, each above a village it threatens
  const valleys: LonLat[] = [];
  for (let i = 0; i < 3; i++) valleys.push(interior(random, county, (p) => relief(p) > 0.75 && valleys.every((c) => km(c, p) > 6)));
  const hillVillages = villages.filter((v) => relief(v.at) > 0.45);
  const threatened = () => random.weighted(hillVillages.map((v) => [v, 0.05 + sum(valleys.map((c) => Math.exp(-((km(c, v.at) / 4) ** 2))))] as const));
  const threat = (v: Village) => {
    const households = random.int(3, 40);
    return `威胁${v.name}${households}户${Math.round(households * random.uniform(2.5, 3.5))}人`;
  };
  for (const kind of ["landslide", "collapse"] as const) {
    repeat(kind, () => {
      const v = threatened();
      const at = near(random, county, v.at, 0.2, 1.2);
      const name = names(() => compose(random, HAZARD_NAMES[kind], `${v.name}${random.int(1, 12)}组`));
      add(kind, at, pointAt(at), name, `${v.township.name}人民政府`, threat(v));
    });
  }
  repeat("debris_flow", (i) => {
    const v = threatened();
    const mouth = near(random, county, v.at, 0.2, 0.8);
    const name = names(() => compose(random, HAZARD_NAMES.debris_flow, gullyName(random)));
    // the first two are mapped as their gullies, the others by their mouths
    const geometry = i < 2 ? { type: "LineString", coordinates: drawGully(random, county, mouth) } : pointAt(mouth);
    add("debris_flow", mouth, geometry, name, `${v.township.name}人民政府`, threat(v));
  });

  // flood zones along the river where it crosses the plain, the reach by the county town the gravest
  const reaches = floodReaches(world, HAZARD_RISKS.flood_zone.length).sort((a, b) => km(a.middle, town) - km(b.middle, town));
  for (const reach of reaches) {
    const closest = villages
      .map((v) => [v, km(v.at, reach.middle)] as const)
      .sort((a, b) => a[1] - b[1])
      .slice(0, 3)
      .map(([v]) => v);
    const name = names(() => compose(random, HAZARD_NAMES.flood_zone, riverName + random.pick(closest).name));
    add("flood_zone", reach.middle, reach.geometry, name, `${townshipOf(townships, reach.middle).name}人民政府`, `${riverName}沿岸低洼地带，汛期易受淹`);
  }

  // a reservoir dammed on the river in the hills, and a small one in a side valley
  const damSites = world.river.filter((p) => relief(p) > 0.55 && relief(p) < 0.85 && inCore(county, p, 0.8));
  const lake = blob(random, county, () => random.pick(damSites), [0.6, 0.8], 2.5);
  const sideValley = near(random, county, threatened().at, 1, 2.5);
  for (const [at, size] of [
    [lake.centre, "中型"],
    [sideValley, "小(一)型"],
  ] as const) {
    const stem = stems(() => placeStem(random, "hill"));
    const storage = size === "中型" ? random.int(1000, 8000) : random.int(100, 900);
    add(
      "reservoir",
      at,
      size === "中型" ? lake.geometry : pointAt(at),
      names(() => compose(random, HAZARD_NAMES.reservoir, stem)),
      `${COUNTY}${stem}水库管理所`,
      `${size}水库，总库容${storage}万立方米`,
    );
  }

  const forests: LonLat[] = [];
  repeat("forest_fire_zone", () => {
    const zone = blob(random, county, () => interior(random, county, (p) => relief(p) > 0.75 && forests.every((f) => km(f, p) > 6)), [2, 3.5], 1.4);
    forests.push(zone.centre);
    const name = names(() => compose(random, HAZARD_NAMES.forest_fire_zone, placeStem(random, "hill")));
    add("forest_fire_zone", zone.centre, zone.geometry, name, `${COUNTY}林业局`, "林地连片、可燃物载量高，春防期森林火险等级高");
  });

  const gasDepot = near(random, county, park, 0.8, 1.5);
  add(
    "other",
    gasDepot,
    pointAt(gasDepot),
    `${COUNTY}城区液化气储配站`,
    `${COUNTY}燃气有限公司`,
    `液化石油气储罐${random.int(2, 4)}个，总容量${random.int(50, 200)}立方米`,
  );
  const oldTown = near(random, county, town, 0.2, 0.8);
  const street = townshipOf(townships, oldTown);
  add("other", oldTown, pointAt(oldTown), `${street.name}老城区危旧房片区`, `${street.name}办事处`, `C、D级危房${random.int(20, 80)}栋`);
  return hazards;
}

/** A debris-flow gully from its head in the hills (uphill is north-west) down to its mouth. */
function drawGully(random: Random, county: County, mouth: LonLat): LonLat[] {
  const [mx, my] = toXY(mouth);
  return retry(
    () => {
      // mostly uphill, but a gully near the county border may come in from the side
      const angle = Math.atan2(0.6, -0.8) + random.normal(0, 0.8);
      const length = random.uniform(1.5, 3);
      // stations along the axis with small sideways wander: the line cannot cross itself
      const upstream = [1, 0.75, 0.5, 0.25].map((f) => {
        const side = random.normal(0, 0.08);
        return toLonLat([mx + f * length * Math.cos(angle) - side * Math.sin(angle), my + f * length * Math.sin(angle) + side * Math.cos(angle)]);
      });
      return [...upstream, mouth];
    },
    (line) => line.every((p) => contains(county, p)),
  );
}

/**
 * Reaches of the river across the plain, one per equal share of it, each buffered 350–800 m. The plain
 * is taken well inside the border, so the zones need no clipping.
 */
function floodReaches({ random, county, river }: World, count: number): { middle: LonLat; geometry: Polygon | MultiPolygon }[] {
  let travelled = 0;
  const along = river.map((p, i) => (travelled += i === 0 ? 0 : km(river[i - 1]!, p)));
  const plain = along.filter((_, i) => inCore(county, river[i]!, 0.85) && relief(river[i]!) < 0.4);
  const from = plain[0]!;
  const share = (plain.at(-1)! - from) / count;
  const line = lineString(river);
  return Array.from({ length: count }, (_, k) => {
    const start = from + share * (k + random.uniform(0.05, 0.3));
    const reach = lineSliceAlong(line, start, start + share * random.uniform(0.4, 0.6));
    const positions = reach.geometry.coordinates;
    const middle = positions[Math.floor(positions.length / 2)]!;
    return { middle: [round6(middle[0]!), round6(middle[1]!)], geometry: tidy(buffer(reach, random.uniform(0.35, 0.8), { steps: 8 })!.geometry) };
  });
}

/**
 * An irregular star-shaped (so simple) polygon round a centre, `stretch` times longer than wide, drawn
 * again (place and size) until it lies well inside the county.
 */
function blob(random: Random, county: County, centre: () => LonLat, [least, most]: [number, number], stretch: number): { centre: LonLat; geometry: Polygon } {
  return retry(
    () => {
      const at = centre();
      const radiusKm = random.uniform(least, most);
      const [cx, cy] = toXY(at);
      const tilt = random.uniform(0, Math.PI);
      const ring = Array.from({ length: 24 }, (_, i) => {
        const a = (TAU * i) / 24;
        const r = radiusKm * random.uniform(0.75, 1.15);
        const [x, y] = [r * stretch * Math.cos(a), r * Math.sin(a)];
        return toLonLat([cx + x * Math.cos(tilt) - y * Math.sin(tilt), cy + x * Math.sin(tilt) + y * Math.cos(tilt)]);
      });
      return { centre: at, geometry: { type: "Polygon" as const, coordinates: [[...ring, ring[0]!]] } };
    },
    ({ geometry }) => geometry.coordinates[0]!.every((p) => inCore(county, p, 0.88)),
  );
}

// ── shelters ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Big shelters in the county town, one at every township seat, the rest where they bring the most
 * people within reach — except in the remote hills, which stay the coverage gap, and in the most
 * populous plain township, which gets only small community centres: the capacity gap.
 */
function drawShelters(world: World): Shelter[] {
  const { random, county, townships, villages } = world;
  const names = uniqueNames();
  const shelters: Shelter[] = [];
  const add = (
    at: LonLat,
    site: SiteKind,
    place: () => string,
    [least, most]: [number, number],
    shelterClass: Shelter["shelterClass"],
    patterns: readonly string[] = SHELTER_NAMES[site],
  ) => {
    const step = most > 1000 ? 100 : 10;
    const capacity = Math.round(random.uniform(least, most) / step) * step;
    shelters.push({ at, township: townshipOf(townships, at), site, name: names(() => compose(random, patterns, place())), capacity, shelterClass });
  };

  const town = toLonLat(TOWN);
  const townSites: [SiteKind, [number, number], Shelter["shelterClass"]][] = [
    ["stadium", [4000, 5000], "I"],
    ["park", [2500, 5000], "I"],
    ["park", [2500, 5000], "II"],
    ["square", [1500, 3000], "II"],
    ["square", [1500, 3000], "III"],
    ["school", [1200, 2500], "II"],
    ["school", [1200, 2500], "II"],
    ["community_centre", [300, 600], "III"],
  ];
  for (const [site, capacity, shelterClass] of townSites) {
    const at = near(random, county, town, 0.3, 2.6, (p) => townshipOf(townships, p).kind === "街道" && shelters.every((s) => km(s.at, p) > 0.8));
    const place = () =>
      site === "stadium"
        ? COUNTY
        : site === "community_centre"
          ? nearest(villages, at, (v) => v.at).name
          : site === "school" && random.chance(0.3)
            ? COUNTY
            : urbanStem(random);
    add(at, site, place, capacity, shelterClass);
  }

  const rural = townships.filter((t) => t.kind !== "街道");
  const population = new Map(townships.map((t) => [t, sum(villages.filter((v) => v.township === t).map((v) => v.population))]));
  // the most populous plain township out of the county town's reach
  const crowded = rural.filter((t) => relief(t.seat) < 0.35 && km(t.seat, town) > 8).reduce((a, b) => (population.get(b)! > population.get(a)! ? b : a));
  for (const t of rural) {
    const at = near(random, county, t.seat, 0.1, 0.6);
    // the seat's shelter holds 6–10 % of its township's people (between 800 and 3,000)
    const places = (share: number) => clamp(share * population.get(t)!, 800, 3000);
    if (t === crowded) add(at, "community_centre", () => t.name, [200, 300], "III");
    else add(at, random.pick(["school", "square"] as const), () => t.name, [places(0.06), places(0.1)], "II");
  }

  // village shelters, at least 2 km apart: first where they bring the most people newly within reach,
  // then in the township with the fewest places per person. None in the remote hills, and only small
  // community centres in `crowded`.
  const reach = (at: LonLat) => villages.filter((v) => km(v.at, at) <= SHELTER_REACH_KM);
  const covered = new Set(shelters.flatMap((s) => reach(s.at)));
  const remote = (v: Village) => relief(v.at) > 0.55 && km(v.at, v.township.seat) > 4;
  const apart = (at: LonLat) => shelters.every((s) => km(s.at, at) > 2);
  let sites = villages
    .filter((v) => !remote(v))
    .map((v) => ({ village: v, at: near(random, county, v.at, 0.1, 0.3) }))
    .filter((c) => apart(c.at))
    .map((c) => ({ ...c, reach: reach(c.at) }));
  const placesPerPerson = (t: Township) =>
    t === crowded ? Infinity : sum(shelters.filter((s) => s.township === t).map((s) => s.capacity)) / population.get(t)!;
  while (shelters.length < SHELTER_COUNT) {
    const ratio = new Map(rural.map((t) => [t, placesPerPerson(t)]));
    const scored = sites.map((c) => ({
      ...c,
      gain: sum(c.reach.filter((v) => !covered.has(v)).map((v) => v.population)),
      ratio: ratio.get(c.village.township)!,
    }));
    const best = scored.reduce((a, b) => {
      const better = b.gain !== a.gain ? b.gain > a.gain : b.ratio !== a.ratio ? b.ratio < a.ratio : b.village.population > a.village.population;
      return better ? b : a;
    });
    const v = best.village;
    if (v.township === crowded) add(best.at, "community_centre", () => v.name, [100, 200], "III");
    else if (random.chance(0.6)) add(best.at, "school", () => v.name, [300, 900], "III", VILLAGE_SHELTER_NAMES.school);
    else add(best.at, "square", () => v.name, [400, 1200], "III", VILLAGE_SHELTER_NAMES.square);
    for (const w of best.reach) covered.add(w);
    sites = sites.filter((c) => apart(c.at));
  }
  return shelters;
}

/** Properties of the shelters; the two nearest the landslide are taking in its evacuees. */
function shelterFeatures({ random, townships, villages }: World, shelters: Shelter[], landslide: LonLat): DemoFeature[] {
  const occupied = [...shelters].sort((a, b) => km(a.at, landslide) - km(b.at, landslide)).slice(0, 2);
  // two schools or parks under repair, where other shelters still reach every village they serve
  const stillCovered = (closing: Shelter) =>
    villages.filter((v) => km(v.at, closing.at) <= SHELTER_REACH_KM).every((v) => shelters.some((o) => o !== closing && km(o.at, v.at) <= SHELTER_REACH_KM));
  const closed = random.sample(
    shelters.filter((s) => (s.site === "park" || s.site === "school") && !occupied.includes(s) && stillCovered(s)),
    2,
  );
  // and a few sites that count more people than their area holds at 1.5 m² each
  const cramped = random.sample(
    shelters.filter((s) => s.site !== "stadium"),
    3,
  );
  return shelters.map((s, i) =>
    feature(
      { type: "Point", coordinates: s.at },
      {
        name: s.name,
        code: `demo-shelter-${pad(i + 1)}`,
        shelter_type: SHELTER_TYPE[s.site],
        site_kind: s.site,
        shelter_class: s.shelterClass,
        capacity: s.capacity,
        effective_area_m2: Math.round((s.capacity * (cramped.includes(s) ? random.uniform(1.0, 1.4) : random.uniform(1.5, 3))) / 10) * 10,
        occupancy: occupied.includes(s) ? Math.round(s.capacity * random.uniform(0.15, 0.4)) : 0,
        status: closed.includes(s) ? "closed" : "open",
        facilities: ["water", "power", "toilet", ...random.sample(EXTRA_FACILITIES, s.capacity >= 1000 ? random.int(2, 5) : random.int(0, 2))],
        address: addressOf(random, townships, villages, s.at),
        manager: personName(random),
        phone: mobilePhone(random),
      },
    ),
  );
}

/** A postal-style address: street and number in the county town, village and group (组) elsewhere. */
function addressOf(random: Random, townships: Township[], villages: Village[], at: LonLat): string {
  const t = townshipOf(townships, at);
  const v = nearest(
    villages.filter((w) => w.township === t),
    at,
    (w) => w.at,
  );
  if (t.kind === "街道") return `${COUNTY}${t.name}${urbanStem(random)}路${random.int(1, 299)}号`;
  return `${COUNTY}${t.name}${v.name}${v.name.endsWith("村") ? `${random.int(1, 12)}组` : ""}`;
}

// ── depots ───────────────────────────────────────────────────────────────────────────────────────

function drawDepots(world: World): (DemoFeature & { stock: DemoStockRow[] })[] {
  const { random, county, townships, villages } = world;
  const rural = townships.filter((t) => t.kind !== "街道");
  // one township depot below the 200 m² standard (建标121-2009): what the planner should find
  const undersized = random.pick(rural);
  const depots: { level: keyof typeof STOCK_SCALE; at: LonLat; name: string; area: number }[] = [
    { level: "county", at: near(random, county, toLonLat(TOWN), 1, 2), name: `${COUNTY}应急物资储备库`, area: DEPOT_STANDARD_AREA_M2.county },
    ...rural.map((t) => ({
      level: "township" as const,
      at: near(random, county, t.seat, 0.2, 0.7),
      name: `${t.name}应急物资储备点`,
      area: t === undersized ? 150 : random.pick([200, 200, 220, 240, 260, 300, 360]),
    })),
  ];
  // village stores where the nearest depot is furthest away
  const outlying = villages.filter((v) => v.township.kind !== "街道");
  const gap = outlying.map((v) => Math.min(...depots.map((d) => km(d.at, v.at))));
  for (let i = 0; i < VILLAGE_DEPOT_COUNT; i++) {
    const v = outlying[gap.indexOf(Math.max(...gap))]!;
    const at = near(random, county, v.at, 0.05, 0.3);
    depots.push({ level: "village", at, name: `${v.name}应急物资储备点`, area: random.pick([12, 12, 15, 16, 20, 24, 30]) });
    outlying.forEach((w, j) => (gap[j] = Math.min(gap[j]!, km(at, w.at))));
  }
  return depots.map((d, i) => ({
    ...feature(
      { type: "Point", coordinates: d.at },
      {
        name: d.name,
        code: `demo-depot-${pad(i + 1)}`,
        level: d.level,
        floor_area_m2: d.area,
        address: addressOf(random, townships, villages, d.at),
        manager: personName(random),
        phone: mobilePhone(random),
      },
    ),
    stock: drawStock(random, d.level),
  }));
}

/** The county depot holds the whole catalogue; others a subset, about one row in eight below its reorder level. */
function drawStock(random: Random, level: keyof typeof STOCK_SCALE): DemoStockRow[] {
  const codes = ITEMS.map((item) => item.code);
  const held = level === "county" ? codes : level === "township" ? random.sample(codes, random.int(8, 13)) : random.sample(VILLAGE_ITEMS, random.int(4, 7));
  return codes
    .filter((code) => held.includes(code))
    .map((item) => {
      const typical = (COUNTY_STOCK[item] ?? 100) * STOCK_SCALE[level];
      const reorder = Math.max(1, Math.round(typical * random.uniform(0.3, 0.5)));
      const quantity = random.chance(0.12)
        ? Math.floor(reorder * random.uniform(0.2, 0.9))
        : Math.max(reorder + 1, Math.round(typical * random.uniform(0.9, 1.5)));
      return { item, quantity, reorder_level: reorder, expires_on: PERISHABLE.has(item) ? expiry(random) : null };
    });
}

/** Most water and food keeps another year or two; some runs out this winter, some already has. */
function expiry(random: Random): string {
  const r = random.next();
  return day(r < 0.1 ? -random.uniform(3, 120) : r < 0.3 ? random.uniform(3, 64) : random.uniform(95, 700));
}

// ── teams ────────────────────────────────────────────────────────────────────────────────────────

const EQUIPMENT: Record<TeamType, (random: Random) => string> = {
  fire_rescue: (r) => `水罐消防车${r.int(2, 4)}辆、抢险救援车${r.int(1, 2)}辆、破拆工具组${r.int(2, 4)}套`,
  forest_fire: (r) => `风力灭火机${r.int(10, 30)}台、油锯${r.int(3, 8)}台、二号工具${r.int(40, 120)}把`,
  mine_rescue: (r) => `正压氧气呼吸器${r.int(15, 30)}台、多功能气体检测仪${r.int(5, 10)}台、矿山救护车${r.int(1, 2)}辆`,
  hazmat: (r) => `重型防化服${r.int(10, 30)}套、空气呼吸器${r.int(10, 20)}具、有毒气体侦检仪${r.int(2, 5)}台`,
  medical: (r) => `救护车${r.int(2, 6)}辆、急救包${r.int(50, 200)}个、担架${r.int(10, 40)}副`,
  water_rescue: (r) => `冲锋舟${r.int(2, 6)}艘、救生衣${r.int(50, 150)}件、抛投器${r.int(2, 6)}具`,
  volunteer: (r) => `生命探测仪${r.int(1, 2)}台、绳索救援装备${r.int(2, 5)}套、急救包${r.int(20, 60)}个`,
  militia: (r) => `铁锹${r.int(50, 100)}把、救生衣${r.int(30, 60)}件、风力灭火机${r.int(5, 15)}台`,
};

function drawTeams({ random, county, townships, villages, river }: World, hazards: Hazard[], landslide: LonLat): DemoFeature[] {
  const names = uniqueNames();
  const teams: DemoFeature[] = [];
  const rural = townships.filter((t) => t.kind !== "街道");
  const hills = rural.filter((t) => relief(t.seat) > 0.5);
  const plains = rural.filter((t) => relief(t.seat) <= 0.5);
  const town = toLonLat(TOWN);
  const baseNear = (at: LonLat, maxKm = 0.8) => near(random, county, at, 0.05, maxKm);
  const seatOf = (at: LonLat) => nearest(rural, at, (t) => t.seat).seat;
  const first = (kind: HazardKind) => hazards.find((h) => h.kind === kind)!;
  // the landslide's township has its militia out, with the rescue volunteers and a medical team
  const evacuated = townshipOf(townships, landslide);
  const team = (type: TeamType, name: string, at: LonLat, headcount: number, specialties: string[], deployed = false) =>
    teams.push(
      feature(
        { type: "Point", coordinates: at },
        {
          name: names(() => name),
          code: `demo-team-${pad(teams.length + 1)}`,
          team_type: type,
          specialties,
          headcount,
          equipment: EQUIPMENT[type](random),
          status: deployed ? "deployed" : "standby",
          contact: personName(random),
          phone: mobilePhone(random),
        },
      ),
    );

  team("fire_rescue", `${COUNTY}消防救援大队`, baseNear(town, 1.5), 60, ["firefighting", "structural_collapse", "rope_rescue", "hazmat"]);
  team("fire_rescue", `${COUNTY}消防救援大队工业园区特勤站`, baseNear(toLonLat(INDUSTRIAL_PARK)), 30, ["firefighting", "hazmat"]);
  const [plain, hill] = [random.pick(plains), random.pick(hills)];
  team("fire_rescue", `${plain.name}专职消防队`, baseNear(plain.seat), 15, ["firefighting", "flood_rescue"]);
  team("fire_rescue", `${hill.name}专职消防队`, baseNear(hill.seat), 12, ["firefighting", "rope_rescue"]);
  team("forest_fire", `${COUNTY}森林草原防灭火专业扑火队`, baseNear(seatOf(first("forest_fire_zone").at)), 40, ["forest_fire"]);
  for (const t of random.sample(hills, 2)) team("forest_fire", `${t.name}半专业扑火队`, baseNear(t.seat), random.int(20, 30), ["forest_fire"]);
  team("mine_rescue", `${COUNTY}矿山救护队`, baseNear(seatOf(first("mine").at)), 25, ["mine_rescue", "rope_rescue"]);
  team("hazmat", `${COUNTY}危化品应急救援队`, baseNear(toLonLat(INDUSTRIAL_PARK)), 25, ["hazmat", "firefighting"]);
  const plant = first("chemical_plant");
  team("hazmat", `${plant.feature.properties.name}专职救援队`, baseNear(plant.at, 0.2), 12, ["hazmat"]);
  team("medical", `${COUNTY}人民医院紧急医学救援队`, baseNear(town, 2), 30, ["first_aid", "mass_casualty"]);
  team("medical", `${COUNTY}中医医院医疗救援队`, baseNear(town, 2), 20, ["first_aid"], true);
  const clinic = random.pick(rural);
  team("medical", `${clinic.name}卫生院医疗救援分队`, baseNear(clinic.seat), 8, ["first_aid"]);
  team(
    "water_rescue",
    `${COUNTY}水上搜救队`,
    baseNear(
      nearest(river, town, (p) => p),
      0.3,
    ),
    20,
    ["flood_rescue", "diving"],
  );
  const toRiver = (t: Township) =>
    km(
      nearest(river, t.seat, (p) => p),
      t.seat,
    );
  const riverside = rural.reduce((a, b) => (toRiver(b) < toRiver(a) ? b : a));
  team("water_rescue", `${riverside.name}水上救援队`, baseNear(riverside.seat), 12, ["flood_rescue"]);
  team("volunteer", `${COUNTY}蓝天救援队`, baseNear(town, 2), 45, ["search_dog", "rope_rescue", "flood_rescue", "first_aid"], true);
  team("volunteer", `${COUNTY}红十字志愿者服务队`, baseNear(town, 2), 60, ["first_aid", "evacuation"]);
  const community = nearest(villages, town, (v) => v.at);
  team("volunteer", `${community.name}志愿者服务队`, baseNear(community.at, 0.3), 25, ["evacuation", "first_aid"]);
  const upland = random.pick(hills);
  team("volunteer", `${upland.name}应急志愿服务队`, baseNear(upland.seat), 15, ["evacuation"]);
  for (const t of rural) {
    const specialties = relief(t.seat) > 0.5 ? ["forest_fire", "evacuation"] : ["flood_rescue", "evacuation"];
    team("militia", `${t.name}民兵应急排`, baseNear(t.seat), random.int(30, 50), specialties, t === evacuated);
  }
  return teams;
}

// ── roads ────────────────────────────────────────────────────────────────────────────────────────

type RoadClass = "national" | "county" | "township" | "village" | "other";
/** Most important first: the order roads are stored in, so tiles keep the main roads when crowded. */
const ROAD_RANK: RoadClass[] = ["national", "county", "township", "village", "other"];
/** How far (km) the roads along the river keep from its centre line and from the reservoir. */
const BANK_KM = 0.55;
/** Half a bridge's length (km): the river and its banks. */
const BRIDGE_HALF_KM = 0.15;
/** A place this close (km) to a road's vertex stands on the road and gets no road of its own. */
const ON_ROAD_KM = 0.1;
/** Where the bridges are, as km along the river's axis from the county town (0 = the town's bridge). */
const BRIDGES_FROM_TOWN_KM = [0.8, -12, -24];
/** Hill roads, mine roads and fire lanes are slower than their class's default. */
const HILL_COUNTY_ROAD_KMH = 35;
const TRACK_KMH = 15;

interface Road {
  line: LonLat[];
  roadClass: RoadClass;
  name: string;
  bridge?: boolean;
  status?: "damaged" | "closed";
  speed?: number;
}

const dot = (a: XY, b: XY) => a[0] * b[0] + a[1] * b[1];
const planarKm = (a: LonLat, b: LonLat) => {
  const [p, q] = [toXY(a), toXY(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1]);
};
const lineKm = (line: LonLat[]) => sum(line.slice(1).map((p, i) => planarKm(line[i]!, p)));

/** Whether segments ab and cd touch or cross (in the local plane). */
function segmentsMeet(a: XY, b: XY, c: XY, d: XY): boolean {
  if (Math.max(a[0], b[0]) < Math.min(c[0], d[0]) || Math.max(c[0], d[0]) < Math.min(a[0], b[0])) return false;
  if (Math.max(a[1], b[1]) < Math.min(c[1], d[1]) || Math.max(c[1], d[1]) < Math.min(a[1], b[1])) return false;
  const side = (p: XY, q: XY, r: XY) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return side(a, b, c) * side(a, b, d) <= 0 && side(c, d, a) * side(c, d, b) <= 0;
}

/**
 * The county's roads: a national road along the river's northern bank through the county town, a
 * county road along its southern bank, three bridges and no other way across; county roads joining
 * the township seats; a road to every village, shelter, depot and team (or it stands on one); tracks
 * to the mines and forests of the western hills. Roads meet at shared vertices. The road past the
 * gravest landslide is closed by it (its village keeps a track), and the road nearest the gravest
 * debris flow is damaged.
 */
function drawRoads(world: World, hazards: Hazard[], sites: { name: string; at: LonLat }[]): DemoFeature[] {
  const { random, county, river, riverName, townships, villages } = world;
  const names = uniqueNames();
  const unique = (base: string) => names((attempt) => (attempt === 0 ? base : `${base}${attempt + 1}`));
  const roads: Road[] = [];
  /** Vertices other roads may end on: every vertex of an open road that is not a bridge. */
  const joints: { at: LonLat; xy: XY }[] = [];
  const add = (road: Road, joinable = true) => {
    roads.push(road);
    if (joinable) joints.push(...road.line.map((at) => ({ at, xy: toXY(at) })));
  };

  // the river and the reservoir are the barriers; (u, v) are km along and across the river's axis
  const lake = hazards.find((h) => h.kind === "reservoir" && h.feature.geometry.type === "Polygon")!;
  const shore = (lake.feature.geometry as Polygon).coordinates[0]! as LonLat[];
  const segments = (line: LonLat[]) => line.slice(1).map((p, i) => [toXY(line[i]!), toXY(p)] as const);
  const [riverBanks, lakeShore] = [segments(river), segments(shore)];
  // a place the reservoir's outline was drawn over (a village on its shore) is reached across it
  const inLake = (at: LonLat) => booleanPointInPolygon(at, lake.feature.geometry as Polygon);
  const [first, last] = [toXY(river[0]!), toXY(river.at(-1)!)];
  const axis = Math.hypot(last[0] - first[0], last[1] - first[1]);
  const along: XY = [(last[0] - first[0]) / axis, (last[1] - first[1]) / axis];
  const across: XY = [-along[1], along[0]];
  const uv = (at: LonLat): XY => {
    const p = toXY(at);
    const d: XY = [p[0] - first[0], p[1] - first[1]];
    return [dot(d, along), dot(d, across)];
  };
  const fromUV = ([u, v]: XY): LonLat => toLonLat([first[0] + along[0] * u + across[0] * v, first[1] + along[1] * u + across[1] * v]);
  const riverUV = river.map(uv);
  const riverV = (u: number) => {
    const i = riverUV.findIndex((p, k) => k > 0 && p[0] >= u);
    const [a, b] = [riverUV[i - 1]!, riverUV[i]!];
    return a[1] + ((b[1] - a[1]) * (u - a[0])) / (b[0] - a[0]);
  };

  /** A road may run where it stays inside the county and crosses neither the river nor the reservoir. */
  const passable = (line: LonLat[]) => {
    const barriers = inLake(line[0]!) || inLake(line.at(-1)!) ? riverBanks : [...riverBanks, ...lakeShore];
    return line.every((p) => contains(county, p)) && segments(line).every(([a, b]) => barriers.every(([c, d]) => !segmentsMeet(a, b, c, d)));
  };
  /** From a to b with the gentle bends of a rural road (straight when the bends would not pass), or undefined. */
  const route = (a: LonLat, b: LonLat): LonLat[] | undefined => {
    const length = planarKm(a, b);
    const n = Math.max(1, Math.ceil(length / 0.4));
    const [p, q] = [toXY(a), toXY(b)];
    const normal: XY = [-(q[1] - p[1]) / length, (q[0] - p[0]) / length];
    const amplitude = Math.min(0.15, 0.06 * length);
    const [phase, waves] = [random.uniform(0, TAU), random.int(1, 3)];
    const bend = (t: number) => amplitude * Math.sin(Math.PI * t) * Math.sin(waves * Math.PI * t + phase);
    const inner = (w: (t: number) => number) =>
      Array.from({ length: n - 1 }, (_, i) => {
        const t = (i + 1) / n;
        return toLonLat([p[0] + t * (q[0] - p[0]) + w(t) * normal[0], p[1] + t * (q[1] - p[1]) + w(t) * normal[1]]);
      });
    return [
      [a, ...inner(bend), b],
      [a, ...inner(() => 0), b],
    ].find(passable);
  };
  /** A road from `at` to the nearest vertex it can reach of the roads so far (that `accept` takes), or undefined. */
  const attach = (at: LonLat, accept: (joint: LonLat) => boolean = () => true): LonLat[] | undefined => {
    const xy = toXY(at);
    const candidates = joints
      .filter((j) => accept(j.at) && (j.at[0] !== at[0] || j.at[1] !== at[1]))
      .map((j) => ({ j, d: Math.hypot(j.xy[0] - xy[0], j.xy[1] - xy[1]) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 40);
    for (const { j } of candidates) {
      const line = route(at, j.at);
      if (line) return line;
    }
    return undefined;
  };
  /** As `attach`, or round the reservoir (or a river bend) by a bend in the road when no straight road reaches. */
  const attachRound = (at: LonLat): LonLat[] | undefined => {
    const direct = attach(at);
    if (direct) return direct;
    for (const km of [0.6, 1.2, 2]) {
      for (let k = 0; k < 12; k++) {
        const first = route(at, offset(at, km, (TAU * k) / 12));
        const rest = first && attach(first.at(-1)!);
        if (first && rest) return [...first, ...rest.slice(1)];
      }
    }
    return undefined;
  };
  /** How far (km) `at` is from the nearest vertex other roads may end on, and that vertex. */
  const nearestJoint = (at: LonLat) => {
    const [x, y] = toXY(at);
    let best = { at: joints[0]!.at, km: Infinity };
    for (const j of joints) {
      const d = Math.hypot(j.xy[0] - x, j.xy[1] - y);
      if (d < best.km) best = { at: j.at, km: d };
    }
    return best;
  };
  const onRoad = (at: LonLat) => nearestJoint(at).km < ON_ROAD_KM;

  // the national road on the town's bank, a county road on the other, both clear of the river and the lake
  const obstacles = [...riverUV, ...shore.map(uv)];
  const bank = (side: 1 | -1): LonLat[] => {
    const line = Array.from({ length: Math.floor(axis / 0.5) + 1 }, (_, i) => {
      const u = i * 0.5;
      // clear of every obstacle nearby by BANK_KM, easing off with distance along: no sudden jogs
      const clearance = obstacles.filter((o) => Math.abs(o[0] - u) <= 3).map((o) => side * o[1] + BANK_KM - 0.6 * Math.max(0, Math.abs(o[0] - u) - 0.3));
      return fromUV([u, side * Math.max(...clearance)]);
    });
    // the longest run inside the county: the road enters and leaves it with the river
    let best: LonLat[] = [];
    let run: LonLat[] = [];
    for (const p of line) {
      run = contains(county, p) ? [...run, p] : [];
      if (run.length > best.length) best = run;
    }
    return best;
  };
  const town = uv(toLonLat(TOWN));
  const townSide = town[1] > riverV(town[0]) ? 1 : -1;
  add({ line: bank(townSide), roadClass: "national", name: unique("国道351线") });
  add({ line: bank(townSide === 1 ? -1 : 1), roadClass: "county", name: unique(`${riverName}南岸公路`) });

  // few bridges, each joined to the roads of both banks by its approaches; away from the reservoir
  const lakeU = uv(lake.at)[0];
  BRIDGES_FROM_TOWN_KM.forEach((fromTown, i) => {
    const u = Math.abs(town[0] + fromTown - lakeU) < 3.5 ? town[0] + fromTown + 3.5 * Math.sign(fromTown || 1) : town[0] + fromTown;
    const v = riverV(u);
    const ends = [fromUV([u, v + townSide * BRIDGE_HALF_KM]), fromUV([u, v - townSide * BRIDGE_HALF_KM])];
    const roadClass = i === 0 ? "county" : "township";
    const name = i === 0 ? unique(`${riverName}大桥`) : names(() => `${placeStem(random, terrain(ends[0]!))}桥`);
    const approaches = ends.map((end) => attach(end));
    add({ line: ends, roadClass, name, bridge: true }, false);
    approaches.forEach((line, k) => line && add({ line, roadClass, name: unique(`${name}${k === 0 ? "北" : "南"}引道`) }));
    joints.push(...ends.map((at) => ({ at, xy: toXY(at) })));
  });

  // county roads: the shortest that join every township seat to the others and to the river roads
  const seats = townships.map((t) => t.seat);
  const links: { a: number; b: number; line: LonLat[]; cost: number }[] = [];
  seats.forEach((a, i) => {
    seats.forEach((b, j) => {
      const line = j > i && planarKm(a, b) < 15 ? route(a, b) : undefined;
      if (line) links.push({ a: i, b: j, line, cost: lineKm(line) });
    });
    const toRiverRoad = attach(a);
    // a seat prefers its neighbour seats: the river road counts double
    if (toRiverRoad) links.push({ a: i, b: seats.length, line: toRiverRoad, cost: 2 * lineKm(toRiverRoad) });
  });
  const set = seats.map((_, i) => i).concat(seats.length);
  const root = (i: number): number => (set[i] === i ? i : (set[i] = root(set[i]!)));
  for (const link of links.sort((x, y) => x.cost - y.cost)) {
    if (root(link.a) === root(link.b)) continue;
    set[root(link.a)] = root(link.b);
    const [a, b] = [townships[link.a]!, townships[link.b]];
    const hilly = sum(link.line.map(relief)) / link.line.length > 0.6;
    add({
      line: link.line,
      roadClass: "county",
      name: unique(b ? `${a.stem}至${b.stem}公路` : `${a.stem}连接线`),
      ...(hilly ? { speed: HILL_COUNTY_ROAD_KMH } : {}),
    });
  }

  // the landslide has buried the road to the village below it, which keeps only a track out
  const slide = hazards.find((h) => h.kind === "landslide")!.at;
  const cutOff = nearest(villages, slide, (v) => v.at);
  const toSlide = route(cutOff.at, slide);
  const onward = attach(slide);
  if (toSlide && onward) {
    add({ line: [...toSlide, ...onward.slice(1)], roadClass: "village", name: unique(`${cutOff.name}通村路`), status: "closed" }, false);
    // the track leaves the other way, not past the landslide
    const [x0, y0] = toXY(cutOff.at);
    const [sx, sy] = toXY(slide);
    const away = (j: LonLat) => {
      const [x, y] = toXY(j);
      return (x - x0) * (sx - x0) + (y - y0) * (sy - y0) <= 0;
    };
    const track = attach(cutOff.at, away) ?? attach(cutOff.at);
    if (track) add({ line: track, roadClass: "other", name: unique(`${cutOff.name}便道`) });
  }

  // a road to every village, nearest the roads first so that roads branch as they grow
  const waiting = villages.filter((v) => v !== cutOff || !toSlide || !onward).map((v) => ({ v, d: nearestJoint(v.at).km }));
  for (const { v } of waiting.sort((a, b) => a.d - b.d)) {
    if (onRoad(v.at)) continue;
    const line = attachRound(v.at);
    if (!line) continue;
    const long = lineKm(line) > 2;
    const name = long ? `${v.township.stem}至${v.name}公路` : v.name.endsWith("社区") ? `${v.name}连接路` : `${v.name}通村路`;
    add({ line, roadClass: long ? "township" : "village", name: unique(name) });
  }
  // and to every shelter, depot and team that does not stand on one
  for (const site of sites) {
    if (onRoad(site.at)) continue;
    const line = attachRound(site.at);
    if (line) add({ line, roadClass: "village", name: unique(`${site.name}连接道路`) });
  }

  // tracks into the western hills: to the mines, through the forests, and up from the high villages
  for (const h of hazards.filter((x) => x.kind === "mine" || x.kind === "forest_fire_zone")) {
    const line = attach(h.at);
    const name = String(h.feature.properties.name);
    if (line)
      add({
        line,
        roadClass: "other",
        name: unique(h.kind === "mine" ? joinName(name, "矿山道路") : `${name.replace(/森林火险区$/, "")}防火通道`),
        speed: TRACK_KMH,
      });
  }
  for (const v of villages.filter((x) => relief(x.at) > 0.75)) {
    if (!random.chance(0.5)) continue;
    // from the road's end at the village (or the road it stands on)
    const start = nearestJoint(v.at).at;
    const end = offset(start, random.uniform(1.5, 3), Math.atan2(0.6, -0.8) + random.normal(0, 0.5));
    const line = route(start, end);
    if (line) add({ line, roadClass: "other", name: unique(`${v.name}机耕道`) });
  }

  // the gravest debris flow has damaged the road nearest its mouth
  const mouth = hazards.find((h) => h.kind === "debris_flow")!.at;
  const minor = roads.filter((r) => !r.bridge && !r.status && (r.roadClass === "village" || r.roadClass === "township"));
  nearest(minor, mouth, (r) => nearest(r.line, mouth, (p) => p)).status = "damaged";

  return roads
    .map((r, i) => ({ r, i }))
    .sort((a, b) => ROAD_RANK.indexOf(a.r.roadClass) - ROAD_RANK.indexOf(b.r.roadClass) || a.i - b.i)
    .map(({ r }, i) =>
      feature(
        { type: "LineString", coordinates: r.line },
        {
          name: r.name,
          code: `demo-road-${pad(i + 1)}`,
          road_class: r.roadClass,
          ...(r.speed ? { speed_kmh: r.speed } : {}),
          ...(r.status ? { status: r.status } : {}),
          ...(r.bridge ? { bridge: true } : {}),
        },
      ),
    );
}

// ── the base map: water, built-up areas, place names ─────────────────────────────────────────────

/** Half the width (km) of the river's water surface on the plain. */
const RIVER_HALF_WIDTH_KM = 0.06;

/** A rough ring of `radiusKm` round `at`, `stretch` times longer east–west: a town's built-up area. */
function ringAround(random: Random, at: LonLat, radiusKm: number, stretch: number): Polygon {
  const [cx, cy] = toXY(at);
  const ring = Array.from({ length: 16 }, (_, i) => {
    const a = (TAU * i) / 16;
    const r = radiusKm * random.uniform(0.8, 1.1);
    return toLonLat([cx + r * stretch * Math.cos(a), cy + r * Math.sin(a)]);
  });
  return { type: "Polygon", coordinates: [[...ring, ring[0]!]] };
}

/**
 * What people find their way by: the river (its centre line and its water surface), streams coming down
 * from the hills to it, the reservoir's lake, the county town's and each township seat's built-up area,
 * and the names of the county seat, township seats, villages and a few landmarks.
 */
function drawBaseMap(
  { random, county, river, riverName, townships, villages }: World,
  hazards: Hazard[],
): Pick<DemoCounty, "waterways" | "water_areas" | "built_up" | "places"> {
  const names = uniqueNames();
  const waterways = [feature({ type: "LineString", coordinates: river }, { name: riverName, code: "demo-waterway-001", kind: "river" })];
  // streams from the hills down to the river, each wandering a little on its way
  const sources = Array.from({ length: 5 }, () =>
    interior(
      random,
      county,
      (p) =>
        relief(p) > 0.6 &&
        km(
          p,
          nearest(river, p, (q) => q),
        ) > 4 &&
        km(
          p,
          nearest(river, p, (q) => q),
        ) < 10,
      0.8,
    ),
  );
  for (const source of sources) {
    const mouth = nearest(river, source, (q) => q);
    const [a, b] = [toXY(source), toXY(mouth)];
    const line = Array.from({ length: 9 }, (_, i) => {
      const f = i / 8;
      const wander = i === 0 || i === 8 ? 0 : random.normal(0, 0.25);
      const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
      const length = Math.hypot(dx, dy);
      return toLonLat([a[0] + dx * f - (dy / length) * wander, a[1] + dy * f + (dx / length) * wander]);
    });
    // 石坡 + 溪, but never a doubled water word (春沟 + 溪)
    const name = names(
      () =>
        `${retry(
          () => placeStem(random, "hill"),
          (stem) => !/[河沟溪江]$/.test(stem),
        )}${random.pick(["溪", "沟", "河"])}`,
    );
    waterways.push(feature({ type: "LineString", coordinates: line }, { name, code: `demo-waterway-${pad(waterways.length + 1)}`, kind: "stream" }));
  }

  const surface = buffer(lineString(river), RIVER_HALF_WIDTH_KM, { units: "kilometers", steps: 4 })!;
  const lake = hazards.find((h) => h.kind === "reservoir" && h.feature.geometry.type === "Polygon")!.feature;
  const water_areas = [
    feature(tidy(surface.geometry as Polygon), { name: riverName, code: "demo-water-001", kind: "river" }),
    feature(lake.geometry, { name: String(lake.properties.name), code: "demo-water-002", kind: "reservoir" }),
  ];

  const town = toLonLat(TOWN);
  const seats = townships.filter((t) => t.kind !== "街道");
  const built_up = [
    feature(ringAround(random, town, 1.3, 1.4), { name: `${COUNTY}城区`, code: "demo-built-up-001", kind: "city" }),
    ...seats.map((t, i) =>
      feature(ringAround(random, t.seat, random.uniform(0.3, 0.5), 1.3), { name: `${t.name}建成区`, code: `demo-built-up-${pad(i + 2)}`, kind: "town" }),
    ),
  ];

  const place = (name: string, at: LonLat, kind: string) =>
    feature({ type: "Point", coordinates: at }, { name, code: `demo-place-${pad(places.length + 1)}`, kind });
  const places: DemoFeature[] = [];
  places.push(place(COUNTY, town, "county_seat"));
  for (const t of seats) places.push(place(t.name, t.seat, "town"));
  places.push(place(`${COUNTY}人民政府`, offset(town, 0.3, Math.PI / 2), "landmark"));
  places.push(place(`${COUNTY}工业园区`, toLonLat(INDUSTRIAL_PARK), "landmark"));
  for (const v of villages) places.push(place(v.name, v.at, "village"));
  return { waterways, water_areas, built_up, places };
}
