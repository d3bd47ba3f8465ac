// Imports of the files GIS users hold, over real HTTP into real PostGIS: a Taiwan MOTC road network
// Shapefile (EPSG:3826) zipped as a user would, an OpenStreetMap GeoPackage, points reprojected from
// CGCS2000 Gauss-Krüger and TWD97 by GDAL, a GBK DBF without .cpg, and refusals. Truth comes from GDAL
// (ogr2ogr/ogrinfo: an independent reprojection and attribute count) and the mapping as documented.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import yazl from "yazl";
import { startWorld, type World } from "../support/world.ts";
import { geodesicDistance, type LonLat } from "../support/truth.ts";

const run = promisify(execFile);
const XITUN = "../shared/data/real/taiwan-taichung-xitun-roads";
const MONACO = "../shared/data/real/osm-monaco-roads/monaco_roads.gpkg";
const ROADS = "xitun_道路路段";

let w: World;
let dir: string;
beforeAll(async () => {
  w = await startWorld();
  dir = mkdtempSync(join(tmpdir(), "hazmap-import-gis-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w?.close();
});

/** A .zip of the given files (name in the archive → path on disk), as yazl writes it (UTF-8 names). */
function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, path] of Object.entries(files)) zip.addFile(path, name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on("error", reject);
  });
}

/** The parts of shapefile `stem` in `folder`, by extension, named `stem.<ext>` in the archive. */
const parts = (folder: string, stem: string, exts = ["shp", "shx", "dbf", "prj", "cpg"]) =>
  Object.fromEntries(exts.map((e) => [`${stem}.${e}`, join(folder, `${stem}.${e}`)]));

async function importFile(layer: string, body: Buffer, query: string) {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/import?${query}`, { method: "POST", body: new Uint8Array(body) });
  return { status: res.status, body: await res.json() };
}

/** What GDAL counts in a file: `SELECT <what>, count(*)` grouped, as {value: count}. */
async function ogrCounts(file: string, layer: string, what: string, where = "1"): Promise<Record<string, number>> {
  const sql = `SELECT ${what} AS v, count(*) AS n FROM "${layer}" WHERE ${where} GROUP BY 1`;
  const { stdout } = await run("ogrinfo", ["-q", "-dialect", "sqlite", "-sql", sql, file], { maxBuffer: 1 << 26 });
  const counts: Record<string, number> = {};
  for (const m of stdout.matchAll(/v \(\w+\) = (.*)\n\s*n \(Integer\) = (\d+)/g)) counts[m[1]!.trim()] = Number(m[2]);
  for (const m of stdout.matchAll(/v \(\w+\) = \(null\)\n\s*n \(Integer\) = (\d+)/g)) counts[""] = Number(m[1]);
  return counts;
}

/** GDAL's own reprojection of a file to WGS 84, as GeoJSON features. */
async function ogrWgs84(file: string, layer: string): Promise<{ properties: Record<string, unknown>; geometry: { coordinates: number[][] | number[] } }[]> {
  const out = join(dir, `${Math.random().toString(36).slice(2)}.geojson`);
  await run("ogr2ogr", ["-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=12", out, file, layer]);
  return JSON.parse(readFileSync(out, "utf8")).features;
}

/** The roads table's lines by code, at full precision. */
async function storedRoads(): Promise<Map<string, { coordinates: number[][][] }>> {
  const rows: { code: string; g: { coordinates: number[][][] } }[] = (await w.db.raw("SELECT code, ST_AsGeoJSON(geom, 15)::json g FROM roads")).rows;
  return new Map(rows.map((r) => [r.code, r.g]));
}

const sum = (counts: Record<string, number>, keys: string[]) => keys.reduce((a, k) => a + (counts[k] ?? 0), 0);

describe("Taiwan MOTC road network, the Shapefile as published (EPSG:3826), zipped", () => {
  let report: Record<string, unknown>;
  beforeAll(async () => {
    await w.db.raw("TRUNCATE roads CASCADE");
    const r = await importFile("roads", await zipOf(parts(XITUN, ROADS)), "format=shapefile");
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200);
    report = r.body;
  }, 120_000);

  it("imports all 6,673 segments, every one named, within Xitun's WGS 84 extent", async () => {
    expect(report).toMatchObject({ crs: "TWD97 / TM2 zone 121", rows: 6673, inserted: 6673, left_out: 0, errors: [] });
    const [{ n, unnamed, x0, y0, x1, y1 }] = (
      await w.db.raw(
        `SELECT count(*)::int n, count(*) FILTER (WHERE name LIKE '未命名%')::int unnamed,
                ST_XMin(ST_Extent(geom)) x0, ST_YMin(ST_Extent(geom)) y0, ST_XMax(ST_Extent(geom)) x1, ST_YMax(ST_Extent(geom)) y1 FROM roads`,
      )
    ).rows;
    expect(n).toBe(6673);
    expect(unnamed).toBe(0); // every MOTC segment has a roadname
    // README: about 120.583, 24.143 – 120.671, 24.216
    expect(x0).toBeGreaterThan(120.58);
    expect(y0).toBeGreaterThan(24.14);
    expect(x1).toBeLessThan(120.675);
    expect(y1).toBeLessThan(24.22);
    expect(x1 - x0).toBeGreaterThan(0.08);
  });

  it("puts every vertex within 1 cm of GDAL's reprojection of the same segment", async () => {
    const truth = await ogrWgs84(join(XITUN, `${ROADS}.shp`), ROADS);
    const stored = await storedRoads();
    let worst = 0,
      vertices = 0;
    for (const f of truth) {
      const ours = stored.get(String(f.properties.roadid))!.coordinates[0]!;
      const theirs = f.geometry.coordinates as number[][];
      expect(ours.length).toBe(theirs.length);
      theirs.forEach((p, i) => {
        worst = Math.max(worst, geodesicDistance(p as LonLat, ours[i] as LonLat));
        vertices++;
      });
    }
    expect(vertices).toBeGreaterThan(20_000);
    expect(worst).toBeLessThan(0.01);
  });

  it("maps roadtype to classes, dir=1 to one-way forward and roadstruct to bridges and tunnels, as the DBF counts say", async () => {
    const file = join(XITUN, `${ROADS}.shp`);
    const types = await ogrCounts(file, ROADS, "roadtype");
    expect(types).toMatchObject({ HW: 10, HU: 43, "1E": 38, "1U": 207, "2U": 135, RD: 2615, AL: 1885, OT: 1706 }); // the README's counts
    const structures = await ogrCounts(file, ROADS, "roadstruct");
    const dirs = await ogrCounts(file, ROADS, "dir");
    const got = Object.fromEntries(
      (await w.db.raw("SELECT road_class, count(*)::int n FROM roads GROUP BY 1")).rows.map((r: { road_class: string; n: number }) => [r.road_class, r.n]),
    );
    expect(got).toEqual({
      expressway: sum(types, ["HW", "HU", "1E"]),
      provincial: sum(types, ["1U", "1W"]),
      county: sum(types, ["2U", "2W"]),
      township: sum(types, ["3U", "3W", "RD"]),
      village: sum(types, ["AL"]),
      other: sum(types, ["OT"]),
    });
    const [flags] = (
      await w.db.raw(
        `SELECT count(*) FILTER (WHERE oneway = 'forward')::int forward, count(*) FILTER (WHERE oneway = 'backward')::int backward,
                count(*) FILTER (WHERE bridge)::int bridges, count(*) FILTER (WHERE tunnel)::int tunnels, count(*) FILTER (WHERE status <> 'open')::int not_open FROM roads`,
      )
    ).rows;
    expect(dirs["1"]).toBe(1036);
    expect(flags).toEqual({ forward: dirs["1"], backward: 0, bridges: sum(structures, ["2", "5", "7"]), tunnels: sum(structures, ["3", "4"]), not_open: 0 });
  });

  it("holds together as published: the network built from the import has the README's 19 connected pieces (pgRouting)", async () => {
    const { rows } = await w.db.raw(
      "SELECT count(DISTINCT component)::int AS n FROM pgr_connectedComponents('SELECT id, source, target, cost, reverse_cost FROM road_edges')",
    );
    expect(rows[0].n).toBe(19); // one piece of 4,919 nodes and 18 small islands: shared ends reprojected to the same point
  });

  it("says it read the file as MOTC and which columns it ignored", () => {
    const warnings = (report.warnings as string[]).join("\n");
    expect(warnings).toMatch(/Taiwan MOTC/);
    expect(warnings).toMatch(/columns ignored.*fnode/);
    expect(warnings).not.toMatch(/columns ignored.*roadtype/);
  });
});

describe("OpenStreetMap roads of Monaco, a GeoPackage", () => {
  const layer = "roads";
  const file = MONACO;
  const KEPT: Record<string, string> = {
    motorway: "expressway",
    motorway_link: "expressway",
    trunk: "national",
    trunk_link: "national",
    primary: "provincial",
    primary_link: "provincial",
    secondary: "county",
    secondary_link: "county",
    tertiary: "township",
    tertiary_link: "township",
    unclassified: "village",
    residential: "village",
    living_street: "village",
    service: "other",
    track: "other",
    road: "other",
  };
  let report: Record<string, unknown>;
  beforeAll(async () => {
    await w.db.raw("TRUNCATE roads CASCADE");
    const r = await importFile(layer, readFileSync(file), "format=geopackage");
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200);
    report = r.body;
  }, 60_000);

  it("imports the ways a vehicle can take by class, and counts the footways, steps and paths it leaves out", async () => {
    const highways = await ogrCounts(file, layer, "highway");
    const kept = Object.keys(highways).filter((h) => h in KEPT);
    const leftOut = Object.keys(highways).filter((h) => !(h in KEPT));
    expect(leftOut.sort()).toEqual(["construction", "cycleway", "escape", "footway", "path", "pedestrian", "raceway", "steps"]);
    expect(report).toMatchObject({ rows: sum(highways, kept), inserted: sum(highways, kept), left_out: sum(highways, leftOut), errors: [] });
    expect((report.warnings as string[]).join()).toContain(`rows left out, not roads a vehicle can take: highway=footway ${highways.footway}`);
    const expected: Record<string, number> = {};
    for (const h of kept) expected[KEPT[h]!] = (expected[KEPT[h]!] ?? 0) + highways[h]!;
    const got = Object.fromEntries(
      (await w.db.raw("SELECT road_class, count(*)::int n FROM roads GROUP BY 1")).rows.map((r: { road_class: string; n: number }) => [r.road_class, r.n]),
    );
    expect(got).toEqual(expected);
  });

  it("reads oneway=yes and roundabouts and motorways as one-way forward, -1 as backward, maxspeed as the speed", async () => {
    const keep = `highway IN (${Object.keys(KEPT)
      .map((h) => `'${h}'`)
      .join(",")})`;
    const oneway = await ogrCounts(
      file,
      layer,
      `CASE WHEN oneway IN ('yes','1','true') THEN 'forward' WHEN oneway = '-1' THEN 'backward'
            WHEN oneway IS NULL AND (junction = 'roundabout' OR highway = 'motorway') THEN 'forward' ELSE 'no' END`,
      keep,
    );
    const speeds = await ogrCounts(file, layer, "CAST(maxspeed AS REAL)", `${keep} AND maxspeed IS NOT NULL`);
    const unnamed = await ogrCounts(file, layer, "'x'", `${keep} AND name IS NULL AND ref IS NULL`);
    const [got] = (
      await w.db.raw(
        `SELECT count(*) FILTER (WHERE oneway = 'forward')::int forward, count(*) FILTER (WHERE oneway = 'backward')::int backward,
                count(*) FILTER (WHERE oneway = 'no')::int no, count(*) FILTER (WHERE name LIKE '未命名%')::int unnamed,
                count(*) FILTER (WHERE name = '未命名村道' AND road_class = 'village')::int unnamed_village FROM roads`,
      )
    ).rows;
    expect(got).toMatchObject({ forward: oneway.forward, backward: oneway.backward, no: oneway.no, unnamed: unnamed.x });
    expect(oneway.backward).toBe(3);
    expect(got.unnamed_village).toBeGreaterThan(0);
    const gotSpeeds = Object.fromEntries(
      (await w.db.raw("SELECT speed_kmh::real::text v, count(*)::int n FROM roads WHERE speed_kmh IS NOT NULL GROUP BY 1")).rows.map(
        (r: { v: string; n: number }) => [r.v, r.n],
      ),
    );
    expect(gotSpeeds).toEqual(Object.fromEntries(Object.entries(speeds).map(([v, n]) => [String(Number(v)), n])));
  });

  it("keeps every way's coordinates as the file has them (WGS 84), to 1 cm", async () => {
    const truth = await ogrWgs84(file, layer);
    const stored = await storedRoads();
    let checked = 0;
    for (const f of truth) {
      const ours = stored.get(String(f.properties.osm_id));
      if (!ours) continue; // left out
      const theirs = f.geometry.coordinates as number[][];
      theirs.forEach((p, i) => expect(geodesicDistance(p as LonLat, ours.coordinates[0]![i] as LonLat)).toBeLessThan(0.01));
      checked++;
    }
    expect(checked).toBe(report.rows);
  });
});

describe("OpenStreetMap tags the Monaco extract lacks", () => {
  it("reads an untagged motorway as one-way, reversible as both ways, mph, none, bridges, tunnels and ref as the name", async () => {
    await w.db.raw("TRUNCATE roads CASCADE");
    const line = (osm_id: string, tags: object) => ({
      type: "Feature",
      geometry: {
        type: "LineString",
        coordinates: [
          [7.42, 43.73],
          [7.421, 43.731],
        ],
      },
      properties: { osm_id, ...tags },
    });
    const features = [
      line("1", { highway: "motorway", ref: "A8" }),
      line("2", { highway: "secondary", oneway: "reversible", maxspeed: "30 mph", bridge: "viaduct", name: "Pont" }),
      line("3", { highway: "trunk_link", oneway: "true", maxspeed: "none", tunnel: "yes" }),
      line("4", { highway: "residential", junction: "circular", maxspeed: "FR:urban", bridge: "no" }),
      line("5", { highway: "service", oneway: "reverse", maxspeed: "20 km/h" }),
    ];
    const r = await importFile("roads", Buffer.from(JSON.stringify({ type: "FeatureCollection", features })), "format=geojson");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rows = await w.db("roads").select("code", "name", "road_class", "oneway", "speed_kmh", "bridge", "tunnel").orderBy("code");
    expect(rows).toEqual([
      { code: "1", name: "A8", road_class: "expressway", oneway: "forward", speed_kmh: null, bridge: false, tunnel: false },
      { code: "2", name: "Pont", road_class: "county", oneway: "no", speed_kmh: 48.28, bridge: true, tunnel: false },
      { code: "3", name: "未命名国道", road_class: "national", oneway: "forward", speed_kmh: null, bridge: false, tunnel: true },
      { code: "4", name: "未命名村道", road_class: "village", oneway: "forward", speed_kmh: null, bridge: false, tunnel: false },
      { code: "5", name: "未命名其他", road_class: "other", oneway: "backward", speed_kmh: 20, bridge: false, tunnel: false },
    ]);
  });
});

describe("points in a projected CRS, written by GDAL", () => {
  /** A shapefile of `features` (WGS 84 GeoJSON) reprojected by ogr2ogr to `epsg`, its DBF in `encoding`, zipped; `drop` leaves parts out. */
  async function shapefileIn(name: string, features: object[], epsg: number, options: { encoding: string; drop?: string[] }) {
    const src = join(dir, `${name}.geojson`);
    writeFileSync(src, JSON.stringify({ type: "FeatureCollection", features }));
    const lco = ["-lco", `ENCODING=${options.encoding}`];
    await run("ogr2ogr", ["-f", "ESRI Shapefile", "-s_srs", "EPSG:4326", "-t_srs", `EPSG:${epsg}`, ...lco, join(dir, `${name}.shp`), src]);
    return zipOf(
      parts(
        dir,
        name,
        ["shp", "shx", "dbf", "prj", "cpg"].filter((e) => !options.drop?.includes(e)),
      ),
    );
  }
  const point = (lon: number, lat: number, properties: object) => ({ type: "Feature", geometry: { type: "Point", coordinates: [lon, lat] }, properties });

  // shelters in Hubei/Hunan/Guangdong, within the 3-degree zone of central meridian 114°E (EPSG:4547)
  const SHELTERS: [string, string, number, LonLat][] = [
    ["GK-1", "武汉市江汉区体育场避难场所", 3000, [114.2655, 30.5928]],
    ["GK-2", "长沙市岳麓区广场", 1200, [112.9388, 28.2282]],
    ["GK-3", "广州市海珠区公园", 800, [113.3245, 23.1136]],
    ["GK-4", "赣州市章贡区学校操场", 650, [114.9335, 25.8311]],
  ];
  const shelterFeatures = SHELTERS.map(([code, name, capacity, [lon, lat]]) => point(lon, lat, { code, name, capacity }));

  async function expectShelters() {
    const rows = (await w.db("shelters").select("code", "name", "capacity", w.db.raw("ST_X(geom) lon"), w.db.raw("ST_Y(geom) lat")).orderBy("code")) as {
      code: string;
      name: string;
      capacity: number;
      lon: number;
      lat: number;
    }[];
    expect(rows.map((r) => [r.code, r.name, r.capacity])).toEqual(SHELTERS.map(([c, n, cap]) => [c, n, cap]));
    for (const [i, r] of rows.entries()) expect(geodesicDistance([r.lon, r.lat], SHELTERS[i]![3])).toBeLessThan(0.01);
  }

  it("shelters in CGCS2000 3-degree Gauss-Krüger CM 114E (EPSG:4547) come back within 1 cm, from the .prj GDAL wrote", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const zip = await shapefileIn("shelters_4547", shelterFeatures, 4547, { encoding: "UTF-8" });
    const r = await importFile("shelters", zip, "format=shapefile");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ crs: "CGCS2000_3_Degree_GK_CM_114E", inserted: 4, errors: [] });
    await expectShelters();
  });

  it("a GeoJSON GDAL wrote in EPSG:4547 comes back within 1 cm, from its `crs` member", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const src = join(dir, "gk_wgs84.geojson");
    const out = join(dir, "gk_4547.geojson");
    writeFileSync(src, JSON.stringify({ type: "FeatureCollection", features: shelterFeatures }));
    await run("ogr2ogr", ["-f", "GeoJSON", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4547", out, src]);
    expect(readFileSync(out, "utf8")).toContain('"crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:EPSG::4547" } }');
    const r = await importFile("shelters", readFileSync(out), "format=geojson");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ crs: "EPSG:4547", inserted: 4, errors: [] });
    await expectShelters();
  });

  it("a GeoJSON whose `crs` comes after its features, or names a system not known, is refused naming crs; nothing written", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const crs = (name: string) => ({ type: "name", properties: { name } });
    const late = { type: "FeatureCollection", features: shelterFeatures, crs: crs("urn:ogc:def:crs:EPSG::4547") };
    const unknown = { type: "FeatureCollection", crs: crs("urn:ogc:def:crs:EPSG::2000000"), features: shelterFeatures };
    for (const file of [late, unknown]) {
      const r = await importFile("shelters", Buffer.from(JSON.stringify(file)), "format=geojson");
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.errors[0].path).toEqual(["crs"]);
    }
    expect(Number((await w.db("shelters").count("* as n"))[0]!.n)).toBe(0);
    const said = await importFile("shelters", Buffer.from(JSON.stringify({ ...late, crs: crs("urn:ogc:def:crs:OGC:1.3:CRS84") })), "format=geojson");
    expect(said.body).toMatchObject({ inserted: 4 }); // CRS84 after the features: what they were read as
  });

  it("a record deleted in the DBF but not packed (as QGIS leaves it) is left out, as GDAL leaves it out", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const src = join(dir, "deleted.geojson");
    writeFileSync(src, JSON.stringify({ type: "FeatureCollection", features: shelterFeatures }));
    await run("ogr2ogr", ["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", join(dir, "deleted.shp"), src]);
    const dbf = readFileSync(join(dir, "deleted.dbf"));
    dbf[dbf.readUInt16LE(8) + dbf.readUInt16LE(10)] = 0x2a; // record 2 marked deleted: "*" in its first byte
    writeFileSync(join(dir, "deleted.dbf"), dbf);
    const gdal = (await run("ogrinfo", ["-q", join(dir, "deleted.shp"), "deleted"])).stdout;
    expect([...gdal.matchAll(/code \(String\) = (\S+)/g)].map((m) => m[1])).toEqual(["GK-1", "GK-3", "GK-4"]);
    const r = await importFile("shelters", await zipOf(parts(dir, "deleted")), "format=shapefile");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ inserted: 3, errors: [] });
    expect((await w.db("shelters").orderBy("code").pluck("code")) as string[]).toEqual(["GK-1", "GK-3", "GK-4"]);
  });

  it("villages in TWD97 TM2 (EPSG:3826) come back within 1 cm", async () => {
    await w.db.raw("TRUNCATE villages CASCADE");
    const villages: [string, number, LonLat][] = [
      ["西屯區何厝里", 8123, [120.6562, 24.1595]],
      ["西屯區福安里", 5210, [120.6103, 24.1902]],
      ["西屯區港尾里", 2011, [120.5921, 24.1738]],
    ];
    const zip = await shapefileIn(
      "villages_3826",
      villages.map(([name, population, [lon, lat]]) => point(lon, lat, { name, population })),
      3826,
      { encoding: "UTF-8" },
    );
    const r = await importFile("villages", zip, "format=shapefile");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rows = (await w
      .db("villages")
      .select("name", "population", w.db.raw("ST_X(geom) lon"), w.db.raw("ST_Y(geom) lat"))
      .orderBy("population", "desc")) as {
      name: string;
      population: number;
      lon: number;
      lat: number;
    }[];
    expect(rows.map((r) => [r.name, r.population])).toEqual(villages.map(([n, p]) => [n, p]));
    for (const [i, r] of rows.entries()) expect(geodesicDistance([r.lon, r.lat], villages[i]![2])).toBeLessThan(0.01);
  });

  it("a GeoPackage of two tables: refused naming them; each read from its own SRS, or crs= where its datum is unknown", async () => {
    const gpkg = join(dir, "two.gpkg");
    const taiwan: LonLat = [120.6562, 24.1595];
    writeFileSync(
      join(dir, "tw.geojson"),
      JSON.stringify({ type: "FeatureCollection", features: [point(...taiwan, { code: "TW-1", name: "何厝國小", capacity: 500 })] }),
    );
    writeFileSync(join(dir, "gk.geojson"), JSON.stringify({ type: "FeatureCollection", features: shelterFeatures }));
    await run("ogr2ogr", ["-f", "GPKG", gpkg, join(dir, "tw.geojson"), "-nln", "taiwan", "-t_srs", "EPSG:3826"]);
    // a bare proj4 string: GDAL stores it as srs "unknown", datum "Unknown based on GRS80 ellipsoid"
    const gk = "+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs";
    await run("ogr2ogr", ["-f", "GPKG", "-update", gpkg, join(dir, "gk.geojson"), "-nln", "hubei", "-t_srs", gk]);
    const body = readFileSync(gpkg);

    const several = await importFile("shelters", body, "format=geopackage");
    expect(several.status).toBe(422);
    expect(several.body.detail).toContain("2 feature tables (hubei, taiwan): give file_layer=");

    await w.db.raw("TRUNCATE shelters CASCADE");
    const tw = await importFile("shelters", body, "format=geopackage&file_layer=taiwan");
    expect(tw.status, JSON.stringify(tw.body)).toBe(200);
    const [row] = await w.db("shelters").select(w.db.raw("ST_X(geom) lon"), w.db.raw("ST_Y(geom) lat"));
    expect(geodesicDistance([row.lon, row.lat], taiwan)).toBeLessThan(0.01);

    await w.db.raw("TRUNCATE shelters CASCADE");
    const unknownDatum = await importFile("shelters", body, "format=geopackage&file_layer=hubei");
    expect([unknownDatum.status, unknownDatum.body.type]).toEqual([422, "/problems/unknown-crs"]);
    expect(unknownDatum.body.detail).toMatch(/hubei's coordinate system unknown \(srs_id \d+\): .* is on the datum Unknown based on GRS80 ellipsoid/);
    const given = await importFile("shelters", body, "format=geopackage&file_layer=hubei&crs=EPSG:4547");
    expect(given.status, JSON.stringify(given.body)).toBe(200);
    await expectShelters();
  });

  it("a GBK DBF without .cpg is read as GBK; the same bytes said to be UTF-8 are refused, nothing written", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    // Chinese column names too, as a Chinese ArcGIS user's DBF has them (in GBK, ≤ 10 bytes)
    const chinese = SHELTERS.map(([code, name, capacity, [lon, lat]]) => point(lon, lat, { 编码: code, 名称: name, 容纳人数: capacity }));
    const gbk = await shapefileIn("shelters_gbk", chinese, 4547, { encoding: "CP936", drop: ["cpg"] });
    const r = await importFile("shelters", gbk, "format=shapefile");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await expectShelters();

    await w.db.raw("TRUNCATE shelters CASCADE");
    const wrong = await importFile("shelters", gbk, "format=shapefile&encoding=utf-8");
    expect(wrong.status).toBe(422);
    expect(wrong.body.detail).toMatch(/row 1, .* has bytes that are not text/);
    expect(await w.db("shelters").count("* as n").first()).toEqual({ n: "0" });
  });

  it("a CSV of x/y in metres with crs=EPSG:4547 lands within 1 cm (GDAL's gdaltransform made the metres)", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const input = SHELTERS.map(([, , , [lon, lat]]) => `${lon} ${lat}`).join("\n");
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      const child = execFile("gdaltransform", ["-s_srs", "EPSG:4326", "-t_srs", "EPSG:4547", "-output_xy"], (e, stdout) =>
        e ? reject(e) : resolve({ stdout }),
      );
      child.stdin!.end(input + "\n");
    });
    const xy = stdout
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s+/));
    expect(Number(xy[0]![0])).toBeGreaterThan(100_000); // metres, not degrees
    const csv = ["code,name,capacity,x,y", ...SHELTERS.map(([code, name, capacity], i) => `${code},${name},${capacity},${xy[i]![0]},${xy[i]![1]}`)].join("\n");
    const r = await importFile("shelters", Buffer.from(csv), "format=csv&crs=EPSG:4547");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await expectShelters();
  });

  it("without a .prj: refused unless crs= names the system; with crs=EPSG:4547 the coordinates come back", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const zip = await shapefileIn("shelters_noprj", shelterFeatures, 4547, { encoding: "UTF-8", drop: ["prj"] });
    const refused = await importFile("shelters", zip, "format=shapefile");
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/there is no shelters_noprj\.prj .*looks projected; give crs=EPSG:<code>/);
    const r = await importFile("shelters", zip, "format=shapefile&crs=EPSG:4547");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await expectShelters();
    const unknown = await importFile("shelters", zip, "format=shapefile&crs=EPSG:2000");
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toMatch(/EPSG:2000 is not a coordinate system this server knows/);
  });

  it("a shape whose x is NaN (the .shp patched) is a row error, not a failure", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    await shapefileIn("shelters_nan", shelterFeatures, 4547, { encoding: "UTF-8" });
    const shp = readFileSync(join(dir, "shelters_nan.shp"));
    shp.writeDoubleLE(Number.NaN, 100 + 8 + 4); // the first record's x: file header, record header, shape type
    writeFileSync(join(dir, "shelters_nan.shp"), shp);
    const r = await importFile("shelters", await zipOf(parts(dir, "shelters_nan")), "format=shapefile");
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ row: 1, field: "geometry" })]);
    expect(await w.db("shelters").count("* as n").first()).toEqual({ n: "0" });
  });

  it("a .prj that cannot be read, or on a datum with no known shift (Beijing 1954), is refused naming it", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    await shapefileIn("shelters_prj", shelterFeatures, 4547, { encoding: "UTF-8" });
    const files = parts(dir, "shelters_prj", ["shp", "dbf", "cpg"]);
    const beijing = (await run("gdalsrsinfo", ["-o", "wkt_esri", "EPSG:2436"])).stdout.trim();
    for (const [prj, expected] of [
      ["garbage", /shelters_prj\.prj cannot be read as a coordinate system/],
      [beijing, /shelters_prj\.prj: Beijing_1954_3_Degree_GK_CM_117E is on the datum D_Beijing_1954, whose shift to WGS 84 is not known/],
    ] as const) {
      writeFileSync(join(dir, "bad.prj"), prj);
      const r = await importFile("shelters", await zipOf({ ...files, "shelters_prj.prj": join(dir, "bad.prj") }), "format=shapefile");
      expect([r.status, r.body.type]).toEqual([422, "/problems/unknown-crs"]);
      expect(r.body.detail).toMatch(expected);
    }
    expect(await w.db("shelters").count("* as n").first()).toEqual({ n: "0" });
  });
});

describe("a polygon: Xitun's district boundary", () => {
  it("with crs=EPSG:3826 given for its empty .prj, lands on GDAL's reprojection to 1 cm, every vertex", async () => {
    await w.db.raw("TRUNCATE townships CASCADE");
    // the boundary's DBF names the district TOWNNAME: GDAL renames it; the .prj stays empty, as published
    const src = join(XITUN, "xitun_區界.shp");
    await run("ogr2ogr", [
      "-f",
      "ESRI Shapefile",
      "-lco",
      "ENCODING=UTF-8",
      join(dir, "boundary.shp"),
      src,
      "-sql",
      'SELECT TOWNNAME AS name FROM "xitun_區界"',
    ]);
    writeFileSync(join(dir, "boundary.prj"), "");
    const zip = await zipOf(parts(dir, "boundary"));
    expect((await importFile("townships", zip, "format=shapefile")).body.detail).toMatch(/boundary\.prj is empty .* looks projected/);
    const r = await importFile("townships", zip, "format=shapefile&crs=EPSG:3826");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const truth = (await run("ogr2ogr", ["-f", "GeoJSON", "-s_srs", "EPSG:3826", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=12", "/vsistdout/", src]))
      .stdout;
    const rings = (JSON.parse(truth).features[0].geometry.coordinates as LonLat[][]).flat();
    const [row] = (await w.db.raw("SELECT name, ST_AsGeoJSON(geom, 15)::json g FROM townships")).rows;
    expect(row.name).toBe("西屯區");
    const ours = (row.g.coordinates as LonLat[][][]).flat(2);
    expect(ours.length).toBe(rings.length);
    expect(Math.max(...rings.map((p, i) => geodesicDistance(p, ours[i]!)))).toBeLessThan(0.01);
  });
});

describe("our own Shapefile export, imported back", () => {
  it("restores the attribute names dBase cut to 10 characters from its fields.txt", async () => {
    await w.db.raw("TRUNCATE shelters CASCADE");
    const csv = "code,name,capacity,shelter_type,shelter_class,effective_area_m2,lon,lat\nRT-1,回环小学,900,indoor,II,1234.5,104.06,30.65\n";
    expect((await importFile("shelters", Buffer.from(csv), "format=csv")).status).toBe(200);
    const columns = ["code", "name", "capacity", "shelter_type", "shelter_class", "effective_area_m2", w.db.raw("ST_AsText(geom) AS wkt")];
    const before = await w.db("shelters").select(columns);
    const zip = Buffer.from(await (await w.fetch(`${w.base}/api/v1/layers/shelters/export?format=shp`)).arrayBuffer());
    await w.db.raw("TRUNCATE shelters CASCADE");
    const r = await importFile("shelters", zip, "format=shapefile");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((r.body.warnings as string[]).join()).not.toMatch(/effective_|shelter_cl/);
    expect(await w.db("shelters").select(columns)).toEqual(before);
  });
});

describe("roads in our own attributes", () => {
  it("a GeoJSON of road_class, oneway, speed_kmh, status, bridge, tunnel imports as written, and comes back the same through our Shapefile export", async () => {
    await w.db.raw("TRUNCATE roads CASCADE");
    const road = (code: string, coordinates: LonLat[], properties: object) => ({
      type: "Feature",
      geometry: { type: "LineString", coordinates },
      properties: { code, ...properties },
    });
    const features = [
      road(
        "R-1",
        [
          [104.0, 30.0],
          [104.01, 30.0],
          [104.02, 30.005],
        ],
        { name: "滨河国道", road_class: "national", speed_kmh: 65.5 },
      ),
      road(
        "R-2",
        [
          [104.01, 30.0],
          [104.01, 30.01],
        ],
        { name: "跨河桥", road_class: "county", oneway: "forward", bridge: true, status: "damaged" },
      ),
      road(
        "R-3",
        [
          [104.02, 30.005],
          [104.03, 30.02],
        ],
        { name: "山区便道", road_class: "other", oneway: "backward", tunnel: true, status: "closed" },
      ),
    ];
    const r = await importFile("roads", Buffer.from(JSON.stringify({ type: "FeatureCollection", features })), "format=geojson");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.warnings).toEqual([]);
    const columns = ["code", "name", "road_class", "oneway", "speed_kmh", "status", "bridge", "tunnel", w.db.raw("ST_AsText(geom) AS wkt")];
    const before = await w.db("roads").select(columns).orderBy("code");
    expect(before.map((b) => [b.code, b.road_class, b.oneway, b.speed_kmh, b.status, b.bridge, b.tunnel])).toEqual([
      ["R-1", "national", "no", 65.5, "open", false, false],
      ["R-2", "county", "forward", null, "damaged", true, false],
      ["R-3", "other", "backward", null, "closed", false, true],
    ]);
    const zip = Buffer.from(await (await w.fetch(`${w.base}/api/v1/layers/roads/export?format=shp`)).arrayBuffer());
    await w.db.raw("TRUNCATE roads CASCADE");
    const back = await importFile("roads", zip, "format=shapefile");
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(await w.db("roads").select(columns).orderBy("code")).toEqual(before);
  });
});

describe("refusals", () => {
  it("Xitun's boundary, whose .prj is empty, is refused as looking projected, naming the parameter", async () => {
    const r = await importFile("roads", await zipOf(parts(XITUN, "xitun_區界")), "format=shapefile&dry_run=true");
    expect(r.status).toBe(422);
    expect(r.body.detail).toMatch(/xitun_區界\.prj is empty and the coordinates are not degrees .*looks projected; give crs=EPSG:<code>, e\.g\. crs=EPSG:3826/);
  });

  it("a .zip of two shapefiles is refused naming both, unless file_layer names one", async () => {
    const zip = await zipOf({ ...parts(XITUN, ROADS), ...parts(XITUN, "xitun_道路節點") });
    const r = await importFile("roads", zip, "format=shapefile&dry_run=true");
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain(`2 shapefiles (${ROADS}, xitun_道路節點): give file_layer=`);
    const named = await importFile("roads", zip, `format=shapefile&dry_run=true&file_layer=${encodeURIComponent("xitun_道路節點")}`);
    expect(named.status).toBe(422); // nodes are points: every row is refused for its geometry, nothing written
    expect(named.body.errors[0]).toMatchObject({ row: 1, field: "geometry" });
  });

  it("a body that is not a zipped shapefile or a GeoPackage, a .shp cut short or longer than its .dbf, is a 400 naming the format", async () => {
    const shp = readFileSync(join(XITUN, `${ROADS}.shp`));
    writeFileSync(join(dir, "cut.shp"), shp.subarray(0, 1000));
    writeFileSync(join(dir, "cut.dbf"), readFileSync(join(XITUN, `${ROADS}.dbf`)));
    const cases: [string, Buffer | Promise<Buffer>][] = [
      ["format=shapefile", Buffer.from("not a zip at all")],
      ["format=shapefile", zipOf({ "readme.txt": join(XITUN, `${ROADS}.cpg`) })],
      ["format=shapefile&crs=EPSG:3826", zipOf({ "cut.shp": join(dir, "cut.shp"), "cut.dbf": join(dir, "cut.dbf"), "cut.cpg": join(XITUN, `${ROADS}.cpg`) })],
      // 6,673 lines with the boundary's one DBF record
      [
        "format=shapefile&crs=EPSG:3826",
        zipOf({ "pair.shp": join(XITUN, `${ROADS}.shp`), "pair.dbf": join(XITUN, "xitun_區界.dbf"), "pair.cpg": join(XITUN, `${ROADS}.cpg`) }),
      ],
      ["format=geopackage", Buffer.from("SQLite format 3\u0000 but nothing after")],
      ["format=geopackage", shp],
    ];
    for (const [query, body] of cases) {
      const r = await importFile("roads", await body, `${query}&dry_run=true`);
      expect([r.status, r.body.type], JSON.stringify(r.body)).toEqual([400, "/problems/unreadable-file"]);
    }
  });

  it("bad road rows are refused naming row and field, and nothing is written", async () => {
    await w.db.raw("TRUNCATE roads CASCADE");
    const line = (coordinates: number[][], properties: object) => ({ type: "Feature", geometry: { type: "LineString", coordinates }, properties });
    const ok = [
      [120.6, 24.15],
      [120.61, 24.16],
    ];
    const features = [
      line(ok, { name: "好路", road_class: "county" }),
      line([[120.6, 24.15]], { name: "一点", road_class: "county" }),
      line(
        [
          [120.6, 24.15],
          [120.6, 24.15],
        ],
        { name: "零长", road_class: "county" },
      ),
      line(ok, { name: "怪类", road_class: "motorway" }),
      line(ok, { name: "零速", road_class: "county", speed_kmh: 0 }),
      line(ok, { name: "负速", road_class: "county", speed_kmh: -5 }),
      line(ok, { highway: "primary", maxspeed: "0" }),
      line(ok, { highway: "footpath_typo" }),
      line(ok, { highway: "primary", oneway: "sometimes" }),
      line(ok, { roadtype: "ZZ", dir: "1" }),
      line(ok, { roadtype: "RD", dir: "3" }),
      line(ok, { highway: "constructor" }),
      line(ok, { roadtype: "__proto__", roadstruct: "toString" }),
    ];
    const r = await importFile("roads", Buffer.from(JSON.stringify({ type: "FeatureCollection", features })), "format=geojson");
    expect(r.status).toBe(422);
    const errors = (r.body.errors as { row: number; field: string; message: string }[]).map((e) => [e.row, e.field]);
    expect(errors).toEqual(
      expect.arrayContaining([
        [2, "geometry"],
        [3, "geometry"],
        [4, "road_class"],
        [5, "speed_kmh"],
        [6, "speed_kmh"],
        [7, "maxspeed"],
        [8, "highway"],
        [9, "oneway"],
        [10, "roadtype"],
        [11, "dir"],
        [12, "highway"],
        [13, "roadtype"],
        [13, "roadstruct"],
      ]),
    );
    expect(errors.map(([row]) => row)).not.toContain(1);
    expect(await w.db("roads").count("* as n").first()).toEqual({ n: "0" });
  });
});
