import type { Map } from "maplibre-gl";
import type { PrintSymbol } from "../../../server/paper/map_furniture.ts";

/** A map icon as a shape (PrintSymbol's first form). */
export type IconShape = Extract<PrintSymbol, { shape: unknown }>;

/**
 * The map's icons, drawn here on canvases (no sprite to download; the style names them `hazmap-*`).
 * One shape per kind: a hazard is a warning triangle, a shelter a house, a depot a crate, a team a
 * shield marked with its type's character, a suggested site a star. Icons whose colour varies with the
 * data (hazard risk, shelter free places, depots) are SDF: the style colours them and gives them a halo.
 */

/** The character on a team's shield: the first of its type's Chinese name, as county duty maps mark them. */
export const TEAM_MARKS: Record<string, string> = {
  fire_rescue: "消",
  forest_fire: "林",
  mine_rescue: "矿",
  hazmat: "化",
  medical: "医",
  water_rescue: "水",
  volunteer: "志",
  militia: "民",
};
const TEAM_COLOUR = "#1a2f6e";
export const SITE_COLOUR = "#00acc1";

/** Icon size in CSS pixels, the pixel ratio it is drawn at, and the margin an SDF halo draws into. */
const SIZE = 22;
const RATIO = 2;
const PAD = 4;

/** A shape's outline, corners in a unit box (y down). */
const SHAPES: Record<string, [number, number][]> = {
  hazard: [
    [0.5, 0.04],
    [0.98, 0.92],
    [0.02, 0.92],
  ],
  shelter: [
    [0.5, 0.04],
    [0.97, 0.46],
    [0.86, 0.46],
    [0.86, 0.96],
    [0.14, 0.96],
    [0.14, 0.46],
    [0.03, 0.46],
  ],
  depot: [
    [0.08, 0.2],
    [0.92, 0.2],
    [0.92, 0.94],
    [0.08, 0.94],
  ],
  shield: [
    [0.08, 0.06],
    [0.92, 0.06],
    [0.92, 0.55],
    [0.5, 0.97],
    [0.08, 0.55],
  ],
  star: Array.from({ length: 10 }, (_, i): [number, number] => {
    const r = i % 2 ? 0.22 : 0.5;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    return [0.5 + r * Math.cos(a), 0.53 + r * Math.sin(a)];
  }),
};

/** Holes that make a shape read at a glance (x, y, width, height in the unit box): the ! of a warning sign, a house's door, a crate's lid. */
const HOLES: Record<string, [number, number, number, number][]> = {
  hazard: [
    [0.45, 0.36, 0.1, 0.3],
    [0.45, 0.72, 0.1, 0.1],
  ],
  shelter: [[0.4, 0.62, 0.2, 0.34]],
  depot: [[0.08, 0.4, 0.84, 0.08]],
};

/** The style's icon ids: the SDF ones by kind, a team's by its type, the planner's suggested site. */
const SDF_ICONS: Record<string, string> = { "hazmap-hazard": "hazard", "hazmap-shelter": "shelter", "hazmap-depot": "depot" };

/**
 * Icon `id` as a shape: its outline and holes in a unit box, its fill (an SDF icon's is `colour`), the
 * edge drawn round it and the character on it. The one description the screen draws and the printed
 * legend sends to the server (PrintSymbol), so paper shows the map's own symbols.
 */
export function iconShape(id: string, colour = "#000000"): IconShape {
  const kind = SDF_ICONS[id];
  if (kind) return { shape: SHAPES[kind]!, holes: HOLES[kind] ?? [], colour };
  if (id.startsWith("hazmap-team-"))
    return { shape: SHAPES.shield!, holes: [], colour: TEAM_COLOUR, edge: "#ffffff", mark: TEAM_MARKS[id.slice("hazmap-team-".length)] ?? "队" };
  return { shape: SHAPES.star!, holes: [], colour: SITE_COLOUR, edge: "#004d57" };
}

/** Draw `shape` (its holes cut out, its edge and mark on it) in a box of `s` pixels at the context's origin. */
function drawShape(g: CanvasRenderingContext2D, { shape, holes, colour, edge, mark }: IconShape, s: number) {
  g.fillStyle = colour;
  g.beginPath();
  for (const [i, [x, y]] of shape.entries()) (i ? g.lineTo : g.moveTo).call(g, x * s, y * s);
  g.closePath();
  g.fill();
  if (edge) {
    g.strokeStyle = edge;
    g.lineWidth = s * (mark ? 0.07 : 0.06);
    g.stroke();
  }
  if (holes.length) {
    g.save();
    g.globalCompositeOperation = "destination-out";
    g.beginPath();
    for (const [x, y, w, h] of holes) g.rect(x * s, y * s, w * s, h * s);
    g.fill();
    g.restore();
  }
  if (mark) {
    g.fillStyle = "#fff";
    g.font = `bold ${Math.round(s * 0.55)}px "Noto Sans CJK SC", "Noto Sans SC", sans-serif`;
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(mark, s / 2, s * 0.46);
  }
}

/** Draw icon `id` into a box of `s` CSS pixels at (x, y) on `g`, an SDF icon in `colour`: the legend's symbol is the map's. */
export function drawIcon(g: CanvasRenderingContext2D, id: string, x: number, y: number, s: number, colour = "#000") {
  g.save();
  g.translate(x, y);
  drawShape(g, iconShape(id, colour), s);
  g.restore();
}

/** Distance (pixels) from each pixel to the nearest `target` pixel: a two-pass chamfer transform (1, √2). */
function distanceTo(target: (i: number) => boolean, w: number, h: number): Float32Array {
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = target(i) ? 0 : 1e9;
  const relax = (i: number, x: number, y: number, dx: number, dy: number) => {
    const [nx, ny] = [x + dx, y + dy];
    if (nx < 0 || ny < 0 || nx >= w || ny >= h) return;
    const v = d[ny * w + nx]! + (dx && dy ? Math.SQRT2 : 1);
    if (v < d[i]!) d[i] = v;
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (const [dx, dy] of [
        [-1, 0],
        [-1, -1],
        [0, -1],
        [1, -1],
      ] as const)
        relax(y * w + x, x, y, dx, dy);
  for (let y = h - 1; y >= 0; y--)
    for (let x = w - 1; x >= 0; x--)
      for (const [dx, dy] of [
        [1, 0],
        [1, 1],
        [0, 1],
        [-1, 1],
      ] as const)
        relax(y * w + x, x, y, dx, dy);
  return d;
}

/**
 * The image of icon `id` for map.addImage, or undefined when it is not ours. An SDF icon's alpha is its
 * signed distance to the edge: MapLibre puts the edge at 0.75 (192) and reads 1/8 of the range per CSS
 * pixel, so a halo can be drawn up to PAD pixels out.
 */
function iconImage(id: string): { image: ImageData; sdf: boolean } | undefined {
  const known = SDF_ICONS[id] || id.startsWith("hazmap-team-") || id === "hazmap-site";
  if (!known) return undefined;
  const px = (SIZE + 2 * PAD) * RATIO;
  const canvas = Object.assign(document.createElement("canvas"), { width: px, height: px });
  const g = canvas.getContext("2d", { willReadFrequently: true })!;
  g.scale(RATIO, RATIO);
  drawIcon(g, id, PAD, PAD, SIZE);
  const image = g.getImageData(0, 0, px, px);
  if (!SDF_ICONS[id]) return { image, sdf: false };
  const alpha = (i: number) => image.data[i * 4 + 3]! > 127;
  const toInside = distanceTo(alpha, px, px);
  const toOutside = distanceTo((i) => !alpha(i), px, px);
  for (let i = 0; i < px * px; i++) {
    const signed = alpha(i) ? toOutside[i]! - 0.5 : 0.5 - toInside[i]!;
    image.data.set([255, 255, 255, Math.max(0, Math.min(255, Math.round(192 + (signed / RATIO) * 32)))], i * 4);
  }
  return { image, sdf: true };
}

/**
 * Draw each of our icons the first time a tile asks for it. A resolver, not the styleimagemissing event:
 * MapLibre fires that event after it has answered the tile, which is then laid out without the icon.
 */
export function registerIcons(map: Map) {
  map.setMissingStyleImageResolver((id) => {
    const made = iconImage(id);
    if (made && !map.hasImage(id)) map.addImage(id, made.image, { pixelRatio: RATIO, sdf: made.sdf });
  });
}
