import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as turf from "@turf/turf";
import Database from "better-sqlite3";
import { startDemoWorld, type World } from "../support/world.ts";
import { LAYERS } from "../../server/layers/index.ts";
import { allFields, systemProperties, type Layer } from "../../server/layers/layer.ts";

// Every layer in every format, downloaded over HTTP and read back by GDAL (the independent reader),
// compared with the rows as PostgreSQL holds them.

const run = promisify(execFile);
const FORMATS = ["geojson", "csv", "kml", "shp", "gpkg"] as const;
type Format = (typeof FORMATS)[number];
const EXTENSIONS: Record<Format, string> = { geojson: "geojson", csv: "csv", kml: "kml", shp: "zip", gpkg: "gpkg" };

let w: World;
let dir: string;
beforeAll(async () => {
  w = await startDemoWorld();
  dir = mkdtempSync(join(tmpdir(), "hazmap-export-test-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await w.close();
});

async function download(query: string): Promise<{ res: Response; body: Buffer; file: string }> {
  const res = await w.fetch(`${w.base}/api/v1/layers/${query}`);
  const body = Buffer.from(await res.arrayBuffer());
  const file = join(dir, `${Math.random().toString(36).slice(2)}-${/filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "x"}`);
  writeFileSync(file, body);
  return { res, body, file };
}

/** What GDAL opens for a downloaded file, and the open options that find a CSV's geometry. */
function gdalSource(format: Format, file: string, layer: Layer): { source: string; options: string[] } {
  if (format === "shp") return { source: `/vsizip/${file}`, options: [] };
  if (format === "csv") {
    const geometry = layer.storedAs === "Point" ? ["-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat"] : ["-oo", "GEOM_POSSIBLE_NAMES=wkt"];
    return { source: file, options: [...geometry, "-oo", "KEEP_GEOM_COLUMNS=NO"] };
  }
  return { source: file, options: [] };
}

/** Every feature of every layer GDAL finds in the file, as GeoJSON (ogr2ogr to /vsistdout/), by layer name. */
async function readWithGdal(format: Format, file: string, layer: Layer): Promise<Map<string, GeoJSON.Feature[]>> {
  const { source, options } = gdalSource(format, file, layer);
  const { stdout: list } = await run("ogrinfo", ["-ro", "-q", ...options, source]);
  const names = [...list.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]!);
  const layers = new Map<string, GeoJSON.Feature[]>();
  for (const name of names) {
    const { stdout } = await run("ogr2ogr", ["-f", "GeoJSON", "-preserve_fid", ...options, "/vsistdout/", source, name], { maxBuffer: 1 << 28 });
    layers.set(name, (JSON.parse(stdout) as GeoJSON.FeatureCollection).features);
  }
  return layers;
}

interface Row {
  id: number;
  geometry: GeoJSON.Geometry;
  [k: string]: unknown;
}

async function dbRows(layer: Layer): Promise<Row[]> {
  const { rows } = await w.db.raw(`SELECT t.*, ST_AsGeoJSON(t.geom) AS geojson FROM ${layer.table} t ORDER BY t.id`);
  return rows.map((r: Record<string, unknown>) => ({ ...r, id: Number(r.id), geometry: JSON.parse(r.geojson as string) }));
}

const kindOf = (layer: Layer, name: string) => allFields(layer)[name]?.kind ?? (name === "version" ? "integer" : "datetime");
const pad = (n: number) => String(n).padStart(2, "0");

/** A value as comparable text: the database's (JS from pg) and GDAL's (whatever the format gave) alike. */
function canonical(kind: string, v: unknown, lossy: boolean): string | null {
  if (v === null || v === undefined || (lossy && v === "")) return null;
  switch (kind) {
    case "integer":
    case "number":
      return String(Number(v));
    case "boolean":
      return [true, "true", 1, "1", "T"].includes(v as never) ? "true" : "false";
    case "date":
      return v instanceof Date ? `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}` : String(v).replaceAll("/", "-");
    case "datetime":
      return new Date(v instanceof Date ? v : String(v).replaceAll("/", "-").replace(/\+00$/, "Z")).toISOString();
    case "text_list":
      return Array.isArray(v) ? (v.length ? v.join(";") : lossy ? null : "") : String(v);
    default:
      return String(v);
  }
}

function coordinates(g: GeoJSON.Geometry): [number, number][] {
  const flat: [number, number][] = [];
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === "number") flat.push([(c as number[])[0]!, (c as number[])[1]!]);
    else for (const x of c as unknown[]) walk(x);
  };
  walk((g as { coordinates: unknown }).coordinates);
  return flat;
}

/** Same vertices within 1e-6°, in any order: rings may come back reversed (shapefiles wind outer rings clockwise). */
function expectSameVertices(got: GeoJSON.Geometry, want: GeoJSON.Geometry, what: string) {
  const a = coordinates(got);
  const b = coordinates(want);
  expect(a.length, `${what} vertices`).toBe(b.length);
  for (const [x, y] of a)
    expect(
      b.some(([u, v]) => Math.abs(x - u) < 1e-6 && Math.abs(y - v) < 1e-6),
      `${what} vertex ${x},${y}`,
    ).toBe(true);
  for (const [x, y] of b)
    expect(
      a.some(([u, v]) => Math.abs(x - u) < 1e-6 && Math.abs(y - v) < 1e-6),
      `${what} vertex ${x},${y}`,
    ).toBe(true);
}

const family = (type: string) => type.replace("Multi", "");

describe.each(LAYERS.map((l) => [l.name, l] as const))("export of %s", (_name, layer) => {
  let rows: Row[];
  beforeAll(async () => {
    rows = await dbRows(layer);
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(FORMATS)("as %s: GDAL reads every row with its attributes and geometry", async (format) => {
    const { res, file } = await download(`${layer.name}/export?format=${format}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="${layer.name}-\\d{8}\\.${EXTENSIONS[format]}"$`));

    const layers = await readWithGdal(format, file, layer);
    const features = [...layers.values()].flat();
    expect(features.length).toBe(rows.length);

    // shapefile attribute names are cut to 10 characters; fields.txt in the zip says how
    const fieldNames = [...Object.keys(allFields(layer)), ...systemProperties(layer)];
    const keyOf = new Map(fieldNames.map((f) => [f, f]));
    if (format === "shp") {
      const { stdout } = await run("unzip", ["-p", file, "fields.txt"]);
      const mapping = stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split("\t"));
      for (const [short, full] of mapping) {
        expect(short!.length).toBeLessThanOrEqual(10);
        keyOf.set(full!, short!);
      }
      expect(mapping.map((m) => m[1])).toEqual(["id", ...fieldNames]);
    }
    if (format === "kml") keyOf.set("name", "Name");

    const lossy = format === "csv" || format === "kml" || format === "shp";
    const byId = new Map(rows.map((r) => [r.id, r]));
    const seen = new Set<number>();
    for (const f of features) {
      const id = Number(f.properties!.id ?? f.id);
      const row = byId.get(id);
      expect(row, `${format} feature ${id}`).toBeDefined();
      seen.add(id);
      for (const name of fieldNames) {
        const kind = kindOf(layer, name);
        const actual = canonical(kind, f.properties![keyOf.get(name)!], lossy);
        const expected = canonical(kind, row![name], lossy);
        if (kind === "number" && expected !== null) expect(Number(actual), `${format} ${id} ${name}`).toBeCloseTo(Number(expected), 6);
        // times: PostgreSQL keeps microseconds, formats keep milliseconds (rounded or cut)
        else if (kind === "datetime" && expected !== null)
          expect(Math.abs(Date.parse(actual!) - Date.parse(expected)), `${format} ${id} ${name}`).toBeLessThanOrEqual(1);
        else expect(actual, `${format} ${id} ${name}`).toBe(expected);
      }
      const geometry = f.geometry!;
      if (format === "geojson" || format === "gpkg") expect(geometry.type).toBe(row!.geometry.type);
      else expect(family(geometry.type)).toBe(family(row!.geometry.type));
      expectSameVertices(geometry, row!.geometry, `${format} ${id}`);
    }
    expect(seen.size).toBe(rows.length);
    // Chinese intact: the names are the database's, character for character (checked above), and some are Chinese
    expect(rows.some((r) => /[\u4e00-\u9fff]/.test(String(r.name)))).toBe(true);
  });
});

describe("what only some formats carry", () => {
  it("CSV starts with a UTF-8 byte order mark, then the header of field names, lon,lat for points and wkt otherwise", async () => {
    const points = await download("shelters/export?format=csv");
    expect(points.res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect([...points.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const header = points.body.subarray(3).toString("utf8").split("\n")[0]!;
    expect(header.split(",")).toEqual([
      "id",
      ...Object.keys(allFields(LAYERS.find((l) => l.name === "shelters")!)),
      "version",
      "created_at",
      "updated_at",
      "lon",
      "lat",
    ]);
    const zones = await download("hazard-zones/export?format=csv");
    expect(zones.body.subarray(3).toString("utf8").split("\n")[0]!.split(",").at(-1)).toBe("wkt");
  });

  it("KML styles each placemark by its risk level: 1 red, 2 orange, 3 yellow, 4 blue", async () => {
    const count = async (table: string, column: string) =>
      new Map(
        (await w.db.raw(`SELECT ${column} AS level, count(*)::int AS n FROM ${table} WHERE ${column} IS NOT NULL GROUP BY 1`)).rows.map(
          (r: { level: number; n: number }) => [r.level, r.n],
        ),
      );
    for (const [layer, table, column] of [
      ["hazards", "hazards", "risk_level"],
      ["hazard-zones", "hazard_zones", "risk_level"],
      ["village-risk", "village_risk", "max_risk_level"],
    ] as const) {
      const { body } = await download(`${layer}/export?format=kml`);
      const kml = body.toString("utf8");
      const expected = await count(table, column);
      for (const [level, colour] of [
        [1, "ff0000ff"],
        [2, "ff00a5ff"],
        [3, "ff00ffff"],
        [4, "ffff0000"],
      ] as const) {
        expect(kml).toContain(`<Style id="risk${level}"><IconStyle><color>${colour}</color>`);
        expect(kml.split(`<styleUrl>#risk${level}</styleUrl>`).length - 1, `${layer} level ${level}`).toBe(expected.get(level) ?? 0);
      }
    }
  });

  it("a shapefile zip holds .shp/.shx/.dbf/.prj/.cpg per geometry type, in WGS 84 and UTF-8", async () => {
    const { res, file } = await download("hazards/export?format=shp");
    expect(res.headers.get("content-type")).toBe("application/zip");
    const { stdout } = await run("unzip", ["-Z1", file]);
    const types: string[] = (
      await w.db.raw(
        "SELECT DISTINCT CASE WHEN GeometryType(geom) LIKE '%POLYGON' THEN 'polygon' WHEN GeometryType(geom) LIKE '%LINESTRING' THEN 'line' ELSE 'point' END AS t FROM hazards ORDER BY 1",
      )
    ).rows.map((r: { t: string }) => r.t);
    expect(types.length).toBe(3);
    expect(stdout.trim().split("\n").sort()).toEqual(
      [...types.flatMap((t) => ["shp", "shx", "dbf", "prj", "cpg"].map((e) => `hazards_${t}.${e}`)), "fields.txt"].sort(),
    );
    for (const t of types) {
      expect((await run("unzip", ["-p", file, `hazards_${t}.cpg`])).stdout).toBe("UTF-8");
      expect((await run("unzip", ["-p", file, `hazards_${t}.prj`])).stdout).toMatch(/^GEOGCS\["GCS_WGS_1984"/);
      const { stdout: info } = await run("ogrinfo", ["-so", `/vsizip/${file}`, `hazards_${t}`]);
      expect(info).toMatch(new RegExp(`Geometry: ${{ point: "Point", line: "Line String", polygon: "Polygon" }[t]}`));
      expect(info).toMatch(/WGS 84|WGS_1984/);
    }
  });

  it("a GeoPackage declares the layer's attribute types, SRS 4326, its bounds and an R-tree GDAL uses", async () => {
    const { file } = await download("village-risk/export?format=gpkg");
    const gpkg = new Database(file, { readonly: true });
    try {
      expect(gpkg.pragma("application_id", { simple: true })).toBe(0x47504b47);
      expect(gpkg.pragma("user_version", { simple: true })).toBeGreaterThanOrEqual(10200);
      const types = Object.fromEntries((gpkg.pragma("table_info(village_risk)") as { name: string; type: string }[]).map((c) => [c.name, c.type]));
      expect(types).toMatchObject({
        fid: "INTEGER",
        geom: "POINT",
        name: "TEXT",
        population: "INTEGER",
        nearest_depot_m: "REAL",
        covered: "BOOLEAN",
        hazard_names: "TEXT",
      });
      const contents = gpkg.prepare("SELECT * FROM gpkg_contents").get() as Record<string, number | string>;
      const [extent] = (
        await w.db.raw("SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1 FROM (SELECT ST_Extent(geom) AS e FROM villages) s")
      ).rows;
      expect([contents.min_x, contents.min_y, contents.max_x, contents.max_y]).toEqual([extent.x0, extent.y0, extent.x1, extent.y1]);
      expect(contents).toMatchObject({ table_name: "village_risk", data_type: "features", identifier: "village-risk", srs_id: 4326 });
      expect(gpkg.prepare("SELECT * FROM gpkg_geometry_columns").get()).toMatchObject({ column_name: "geom", geometry_type_name: "POINT", srs_id: 4326 });
      expect(gpkg.prepare("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'village_risk'").pluck().all()).toContain("gpkg_rtree_index");
      expect(gpkg.prepare("SELECT count(*) FROM rtree_village_risk_geom").pluck().get()).toBe(300);
    } finally {
      gpkg.close();
    }
    const { stdout } = await run("ogrinfo", ["-ro", "-q", file, "-sql", "SELECT HasSpatialIndex('village_risk', 'geom')"]);
    expect(stdout).toMatch(/HasSpatialIndex \(Integer\) = 1/);
    // GDAL's own integrity checks find nothing to complain about
    const { stderr } = await run("ogrinfo", ["-ro", "-al", "-so", file]);
    expect(stderr).toBe("");
  });
});

describe("bbox and attribute filters", () => {
  it("restrict points to exactly the brute-force set", async () => {
    const rows = await dbRows(LAYERS.find((l) => l.name === "villages")!);
    const xs = rows.map((r) => (r.geometry as GeoJSON.Point).coordinates[0]!).sort((a, b) => a - b);
    const ys = rows.map((r) => (r.geometry as GeoJSON.Point).coordinates[1]!).sort((a, b) => a - b);
    const bbox = [xs[60]!, ys[40]!, xs[240]!, ys[270]!];
    const township = rows[0]!.township_code as string;
    const expected = rows
      .filter((r) => {
        const [x, y] = (r.geometry as GeoJSON.Point).coordinates as [number, number];
        return x >= bbox[0]! && x <= bbox[2]! && y >= bbox[1]! && y <= bbox[3]! && r.township_code === township;
      })
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    for (const format of ["csv", "gpkg"] as const) {
      const { res, file } = await download(`villages/export?format=${format}&bbox=${bbox.join(",")}&township_code=${township}`);
      expect(res.status).toBe(200);
      const features = [...(await readWithGdal(format, file, LAYERS.find((l) => l.name === "villages")!)).values()].flat();
      expect(features.map((f) => Number(f.properties!.id ?? f.id)).sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it("restrict mixed geometries (intersecting the box) to exactly the brute-force set", async () => {
    const hazards = LAYERS.find((l) => l.name === "hazards")!;
    const rows = await dbRows(hazards);
    const [x0, y0, x1, y1] = turf.bbox(turf.featureCollection(rows.map((r) => turf.feature(r.geometry))));
    const bbox: [number, number, number, number] = [x0, y0, (x0 + x1) / 2, (y0 + y1) / 2];
    const expected = rows
      .filter((r) => [1, 2].includes(r.risk_level as number) && turf.booleanIntersects(turf.feature(r.geometry), turf.bboxPolygon(bbox)))
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    for (const format of ["shp", "kml", "geojson"] as const) {
      const { file } = await download(`hazards/export?format=${format}&bbox=${bbox.join(",")}&risk_level=1,2`);
      const features = [...(await readWithGdal(format, file, hazards)).values()].flat();
      expect(
        features.map((f) => Number(f.properties!.id ?? f.id)).sort((a, b) => a - b),
        format,
      ).toEqual(expected);
    }
  });
});

describe("filter values inlined into COPY", () => {
  it("stay values: quotes, backslashes and SQL match nothing and run nothing", async () => {
    for (const name of ["x'); DROP TABLE villages; --", "a\\'b", "$1"]) {
      const { res, body } = await download(`villages/export?format=csv&name=${encodeURIComponent(name)}&q=${encodeURIComponent(name)}`);
      expect(res.status).toBe(200);
      expect(body.toString("utf8").trim().split("\n")).toHaveLength(1); // the header only
    }
    expect((await w.db.raw("SELECT count(*)::int AS n FROM villages")).rows[0].n).toBe(300);
  });
});

describe("bad requests", () => {
  it.each([
    ["villages/export?format=xlsx", ["format"]],
    ["villages/export", ["format"]],
    ["villages/export?format=csv&bbox=1,2,3", ["bbox"]],
    ["villages/export?format=csv&bbox=10,0,5,1", ["bbox"]],
    ["hazards/export?format=kml&risk_level=9", ["risk_level", 0]],
    ["villages/export?format=gpkg&colour=red", ["colour"]],
    ["villages/export?format=geojson&limit=10", ["limit"]],
  ])("%s → 400 naming %j", async (query, path) => {
    const res = await w.fetch(`${w.base}/api/v1/layers/${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.headers.get("content-disposition")).toBeNull();
    expect((await res.json()).errors).toContainEqual(expect.objectContaining({ path }));
  });

  it("an unknown layer → 404", async () => {
    const res = await w.fetch(`${w.base}/api/v1/layers/rivers/export?format=csv`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});

describe("the CLI", () => {
  it("writes a GeoPackage of village-risk from the database, with progress on stderr", async () => {
    const out = join(dir, "risk.gpkg");
    const { stderr } = await run("npx", ["tsx", "scripts/export.ts", "--layer", "village-risk", "--format", "gpkg", "--out", out, "--covered", "false"], {
      env: { ...process.env, DATABASE_URL: w.url },
    });
    const uncovered: number = (await w.db.raw("SELECT count(*)::int AS n FROM village_risk WHERE NOT covered")).rows[0].n;
    expect(uncovered).toBeGreaterThan(0);
    expect(stderr).toContain(`${uncovered} rows written to ${out}`);
    const { stdout } = await run("ogrinfo", ["-ro", "-so", out, "village_risk"]);
    expect(stdout).toContain(`Feature Count: ${uncovered}`);
  });

  it("refuses a bad argument, naming it", async () => {
    const failed = await run("npx", ["tsx", "scripts/export.ts", "--layer", "villages", "--format", "pdf", "--out", join(dir, "x")], {
      env: { ...process.env, DATABASE_URL: w.url },
    }).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^--format: must be one of geojson, csv, kml, shp, gpkg/);
  });
});
