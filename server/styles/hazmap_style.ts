import type { LayerSpecification, StyleSpecification } from "maplibre-gl";
import { MAX_ZOOM } from "../tiles/tilejson.ts";

/**
 * The web map's style (MapLibre style spec v8), served as GET /styles/hazmap.json so the web app,
 * QGIS ("Style URL") and any MapLibre app draw the map alike. Every URL in it is the product's own:
 * vector tiles of its layers on a plain background, no glyph server (MapLibre and QGIS draw labels
 * with local fonts), nothing from the internet.
 */

/** 红 1 / 橙 2 / 黄 3 / 蓝 4: the four-colour convention of risk grading (风险分级管控). */
const RISK_COLOURS = { 1: "#d7191c", 2: "#f28c28", 3: "#f2c500", 4: "#2b83ba" } as const;
const TEAM_COLOURS: Record<string, string> = {
  fire_rescue: "#c62828",
  forest_fire: "#2e7d32",
  mine_rescue: "#6d4c41",
  hazmat: "#8e24aa",
  medical: "#00897b",
  water_rescue: "#1565c0",
  volunteer: "#f57c00",
  militia: "#546e7a",
};
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
  shelters: "#2e7d32",
  depots: "#6a1b9a",
  teams: "#c62828",
  villages: "#455a64",
  townships: "#607d8b",
  roads: ROAD_COLOURS.national,
};

const risk = ["match", ["get", "risk_level"], 1, RISK_COLOURS[1], 2, RISK_COLOURS[2], 3, RISK_COLOURS[3], RISK_COLOURS[4]] as unknown as string;
const text = { "text-font": ["Noto Sans CJK SC", "sans-serif"], "text-size": 12 };
const halo = { "text-color": "#1d2733", "text-halo-color": "#fff", "text-halo-width": 1.5 } as const;

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
      {
        id: "hazards-point",
        type: "circle",
        source: SOURCE,
        "source-layer": "hazards",
        filter: ["==", ["geometry-type"], "Point"],
        paint: { "circle-color": risk, "circle-radius": 6, "circle-stroke-color": "#fff", "circle-stroke-width": 1.5 },
      },
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
        paint: { "circle-color": "#455a64", "circle-radius": ["interpolate", ["linear"], ["get", "population"], 200, 2.5, 5000, 6], "circle-opacity": 0.8 },
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
        type: "circle",
        source: SOURCE,
        "source-layer": "shelters",
        paint: {
          "circle-radius": ["interpolate", ["linear"], ["get", "capacity"], 200, 5, 5000, 13],
          // free capacity share: green plenty, amber little, red none (or closed)
          "circle-color": [
            "case",
            ["!=", ["get", "status"], "open"],
            "#b71c1c",
            [
              "interpolate",
              ["linear"],
              ["/", ["-", ["get", "capacity"], ["get", "occupancy"]], ["max", ["get", "capacity"], 1]],
              0,
              "#b71c1c",
              0.3,
              "#f9a825",
              0.7,
              "#2e7d32",
            ],
          ],
          "circle-opacity": 0.85,
          "circle-stroke-color": "#fff",
          "circle-stroke-width": 1.5,
        },
      },
      {
        id: "shelters-label",
        type: "symbol",
        source: SOURCE,
        "source-layer": "shelters",
        minzoom: 11,
        layout: { ...text, "text-field": ["get", "name"], "text-offset": [0, 1.4], "text-anchor": "top" },
        paint: { ...halo, "text-color": "#1b5e20" },
      },
    ],
  ],
  [
    "depots",
    [
      {
        id: "depots-point",
        type: "circle",
        source: SOURCE,
        "source-layer": "depots",
        paint: {
          "circle-color": "#6a1b9a",
          "circle-radius": ["match", ["get", "level"], "county", 10, "township", 7, 5],
          "circle-stroke-color": "#fff",
          "circle-stroke-width": 2,
        },
      },
    ],
  ],
  [
    "teams",
    [
      {
        id: "teams-point",
        type: "circle",
        source: SOURCE,
        "source-layer": "teams",
        paint: {
          "circle-color": ["match", ["get", "team_type"], ...Object.entries(TEAM_COLOURS).flat(), "#546e7a"] as unknown as string,
          "circle-radius": 6,
          "circle-stroke-color": "#000",
          "circle-stroke-width": 1,
        },
      },
    ],
  ],
];

/** The style's root metadata: the public URL its URLs start with, and the legend's colours. */
export interface StyleMetadata {
  "hazmap:public-url": string;
  "hazmap:legend": { layers: Record<string, string>; risk: typeof RISK_COLOURS; roads: typeof ROAD_COLOURS & { closed: string; damaged: string } };
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
      "hazmap:legend": { layers: LAYER_COLOURS, risk: RISK_COLOURS, roads: { ...ROAD_COLOURS, closed: ROAD_CLOSED, damaged: ROAD_DAMAGED } },
    } satisfies StyleMetadata,
    sources: { [SOURCE]: { type: "vector", tiles: [`${base}/tiles/all/{z}/{x}/{y}.mvt`], maxzoom: MAX_ZOOM, attribution: "hazmap" } },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#f4f1ea" } },
      // labels above every shape, so no point hides a name
      ...all.filter((l) => l.type !== "symbol"),
      ...all.filter((l) => l.type === "symbol"),
    ],
  };
}
