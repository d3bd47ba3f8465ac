import { rgb } from "pdf-lib";
import type { StyleMetadata } from "../styles/hazmap_style.ts";
import { INK, MM, type PaperDoc } from "./paper_doc.ts";
import { legendBox, northArrow, scaleBar, type Box, type LegendEntry } from "./map_furniture.ts";

type Position = number[];
type Lines = { type: "LineString"; coordinates: Position[] } | { type: "MultiLineString"; coordinates: Position[][] } | { type: string; coordinates?: unknown };

/** What a township's map shows, in EPSG:4326 lon/lat (township_map.sql). */
export interface VectorMap {
  boundary: { type: string; coordinates: Position[][][] | Position[][][][] };
  box: { coordinates: Position[][] };
  roads: { name: string; road_class: string; geometry: Lines | null }[];
  villages: { id: number; name: string; lon: number; lat: number }[];
  shelters: { id: number; name: string; lon: number; lat: number; receives: boolean }[];
  flows: { village_id: number; shelter_id: number; people: number }[];
  /** what the legend calls the outlined area and the shelters that receive (named on the map) */
  words: { area: string; receiving: string };
}

const hex = (c: string) => rgb(Number.parseInt(c.slice(1, 3), 16) / 255, Number.parseInt(c.slice(3, 5), 16) / 255, Number.parseInt(c.slice(5, 7), 16) / 255);
/** Drawing order and width (points) of the road classes: minor first, so major roads lie on top. */
const ROAD_ORDER: [string, number][] = [
  ["other", 0.5],
  ["village", 0.7],
  ["township", 1],
  ["county", 1.4],
  ["provincial", 1.8],
  ["national", 2.2],
  ["expressway", 2.6],
];
const METRES_PER_DEGREE = 111_320;

/**
 * The township drawn as vectors below the cursor to the bottom margin: an equirectangular projection at
 * the box's mid latitude (a township is a few km across: the scale error is under 0.1 %), the boundary,
 * roads by class in the map's own colours, the people's way to their shelters as thin arrows, villages
 * and shelters with their names; the legend, a scale bar and a north arrow over the corners.
 */
export function drawVectorMap(p: PaperDoc, map: VectorMap, legend: StyleMetadata["hazmap:legend"], roadLabel: (roadClass: string) => string) {
  const ring = map.box.coordinates[0]!;
  const [minLon, minLat] = [Math.min(...ring.map((c) => c[0]!)), Math.min(...ring.map((c) => c[1]!))];
  const [maxLon, maxLat] = [Math.max(...ring.map((c) => c[0]!)), Math.max(...ring.map((c) => c[1]!))];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const frame: Box = { x: p.left, y: p.left + 6 * MM, w: p.right - p.left, h: p.y - 4 * MM - (p.left + 6 * MM) };
  const scale = Math.min(frame.w / ((maxLon - minLon) * k), frame.h / (maxLat - minLat)); // points per degree of latitude
  const [w, h] = [(maxLon - minLon) * k * scale, (maxLat - minLat) * scale];
  const box: Box = { x: frame.x + (frame.w - w) / 2, y: frame.y + (frame.h - h) / 2, w, h };
  // SVG paths run downwards from the box's top left
  const sx = (lon: number) => ((lon - minLon) * k * scale).toFixed(2);
  const sy = (lat: number) => ((maxLat - lat) * scale).toFixed(2);
  const at = (lon: number, lat: number) => ({ x: box.x + (lon - minLon) * k * scale, y: box.y + (lat - minLat) * scale });
  const path = (line: Position[], close = false) => `M ${line.map((c) => `${sx(c[0]!)} ${sy(c[1]!)}`).join(" L ")}${close ? " Z" : ""}`;
  const svg = { x: box.x, y: box.y + h };

  p.page.drawRectangle({ x: box.x, y: box.y, width: w, height: h, color: rgb(0.96, 0.95, 0.92) });
  const polygons = (map.boundary.type === "Polygon" ? [map.boundary.coordinates] : map.boundary.coordinates) as Position[][][];
  const outline = polygons.map((poly) => poly.map((r) => path(r, true)).join(" ")).join(" ");
  p.page.drawSvgPath(outline, { ...svg, color: rgb(1, 1, 1), borderColor: rgb(0.35, 0.3, 0.45), borderWidth: 1.4, borderDashArray: [6, 2, 1, 2] });

  const roadClasses = new Set<string>();
  for (const [cls, width] of ROAD_ORDER) {
    const colour = hex((legend.roads as Record<string, string>)[cls] ?? "#999999");
    for (const r of map.roads.filter((x) => x.road_class === cls)) {
      const g = r.geometry;
      const lines = g?.type === "LineString" ? [g.coordinates as Position[]] : g?.type === "MultiLineString" ? (g.coordinates as Position[][]) : [];
      for (const line of lines.filter((l) => l.length > 1)) {
        roadClasses.add(cls);
        p.page.drawSvgPath(path(line), { ...svg, borderColor: rgb(0.45, 0.45, 0.45), borderWidth: width + 0.8 });
        p.page.drawSvgPath(path(line), { ...svg, borderColor: colour, borderWidth: width });
      }
    }
  }

  // where the people go: a line from village to shelter, its arrowhead at the shelter
  const villages = new Map(map.villages.map((v) => [v.id, v]));
  const shelters = new Map(map.shelters.map((s) => [s.id, s]));
  const flow = rgb(0.08, 0.4, 0.75);
  for (const f of map.flows) {
    const [a, b] = [villages.get(f.village_id), shelters.get(f.shelter_id)];
    if (!a || !b) continue;
    const [from, to] = [at(a.lon, a.lat), at(b.lon, b.lat)];
    const len = Math.hypot(to.x - from.x, to.y - from.y);
    if (len < 8) continue;
    const [ux, uy] = [(to.x - from.x) / len, (to.y - from.y) / len];
    const tip = { x: to.x - ux * 5, y: to.y - uy * 5 };
    p.page.drawLine({ start: from, end: tip, thickness: 0.8, color: flow, opacity: 0.8 });
    p.page.drawSvgPath(
      `M 0 0 L ${(-ux * 5 - uy * 2.5).toFixed(2)} ${(uy * 5 - ux * 2.5).toFixed(2)} L ${(-ux * 5 + uy * 2.5).toFixed(2)} ${(uy * 5 + ux * 2.5).toFixed(2)} Z`,
      {
        x: tip.x,
        y: tip.y,
        color: flow,
      },
    );
  }

  const villageColour = hex(legend.layers.villages ?? "#555555");
  const shelterColour = hex(legend.layers.shelters ?? "#2e7d32");
  const label = (text: string, x: number, y: number, size: number) => {
    const tw = p.textWidth(text, size);
    p.page.drawRectangle({ x: x - 1, y: y - 1.5, width: tw + 2, height: size + 1.5, color: rgb(1, 1, 1), opacity: 0.75 });
    p.text(text, x, y, size);
  };
  for (const v of map.villages) {
    const c = at(v.lon, v.lat);
    p.page.drawCircle({ x: c.x, y: c.y, size: 2.6, color: villageColour, borderColor: rgb(1, 1, 1), borderWidth: 0.6 });
    label(v.name, c.x + 4, c.y - 2.5, 6.5);
  }
  for (const s of map.shelters) {
    const c = at(s.lon, s.lat);
    p.page.drawRectangle({
      x: c.x - 3.2,
      y: c.y - 3.2,
      width: 6.4,
      height: 6.4,
      color: s.receives ? shelterColour : rgb(0.75, 0.85, 0.75),
      borderColor: INK,
      borderWidth: 0.6,
    });
    if (s.receives) label(s.name, c.x + 5, c.y + 2, 7);
  }
  p.page.drawRectangle({ x: box.x, y: box.y, width: w, height: h, borderColor: INK, borderWidth: 0.8 });

  // the shelters' squares as drawn above, in a unit box
  const square = (colour: string): LegendEntry["symbol"] => ({
    shape: [
      [0.14, 0.14],
      [0.86, 0.14],
      [0.86, 0.86],
      [0.14, 0.86],
    ],
    holes: [],
    colour,
    edge: "#1c2633",
  });
  const entries: LegendEntry[] = [
    { label: map.words.area, symbol: { fill: "#ffffff", outline: "#594d73" } },
    ...ROAD_ORDER.filter(([c]) => roadClasses.has(c))
      .reverse()
      .map(([c]): LegendEntry => ({ label: roadLabel(c), symbol: { line: (legend.roads as Record<string, string>)[c] ?? "#999999" } })),
    { label: "村（社区）", symbol: { dot: legend.layers.villages ?? "#555555" } },
    { label: map.words.receiving, symbol: square(legend.layers.shelters ?? "#2e7d32") },
    { label: "其他避难场所", symbol: square("#bfd9bf") },
    ...(map.flows.length ? [{ label: "转移方向", symbol: { line: "#1466bf", width: 2 } } satisfies LegendEntry] : []),
  ];
  legendBox(p, entries, box);
  scaleBar(p, METRES_PER_DEGREE / scale, box);
  northArrow(p, box);
  p.y = frame.y;
}
