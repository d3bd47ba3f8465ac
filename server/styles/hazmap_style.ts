import type { LayerSpecification, StyleSpecification } from "maplibre-gl";
import { MAX_ZOOM } from "../tiles/tilejson.ts";
import type { Label } from "../layers/fields.ts";
import { RISK_LEVELS } from "../layers/hazards.ts";
import { ROAD_CLASSES } from "../layers/roads.ts";
import { TEAM_TYPES } from "../layers/teams.ts";

/**
 * The web map's style (MapLibre style spec v8), served as GET /styles/hazmap.json so the web app,
 * QGIS ("Style URL") and any MapLibre app draw the map alike. Every URL in it is the product's own:
 * vector tiles of its layers on a plain background, no glyph server (MapLibre and QGIS draw labels
 * with local fonts), no sprite (the web app draws its icons, `hazmap-*`, itself: web/src/map/icons.ts),
 * nothing from the internet. One shape per kind of thing, so colour is never the only difference:
 * hazards ▲ in their risk colour (those four colours are for hazards alone), shelters ⌂ green,
 * depots ■ purple, teams a navy shield marked with their type's character.
 */

/** 红 1 / 橙 2 / 黄 3 / 蓝 4: the four-colour convention of risk grading (风险分级管控). */
const RISK_COLOURS = { 1: "#d7191c", 2: "#f28c28", 3: "#f2c500", 4: "#2b83ba" } as const;
/** Shelters by their free places: plenty (≥ 30 % free), few, none or closed. Greens and a grey: no risk colour. */
const SHELTER_COLOURS = { plenty: "#2e7d32", few: "#8bc34a", none: "#8d8d8d" } as const;
const DEPOT_COLOUR = "#6a1b9a";
/** Every team is one navy; its type is the character on its shield (web/src/map/icons.ts TEAM_MARKS). */
const TEAM_COLOUR = "#1a2f6e";
const VILLAGE_COLOUR = "#455a64";
/** The base: water blue, built-up areas a warm grey, place names dark. */
const WATER = { line: "#4a8fd4", fill: "#a9d0f0", text: "#1c5a96" } as const;
const BUILT_UP = "#e2d8c8";
/**
 * Roads as on a Chinese road map: 高速 green (its signs' colour), 国道 red, 省道 yellow-orange, 县道 pale
 * yellow, 乡道 and 村道 white with a grey casing, tracks brown; wider the higher the class.
 */
const ROAD_COLOURS = {
  expressway: "#2e8b57",
  national: "#e2462f",
  provincial: "#f5a623",
  county: "#f7dc6f",
  township: "#ffffff",
  village: "#ffffff",
  other: "#a1887f",
} as const;
const ROAD_CASINGS: Record<keyof typeof ROAD_COLOURS, string> = {
  expressway: "#1b5e3b",
  national: "#a8281a",
  provincial: "#b9770e",
  county: "#b7950b",
  township: "#9e9e9e",
  village: "#b0b0b0",
  other: "#a1887f",
};
/** Line width (px) of each class at zoom 9, 13 and 17. */
const ROAD_WIDTHS: Record<keyof typeof ROAD_COLOURS, [number, number, number]> = {
  expressway: [2.5, 7, 16],
  national: [2.2, 6, 14],
  provincial: [1.8, 5, 12],
  county: [1.2, 4, 10],
  township: [0.6, 3, 8],
  village: [0.4, 2, 6],
  other: [0.4, 1.2, 3],
};
/** Closed roads (中断) in the red of a blocked road on a traffic map; damaged (受损) in amber. */
const ROAD_CLOSED = "#d50000";
const ROAD_DAMAGED = "#ff8f00";

const byClass = (values: Record<string, unknown>, otherwise: unknown) =>
  ["match", ["get", "road_class"], ...Object.entries(values).flat(), otherwise] as unknown as string;
/** Width by class, growing with the zoom; `extra` px more (a casing). */
const roadWidth = (extra = 0) =>
  [
    "interpolate",
    ["exponential", 1.5],
    ["zoom"],
    ...[9, 13, 17].flatMap((z, i) => [z, byClass(Object.fromEntries(Object.entries(ROAD_WIDTHS).map(([k, w]) => [k, w[i]! + extra * (i + 1)])), 1)]),
  ] as unknown as number;

/** The legend swatch of each data layer. */
const LAYER_COLOURS: Record<string, string> = {
  hazards: RISK_COLOURS[1],
  "hazard-zones": RISK_COLOURS[2],
  shelters: SHELTER_COLOURS.plenty,
  depots: DEPOT_COLOUR,
  teams: TEAM_COLOUR,
  villages: VILLAGE_COLOUR,
  townships: "#607d8b",
  roads: ROAD_COLOURS.national,
  waterways: WATER.line,
  water_areas: WATER.fill,
  built_up: BUILT_UP,
  places: "#263238",
};

/** How a legend line draws its symbol: a map icon (an SDF one in `colour`), a line, an area, a dot or a sample of text. */
export type LegendSymbol =
  | { icon: string; colour?: string }
  | { line: string; dashed?: boolean; width?: number }
  | { fill: string; outline?: string }
  | { dot: string; ring?: string }
  | { text: string; colour: string };
export interface LegendKey {
  symbol: LegendSymbol;
  label: Label;
}

const ICON = { hazard: "hazmap-hazard", shelter: "hazmap-shelter", depot: "hazmap-depot", team: (type: string) => `hazmap-team-${type}` };

/** Every symbol the style draws, by data layer, with what it means: the legend the layers panel and the print show. */
const LEGEND_KEYS: Record<string, LegendKey[]> = {
  hazards: Object.entries(RISK_LEVELS).map(([n, label]) => ({ symbol: { icon: ICON.hazard, colour: RISK_COLOURS[Number(n) as 1] }, label })),
  "hazard-zones": [
    { symbol: { fill: "#f28c2833", outline: RISK_COLOURS[2] }, label: { zh: "影响范围(颜色同风险等级)", en: "Zone of influence (risk colour)" } },
  ],
  shelters: [
    { symbol: { icon: ICON.shelter, colour: SHELTER_COLOURS.plenty }, label: { zh: "空余 ≥ 30%", en: "≥ 30 % free" } },
    { symbol: { icon: ICON.shelter, colour: SHELTER_COLOURS.few }, label: { zh: "空余 < 30%", en: "< 30 % free" } },
    { symbol: { icon: ICON.shelter, colour: SHELTER_COLOURS.none }, label: { zh: "已满或关闭", en: "Full or closed" } },
  ],
  depots: Object.entries({ county: "县级", township: "乡级", village: "村级" }).map(([level, zh]) => ({
    symbol: { icon: ICON.depot, colour: DEPOT_COLOUR },
    label: { zh: `${zh}储备库`, en: `${level[0]!.toUpperCase()}${level.slice(1)} depot` },
  })),
  teams: Object.entries(TEAM_TYPES).map(([type, label]) => ({ symbol: { icon: ICON.team(type) }, label })),
  villages: [{ symbol: { dot: VILLAGE_COLOUR }, label: { zh: "行政村(大小示人口)", en: "Village (size: people)" } }],
  townships: [{ symbol: { fill: "#eef2f5", outline: "#78909c" }, label: { zh: "乡镇界", en: "Township boundary" } }],
  roads: [
    ...Object.entries(ROAD_CLASSES).map(([k, label]) => ({ symbol: { line: ROAD_COLOURS[k as keyof typeof ROAD_COLOURS], dashed: k === "other" }, label })),
    { symbol: { line: ROAD_DAMAGED, dashed: true }, label: { zh: "受损", en: "Damaged" } },
    { symbol: { line: ROAD_CLOSED, dashed: true }, label: { zh: "中断", en: "Closed" } },
  ],
  waterways: [
    { symbol: { line: WATER.line, width: 3 }, label: { zh: "河流", en: "River" } },
    { symbol: { line: WATER.line, width: 1.5 }, label: { zh: "溪沟", en: "Stream" } },
    { symbol: { line: WATER.line, width: 1.5, dashed: true }, label: { zh: "渠道", en: "Canal" } },
  ],
  water_areas: [{ symbol: { fill: WATER.fill, outline: WATER.line }, label: { zh: "湖泊、水库、河道水面", en: "Lakes, reservoirs, rivers" } }],
  built_up: [{ symbol: { fill: BUILT_UP }, label: { zh: "城镇建成区", en: "Built-up area" } }],
  places: [{ symbol: { text: "地名", colour: "#263238" }, label: { zh: "县城、乡镇、村", en: "County seat, townships, villages" } }],
};

const risk = ["match", ["get", "risk_level"], 1, RISK_COLOURS[1], 2, RISK_COLOURS[2], 3, RISK_COLOURS[3], RISK_COLOURS[4]] as unknown as string;
const text = { "text-font": ["Noto Sans CJK SC", "sans-serif"], "text-size": 12 };
const halo = { "text-color": "#1d2733", "text-halo-color": "#fff", "text-halo-width": 1.5 } as const;

/** A resource's icon (drawn by the web app, see the header): always shown, never hidden by a name or another icon; names keep off it. */
const icon = (image: string) => ({ "icon-image": image, "icon-allow-overlap": true, "icon-padding": 0 }) as const;
/** A resource's name beside its icon from `minzoom`: under it, or else to a side or above, where there is room (ems clear of the icon). */
const name = (id: string, sourceLayer: string, minzoom: number, colour: string): LayerSpecification => ({
  id,
  type: "symbol",
  source: SOURCE,
  "source-layer": sourceLayer,
  minzoom,
  layout: {
    ...text,
    "text-field": ["get", "name"],
    "text-size": 12,
    "text-variable-anchor-offset": ["top", [0, 1.9], "left", [1.9, 0], "right", [-1.9, 0], "bottom", [0, -1.9]],
    "text-justify": "auto",
    "text-max-width": 8,
  },
  paint: { ...halo, "text-color": colour },
});

/** One vector tile source holds every layer (GET /tiles/all/…): one request per tile, not one per layer. */
const SOURCE = "hazmap";

/** The map layers drawn for each data layer, bottom to top; ids start with the data layer's name. */
const MAP_LAYERS: [string, LayerSpecification[]][] = [
  [
    "townships",
    [
      { id: "townships-fill", type: "fill", source: SOURCE, "source-layer": "townships", paint: { "fill-color": "#eef2f5", "fill-opacity": 0.6 } },
      {
        id: "townships-line",
        type: "line",
        source: SOURCE,
        "source-layer": "townships",
        paint: { "line-color": "#78909c", "line-width": 1.2, "line-dasharray": [3, 2] },
      },
      {
        id: "townships-label",
        type: "symbol",
        source: SOURCE,
        "source-layer": "townships-labels",
        layout: { ...text, "text-field": ["get", "name"], "text-size": 14 },
        paint: { ...halo, "text-color": "#37474f" },
      },
    ],
  ],
  ["built_up", [{ id: "built_up-fill", type: "fill", source: SOURCE, "source-layer": "built_up", paint: { "fill-color": BUILT_UP, "fill-opacity": 0.85 } }]],
  [
    "water_areas",
    [
      {
        id: "water_areas-fill",
        type: "fill",
        source: SOURCE,
        "source-layer": "water_areas",
        paint: { "fill-color": WATER.fill, "fill-outline-color": WATER.line },
      },
      // a lake's or reservoir's name inside it; a river's is written along its line (waterways-label)
      {
        id: "water_areas-label",
        type: "symbol",
        source: SOURCE,
        "source-layer": "water_areas-labels",
        minzoom: 10,
        filter: ["!=", ["get", "kind"], "river"],
        layout: { ...text, "text-field": ["get", "name"], "text-size": 12 },
        paint: { ...halo, "text-color": WATER.text },
      },
    ],
  ],
  [
    "waterways",
    [
      {
        id: "waterways-line",
        type: "line",
        source: SOURCE,
        "source-layer": "waterways",
        layout: { "line-cap": "round", "line-join": "round" },
        paint: {
          "line-color": WATER.line,
          "line-width": [
            "interpolate",
            ["linear"],
            ["zoom"],
            8,
            ["match", ["get", "kind"], "river", 1.5, 0.5],
            14,
            ["match", ["get", "kind"], "river", 5, 2],
          ] as unknown as number,
        },
      },
      {
        id: "waterways-canal",
        type: "line",
        source: SOURCE,
        "source-layer": "waterways",
        filter: ["==", ["get", "kind"], "canal"],
        paint: { "line-color": "#ffffff", "line-width": 1, "line-dasharray": [2, 2] },
      },
      // names along the water, rivers from zoom 9 and streams from 12, as a topographic map writes them
      {
        id: "waterways-label",
        type: "symbol",
        source: SOURCE,
        "source-layer": "waterways",
        minzoom: 9,
        filter: ["any", ["==", ["get", "kind"], "river"], [">=", ["zoom"], 12]],
        layout: {
          ...text,
          "symbol-placement": "line",
          "symbol-spacing": 350,
          "text-field": ["get", "name"],
          "text-size": ["interpolate", ["linear"], ["zoom"], 9, 11, 15, 14],
          "text-max-angle": 50,
        },
        paint: { ...halo, "text-color": WATER.text },
      },
    ],
  ],
  [
    "roads",
    [
      // casings in a class's darker shade, from zoom 10
      {
        id: "roads-casing",
        type: "line",
        source: SOURCE,
        "source-layer": "roads",
        minzoom: 10,
        filter: ["!=", ["get", "road_class"], "other"],
        layout: { "line-cap": "butt", "line-join": "round" },
        paint: { "line-color": byClass(ROAD_CASINGS, "#9e9e9e"), "line-width": roadWidth(1) },
      },
      // a bridge (桥梁) stands out in a wide dark casing, as on a topographic map
      {
        id: "roads-bridge",
        type: "line",
        source: SOURCE,
        "source-layer": "roads",
        filter: ["==", ["get", "bridge"], true],
        layout: { "line-cap": "butt" },
        paint: { "line-color": "#263238", "line-width": roadWidth(3) },
      },
      {
        id: "roads-line",
        type: "line",
        source: SOURCE,
        "source-layer": "roads",
        filter: ["all", ["!=", ["get", "road_class"], "other"], ["!=", ["get", "status"], "damaged"]],
        layout: { "line-cap": "round", "line-join": "round" },
        paint: { "line-color": byClass(ROAD_COLOURS, "#ffffff"), "line-width": roadWidth() },
      },
      // tracks dashed in brown, as paths are on a topographic map
      {
        id: "roads-track",
        type: "line",
        source: SOURCE,
        "source-layer": "roads",
        filter: ["all", ["==", ["get", "road_class"], "other"], ["!=", ["get", "status"], "damaged"]],
        paint: { "line-color": ROAD_COLOURS.other, "line-width": roadWidth(), "line-dasharray": [3, 1.5] },
      },
      // damaged (half speed): dashed amber over the casing
      {
        id: "roads-damaged",
        type: "line",
        source: SOURCE,
        "source-layer": "roads",
        filter: ["==", ["get", "status"], "damaged"],
        paint: { "line-color": ROAD_DAMAGED, "line-width": roadWidth(1), "line-dasharray": [2, 1.5] },
      },
      // closed: red and white hatching over the road, with ✕ 中断 along it (roads-closed-label)
      {
        id: "roads-closed",
        type: "line",
        source: SOURCE,
        "source-layer": "roads",
        filter: ["==", ["get", "status"], "closed"],
        paint: { "line-color": ROAD_CLOSED, "line-width": roadWidth(2), "line-dasharray": [1, 1] },
      },
      // names along the lines: the main roads from zoom 11, the others from 13
      {
        id: "roads-label",
        type: "symbol",
        source: SOURCE,
        "source-layer": "roads",
        minzoom: 11,
        filter: ["any", ["match", ["get", "road_class"], ["expressway", "national", "provincial", "county"], true, false], [">=", ["zoom"], 13]],
        layout: {
          ...text,
          "symbol-placement": "line",
          "symbol-spacing": 300,
          "text-field": ["case", ["==", ["get", "bridge"], true], ["concat", "⌒ ", ["get", "name"]], ["get", "name"]],
          "text-size": ["interpolate", ["linear"], ["zoom"], 11, 10, 16, 13],
          "text-max-angle": 30,
        },
        paint: { ...halo, "text-color": byClass({ national: "#8e1b0e", expressway: "#1b5e3b", provincial: "#7e5109" }, "#37474f") },
      },
      // above the names, so a closed road is marked first and named where room is left
      {
        id: "roads-closed-label",
        type: "symbol",
        source: SOURCE,
        "source-layer": "roads",
        filter: ["==", ["get", "status"], "closed"],
        layout: {
          ...text,
          "symbol-placement": "line",
          "symbol-spacing": 250,
          "text-field": "✕ 中断",
          "text-size": 13,
          "text-keep-upright": true,
        },
        paint: { "text-color": ROAD_CLOSED, "text-halo-color": "#fff", "text-halo-width": 2 },
      },
    ],
  ],
  [
    "hazard-zones",
    [
      { id: "hazard-zones-fill", type: "fill", source: SOURCE, "source-layer": "hazard-zones", paint: { "fill-color": risk, "fill-opacity": 0.12 } },
      {
        id: "hazard-zones-line",
        type: "line",
        source: SOURCE,
        "source-layer": "hazard-zones",
        paint: { "line-color": risk, "line-width": 1, "line-dasharray": [2, 2] },
      },
    ],
  ],
  [
    "hazards",
    [
      {
        id: "hazards-area",
        type: "fill",
        source: SOURCE,
        "source-layer": "hazards",
        filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": risk, "fill-opacity": 0.25, "fill-outline-color": risk },
      },
      {
        id: "hazards-line",
        type: "line",
        source: SOURCE,
        "source-layer": "hazards",
        filter: ["==", ["geometry-type"], "LineString"],
        paint: { "line-color": risk, "line-width": 3 },
      },
      // ▲ in the risk colour: at the point, and inside each area hazard where it is named
      ...(["hazards", "hazards-labels"] as const).map(
        (sourceLayer): LayerSpecification => ({
          id: sourceLayer === "hazards" ? "hazards-point" : "hazards-area-point",
          type: "symbol",
          source: SOURCE,
          "source-layer": sourceLayer,
          ...(sourceLayer === "hazards" ? { filter: ["==", ["geometry-type"], "Point"] } : { minzoom: 10 }),
          layout: { ...icon(ICON.hazard), "icon-size": sourceLayer === "hazards" ? 0.85 : 0.7, "symbol-sort-key": ["get", "risk_level"] },
          paint: { "icon-color": risk, "icon-halo-color": "#fff", "icon-halo-width": 1.5 },
        }),
      ),
      name("hazards-label", "hazards", 12, "#5d1010"),
      name("hazards-area-label", "hazards-labels", 12, "#5d1010"),
    ],
  ],
  [
    "villages",
    [
      {
        id: "villages-point",
        type: "circle",
        source: SOURCE,
        "source-layer": "villages",
        paint: {
          "circle-color": VILLAGE_COLOUR,
          "circle-radius": ["interpolate", ["linear"], ["get", "population"], 200, 2.5, 5000, 6],
          "circle-opacity": 0.8,
        },
      },
      {
        id: "villages-label",
        type: "symbol",
        source: SOURCE,
        "source-layer": "villages",
        minzoom: 11.5,
        layout: { ...text, "text-field": ["get", "name"], "text-offset": [0, 1], "text-anchor": "top" },
        paint: halo,
      },
    ],
  ],
  [
    "shelters",
    [
      {
        id: "shelters-point",
        type: "symbol",
        source: SOURCE,
        "source-layer": "shelters",
        layout: { ...icon(ICON.shelter), "icon-size": ["interpolate", ["linear"], ["get", "capacity"], 200, 0.8, 5000, 1.3] },
        paint: {
          // free places: plenty, few, none (or closed)
          "icon-color": [
            "case",
            ["!=", ["get", "status"], "open"],
            SHELTER_COLOURS.none,
            [
              "step",
              ["/", ["-", ["get", "capacity"], ["get", "occupancy"]], ["max", ["get", "capacity"], 1]],
              SHELTER_COLOURS.none,
              0.000001,
              SHELTER_COLOURS.few,
              0.3,
              SHELTER_COLOURS.plenty,
            ],
          ] as unknown as string,
          "icon-halo-color": "#fff",
          "icon-halo-width": 1.5,
        },
      },
      name("shelters-label", "shelters", 11, "#1b5e20"),
    ],
  ],
  [
    "depots",
    [
      {
        id: "depots-point",
        type: "symbol",
        source: SOURCE,
        "source-layer": "depots",
        layout: { ...icon(ICON.depot), "icon-size": ["match", ["get", "level"], "county", 1.2, "township", 0.95, 0.75] as unknown as number },
        paint: { "icon-color": DEPOT_COLOUR, "icon-halo-color": "#fff", "icon-halo-width": 1.5 },
      },
      name("depots-label", "depots", 12, "#4a148c"),
    ],
  ],
  [
    "teams",
    [
      {
        id: "teams-point",
        type: "symbol",
        source: SOURCE,
        "source-layer": "teams",
        layout: { ...icon(["concat", "hazmap-team-", ["get", "team_type"]] as unknown as string), "icon-size": 0.95 },
      },
      name("teams-label", "teams", 12, TEAM_COLOUR),
    ],
  ],
  [
    "places",
    [
      // the county seat from the county's zoom, township seats from 10, landmarks and hamlets close up;
      // a village's name is the villages layer's to write (villages-label), not written twice
      {
        id: "places-label",
        type: "symbol",
        source: SOURCE,
        "source-layer": "places",
        filter: [
          "any",
          ["==", ["get", "kind"], "county_seat"],
          ["all", ["==", ["get", "kind"], "town"], [">=", ["zoom"], 10]],
          ["all", ["!=", ["get", "kind"], "village"], [">=", ["zoom"], 13]],
        ],
        layout: {
          ...text,
          "text-field": ["get", "name"],
          "text-size": ["match", ["get", "kind"], "county_seat", 17, "town", 14, 11] as unknown as number,
          "text-letter-spacing": ["match", ["get", "kind"], "county_seat", 0.2, 0] as unknown as number,
          "symbol-sort-key": ["match", ["get", "kind"], "county_seat", 1, "town", 2, "landmark", 3, 4] as unknown as number,
        },
        paint: {
          ...halo,
          "text-halo-width": 2,
          "text-color": ["match", ["get", "kind"], "county_seat", "#111", "town", "#263238", "#546e7a"] as unknown as string,
        },
      },
    ],
  ],
];

/** The style's root metadata: the public URL its URLs start with, and the legend's colours. */
export interface StyleMetadata {
  "hazmap:public-url": string;
  "hazmap:legend": {
    layers: Record<string, string>;
    risk: typeof RISK_COLOURS;
    roads: typeof ROAD_COLOURS & { closed: string; damaged: string };
    /** Every symbol drawn, by data layer: what the legend shows. */
    keys: Record<string, LegendKey[]>;
  };
}

/**
 * The style with its URLs under `base` (the product's public URL). Each drawn layer names its data
 * layer in metadata["hazmap:layer"] (the web app's toggles and legend go by it); the root metadata
 * holds the legend colours and the public URL the URLs start with.
 */
export function hazmapStyle(base: string): StyleSpecification {
  const all = MAP_LAYERS.flatMap(([name, drawn]) => drawn.map((l) => ({ ...l, metadata: { "hazmap:layer": name } })));
  return {
    version: 8,
    name: "hazmap 应急资源一张图",
    metadata: {
      "hazmap:public-url": base,
      "hazmap:legend": { layers: LAYER_COLOURS, risk: RISK_COLOURS, roads: { ...ROAD_COLOURS, closed: ROAD_CLOSED, damaged: ROAD_DAMAGED }, keys: LEGEND_KEYS },
    } satisfies StyleMetadata,
    sources: { [SOURCE]: { type: "vector", tiles: [`${base}/tiles/all/{z}/{x}/{y}.mvt`], maxzoom: MAX_ZOOM, attribution: "hazmap" } },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#f4f1ea" } },
      // names above every shape, so no area hides a name; the resources' icons above them (placed first, so
      // names keep off them); the place names on top, as on any map one finds one's way by
      ...all.filter((l) => l.type !== "symbol"),
      ...all.filter((l) => l.type === "symbol" && !l.layout?.["icon-image"] && l.id !== "places-label"),
      ...all.filter((l) => l.type === "symbol" && l.layout?.["icon-image"]),
      ...all.filter((l) => l.id === "places-label"),
    ],
  };
}
