// Xitun District (西屯區, Taichung): the MOTC road network as published (EPSG:3826 Shapefile, segments split
// at junctions with from/to node ids), read with GDAL into WGS 84, with Xitun's 39 villages and 23
// shelters from the national files. The tests' truth by road is built from these segments and their
// published node ids (test/support/road_truth.ts), never from road_edges.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { Db } from "../../server/db.ts";
import { parseCsv } from "./nantou.ts";
import { distanceToGeometry, geodesicDistance, type LonLat } from "./truth.ts";
import type { TruthPoint, TruthSegment } from "./road_truth.ts";

const REAL = new URL("../../../shared/data/real/", import.meta.url);
const ROADS = new URL("taiwan-taichung-xitun-roads/", REAL);
const XITUN_TOWN = "66000060";

/** The class each MOTC roadtype is loaded as (this test's reading of the codes), and its speed: road_speed_kmh's defaults. */
const CLASS_OF: Record<string, string> = {
  HW: "expressway",
  HU: "expressway",
  "1E": "expressway",
  "1U": "provincial",
  "1W": "provincial",
  "2U": "county",
  "2W": "county",
  "3U": "township",
  "3W": "township",
  RD: "village",
  AL: "other",
  OT: "other",
};
export const SPEED_KMH: Record<string, number> = { expressway: 100, provincial: 60, county: 50, township: 40, village: 30, other: 20 };
/** The off-road leg's speed and the reach (the product's defaults: 5 km/h, 2 km). */
export const OFF_ROAD_KMH = 5;

export interface XitunSegment {
  index: number;
  code: string;
  roadClass: string;
  oneway: boolean;
  fnode: string;
  tnode: string;
  coords: LonLat[];
  lengthM: number;
}

export interface Place {
  name: string;
  at: LonLat;
}

function gdalGeoJson(
  args: string[],
  sourceSrs: string[] = [],
): { features: { geometry: { type: string; coordinates: unknown }; properties: Record<string, string> }[] } {
  const dir = mkdtempSync(join(tmpdir(), "xitun-"));
  try {
    const out = join(dir, "out.geojson");
    execFileSync("ogr2ogr", ["-f", "GeoJSON", ...sourceSrs, "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=15", out, ...args]);
    return JSON.parse(readFileSync(out, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pathLength = (c: LonLat[]) => c.slice(1).reduce((sum, p, i) => sum + geodesicDistance(c[i]!, p), 0);

export function readXitunSegments(): XitunSegment[] {
  return gdalGeoJson([fileURLToPath(new URL("xitun_道路路段.shp", ROADS))]).features.map((f, index) => {
    const p = f.properties;
    const coords = f.geometry.coordinates as LonLat[];
    return {
      index,
      code: p.roadid!,
      roadClass: CLASS_OF[p.roadtype!]!,
      oneway: p.dir === "1",
      fnode: String(p.fnode),
      tnode: String(p.tnode),
      coords,
      lengthM: pathLength(coords),
    };
  });
}

/** Xitun's villages (TopoJSON in lon/lat without a CRS: WGS 84 said), each at the mean of its boundary's vertices (a point to ask from). */
export function readXitunVillages(): Place[] {
  return gdalGeoJson(
    [fileURLToPath(new URL("taiwan-villages-national/villages-10t.topojson", REAL)), "villages", "-where", `TOWNCODE='${XITUN_TOWN}'`],
    ["-s_srs", "EPSG:4326"],
  ).features.map((f) => {
    const ring = (f.geometry.type === "Polygon" ? (f.geometry.coordinates as LonLat[][]) : (f.geometry.coordinates as LonLat[][][])[0]!)[0]!;
    const at: LonLat = [ring.reduce((s, c) => s + c[0], 0) / ring.length, ring.reduce((s, c) => s + c[1], 0) / ring.length];
    return { name: f.properties.VILLNAME!, at };
  });
}

export async function readXitunShelters(): Promise<(Place & { capacity: number })[]> {
  const rows = parseCsv(await readFile(new URL("taiwan-shelters-national/shelters_tw_all.csv", REAL), "utf8"));
  return rows
    .filter((r) => r.pip_villcode!.startsWith(XITUN_TOWN) && r.coord_qc === "ok")
    .map((r) => ({ name: r.name!, at: [Number(r.lon), Number(r.lat)] as LonLat, capacity: Number(r.capacity) }));
}

/**
 * Loads the segments into `roads`, one road per segment. The published segments are already split at
 * every junction and meet only at their from/to nodes, so each is loaded as meeting others only at its
 * ends (bridge: what the network migration joins only at its ends): the product's network is then the
 * published topology, which the truth is built from. (Read as ordinary roads, 42 level segments that
 * cross without a published node would be cut there, and the two networks would differ.)
 */
export async function loadXitunRoads(db: Db, segments: XitunSegment[]): Promise<void> {
  await db.raw(
    `INSERT INTO roads (name, code, road_class, oneway, bridge, geom)
     SELECT 'segment ' || (f ->> 'index'), f ->> 'code', f ->> 'class', f ->> 'oneway', (f ->> 'bridge')::boolean,
            ST_Multi(ST_SetSRID(ST_MakeLine(ARRAY(SELECT ST_MakePoint((c ->> 0)::float8, (c ->> 1)::float8) FROM json_array_elements(f -> 'coords') c)), 4326))
     FROM json_array_elements(?::json) f`,
    [
      JSON.stringify(
        segments.map((s) => ({
          index: s.index,
          code: `${s.code}#${s.index}`,
          class: s.roadClass,
          oneway: s.oneway ? "forward" : "no",
          bridge: true,
          coords: s.coords,
        })),
      ),
    ],
  );
}

/** The segments as the truth's graph takes them: seconds each way at the class's speed, none against a one-way, none when closed. */
export function truthSegments(segments: XitunSegment[], closed: ReadonlySet<number> = new Set()): TruthSegment[] {
  return segments.map((s) => {
    const seconds = closed.has(s.index) ? null : s.lengthM / (SPEED_KMH[s.roadClass]! / 3.6);
    return { id: String(s.index), from: s.fnode, to: s.tnode, forwardS: seconds, backwardS: s.oneway ? null : seconds };
  });
}

/**
 * Where a place joins the network by the truth: the nearest point (geodesic) of the nearest segment not
 * closed, and the fraction of the segment's geodesic length before it. Candidates by a local planar
 * distance first (metres about the place), then GeographicLib on those within 5 m of the best.
 */
export function truthJoin(segments: XitunSegment[], at: LonLat, closed: ReadonlySet<number> = new Set()): TruthPoint & { offRoadM: number } {
  const kx = 111_320 * Math.cos((at[1] * Math.PI) / 180);
  const ky = 110_574;
  const planar = (a: LonLat, b: LonLat) => {
    const [ax, ay, bx, by] = [(a[0] - at[0]) * kx, (a[1] - at[1]) * ky, (b[0] - at[0]) * kx, (b[1] - at[1]) * ky];
    const dx = bx - ax;
    const dy = by - ay;
    const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
    return Math.hypot(ax + t * dx, ay + t * dy);
  };
  const rough = segments.filter((s) => !closed.has(s.index)).map((s) => ({ s, d: Math.min(...s.coords.slice(1).map((c, i) => planar(s.coords[i]!, c))) }));
  const best = Math.min(...rough.map((r) => r.d));
  let found = { segment: "", fraction: 0, offRoadS: 0, offRoadM: Infinity };
  for (const { s } of rough.filter((r) => r.d <= best + 5)) {
    let before = 0;
    for (let i = 1; i < s.coords.length; i++) {
      const a = s.coords[i - 1]!;
      const b = s.coords[i]!;
      const { d, nearest } = distanceToGeometry(at, { type: "LineString", coordinates: [a, b] });
      if (d < found.offRoadM)
        found = { segment: String(s.index), fraction: (before + geodesicDistance(a, nearest)) / s.lengthM, offRoadM: d, offRoadS: d / (OFF_ROAD_KMH / 3.6) };
      before += geodesicDistance(a, b);
    }
  }
  return found;
}
