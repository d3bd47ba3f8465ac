import { ROAD_CLASSES } from "../layers/roads.ts";
import type { RowError } from "./row_feature.ts";

type RoadClass = keyof typeof ROAD_CLASSES;

/**
 * How the road files bureaus and GIS users hold are read into the `roads` layer's attributes
 * (docs/interchange.md, "Road files"). A file is read in a dialect when its rows carry the dialect's key
 * column (`highway`: OpenStreetMap; `roadtype`: Taiwan MOTC road network); any other file is read by
 * its headers as every layer is (road_class, oneway, speed_kmh, …).
 */

/** OpenStreetMap `highway` → class. The `_link`s (ramps, slip roads) are of their road's class. */
export const OSM_HIGHWAY: Record<string, RoadClass> = {
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
  busway: "other",
};

/** OSM `highway` values that are not roads a vehicle can take (paths, steps, squares; not built yet; a race track, a runaway-truck ramp): left out, counted. */
export const OSM_NOT_FOR_VEHICLES = new Set([
  "footway",
  "path",
  "cycleway",
  "steps",
  "pedestrian",
  "bridleway",
  "corridor",
  "elevator",
  "platform",
  "bus_stop",
  "construction",
  "proposed",
  "planned",
  "abandoned",
  "disused",
  "razed",
  "raceway",
  "escape",
  "rest_area",
  "services",
  "via_ferrata",
]);

/** Taiwan MOTC road network `roadtype` → class, read from the data (names, widths): no published table was at hand. */
export const MOTC_ROADTYPE: Record<string, RoadClass> = {
  HW: "expressway",
  HU: "expressway", // 國道 freeway, and its ramps
  "1E": "provincial",
  "1U": "provincial",
  "1W": "provincial", // 省道: 1E the express provincial roads (台74)
  "2U": "county",
  "2W": "county", // 縣道
  "3U": "township",
  "3W": "township", // 鄉道/區道 (中71)
  RD: "township", // 市區道路 urban streets (路, 街, 大道): the arterials between the numbered roads
  AL: "village", // 巷, 弄 lanes
  OT: "other", // 其他道路, 無路名道路
};

/** MOTC `roadstruct`: 1 at grade, 2 bridge, 3 tunnel, 4 underpass, 5 viaduct (台74, freeway ramps), 7 freeway viaduct with bridge ids. */
export const MOTC_STRUCTURE: Record<string, "bridge" | "tunnel" | "level"> = {
  "1": "level",
  "2": "bridge",
  "3": "tunnel",
  "4": "tunnel",
  "5": "bridge",
  "7": "bridge",
};

/** A row as the roads layer reads it: our attributes, or left out (and why), or errors. */
export type RoadRow = { cells: Record<string, unknown>; dialect?: Dialect } | { leftOut: string } | RowError[];
export type Dialect = "OpenStreetMap" | "Taiwan MOTC";

/** The name of a road the file leaves unnamed: 未命名 and its class, so that a map and a route can still call it something. */
export const unnamed = (roadClass: RoadClass) => `未命名${ROAD_CLASSES[roadClass].zh}`;

/** A table's own entry (a file's "constructor" is not a road class). */
const lookup = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);
const text = (v: unknown) => (v === null || v === undefined ? "" : String(v).trim());
const KMH = { "": 1, "km/h": 1, kmh: 1, kph: 1, mph: 1.609344, knots: 1.852 } as Record<string, number>;

/** OSM `maxspeed` in km/h: `50`, `50 mph`, `30 knots`; undefined (the class default) for none, signals, variable and zone codes (`FR:urban`). */
function osmSpeed(value: string): number | undefined | string {
  const m = /^(-?\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/i.exec(value);
  if (m) {
    const kmh = Number(m[1]) * KMH[(m[2] ?? "").toLowerCase()]!;
    return kmh > 0 ? Math.round(kmh * 100) / 100 : `must be more than 0 (${JSON.stringify(value)})`;
  }
  if (value === "" || /^(none|signals|variable|unknown|[a-z]{2}:[a-z_0-9]+)$/i.test(value)) return undefined;
  if (value === "walk") return 5;
  return `${JSON.stringify(value)} is not a speed (a number, "50 mph", "none")`;
}

const ONEWAY: Record<string, "forward" | "backward" | "no"> = {
  yes: "forward",
  "1": "forward",
  true: "forward",
  "-1": "backward",
  reverse: "backward",
  no: "no",
  "0": "no",
  false: "no",
  reversible: "no",
  alternating: "no", // both ways, by turns: open to a dispatcher either way
};

function osmRow(row: number, get: (key: string) => string): RoadRow {
  const highway = get("highway").toLowerCase();
  const roadClass = lookup(OSM_HIGHWAY, highway);
  if (!roadClass) {
    if (OSM_NOT_FOR_VEHICLES.has(highway)) return { leftOut: `highway=${highway}` };
    return [
      {
        row,
        field: "highway",
        message: `${JSON.stringify(highway)} is not a highway value the roads layer reads (${Object.keys(OSM_HIGHWAY).join(", ")}; paths and steps are left out)`,
      },
    ];
  }
  const errors: RowError[] = [];
  const onewayTag = get("oneway").toLowerCase();
  const junction = get("junction").toLowerCase();
  let oneway = onewayTag === "" ? undefined : lookup(ONEWAY, onewayTag);
  if (onewayTag !== "" && !oneway) errors.push({ row, field: "oneway", message: `${JSON.stringify(onewayTag)} is not yes, no, -1 or reversible` });
  // roundabouts and motorways are one-way unless tagged otherwise, as every OSM router reads them
  oneway ??= junction === "roundabout" || junction === "circular" || highway === "motorway" ? "forward" : "no";
  const speed = osmSpeed(get("maxspeed"));
  if (typeof speed === "string") errors.push({ row, field: "maxspeed", message: speed });
  if (errors.length > 0) return errors;
  const yes = (key: string) => !["", "no", "false", "0"].includes(get(key).toLowerCase());
  return {
    dialect: "OpenStreetMap",
    cells: {
      road_class: roadClass,
      oneway,
      speed_kmh: speed,
      name: get("name") || get("ref") || unnamed(roadClass),
      code: get("osm_id") || undefined,
      bridge: yes("bridge"),
      tunnel: yes("tunnel"),
    },
  };
}

function motcRow(row: number, get: (key: string) => string): RoadRow {
  const type = get("roadtype").toUpperCase();
  const roadClass = lookup(MOTC_ROADTYPE, type);
  const dir = get("dir");
  const structure = lookup(MOTC_STRUCTURE, get("roadstruct") || "1");
  const errors: RowError[] = [];
  if (!roadClass)
    errors.push({
      row,
      field: "roadtype",
      message: `${JSON.stringify(type)} is not a road type the roads layer reads (${Object.keys(MOTC_ROADTYPE).join(", ")})`,
    });
  if (dir !== "" && dir !== "0" && dir !== "1")
    errors.push({ row, field: "dir", message: `${JSON.stringify(dir)} is not 0 (both ways) or 1 (one-way, fnode → tnode)` });
  if (!structure) errors.push({ row, field: "roadstruct", message: `${JSON.stringify(get("roadstruct"))} is not ${Object.keys(MOTC_STRUCTURE).join(", ")}` });
  if (errors.length > 0) return errors;
  return {
    dialect: "Taiwan MOTC",
    cells: {
      road_class: roadClass,
      oneway: dir === "1" ? "forward" : "no",
      name: get("roadname") || get("rdname") || unnamed(roadClass!),
      code: get("roadid") || undefined,
      bridge: structure === "bridge",
      tunnel: structure === "tunnel",
    },
  };
}

/** The columns each dialect reads (any case); its other columns are passed on as a file's are. MOTC's `status` holds its own codes, not ours: read and dropped. */
const READS: Record<Dialect, string[]> = {
  OpenStreetMap: ["highway", "oneway", "junction", "maxspeed", "name", "ref", "osm_id", "bridge", "tunnel"],
  "Taiwan MOTC": ["roadtype", "dir", "roadstruct", "roadname", "rdname", "roadid", "status"],
};

/** A row of a road file in our attributes, by its dialect; a row of neither dialect unchanged. */
export function roadRow(row: number, cells: Record<string, unknown>): RoadRow {
  const keys = new Map(Object.keys(cells).map((k) => [k.toLowerCase(), k]));
  const dialect: Dialect | undefined = keys.has("highway") ? "OpenStreetMap" : keys.has("roadtype") ? "Taiwan MOTC" : undefined;
  if (!dialect) return { cells };
  const get = (key: string) => text(cells[keys.get(key) ?? key]);
  const mapped = dialect === "OpenStreetMap" ? osmRow(row, get) : motcRow(row, get);
  if (!("cells" in mapped)) return mapped;
  const rest: Record<string, unknown> = {};
  const read = new Set(READS[dialect]);
  for (const k in cells) if (!read.has(k.toLowerCase())) rest[k] = cells[k];
  return { dialect, cells: { ...rest, ...mapped.cells } };
}
