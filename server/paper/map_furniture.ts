import { z } from "zod";
import { degrees, rgb } from "pdf-lib";
import { GREY, INK, MM, type PaperDoc } from "./paper_doc.ts";

/** A rectangle on the page, points from the bottom left. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const Colour = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, "must be a colour #rrggbb or #rrggbbaa");
const Unit = z.number().min(0).max(1);

/**
 * How a legend entry draws its symbol: the screen legend's (the style's `hazmap:legend` keys, LegendSymbol
 * in server/styles/hazmap_style.ts), a map icon given as its shape — outline and holes in a unit box (y
 * down), fill, edge and the character on it (web/src/map/icons.ts) — so paper shows the map's own symbols.
 */
export const PrintSymbol = z.union([
  z.strictObject({
    shape: z
      .array(z.tuple([Unit, Unit]))
      .min(3)
      .max(12),
    holes: z
      .array(z.tuple([Unit, Unit, Unit, Unit]))
      .max(4)
      .default([]),
    colour: Colour,
    edge: Colour.optional(),
    mark: z.string().min(1).max(2).optional(),
  }),
  z.strictObject({ line: Colour, dashed: z.boolean().optional(), width: z.number().min(0.5).max(8).optional() }),
  z.strictObject({ fill: Colour, outline: Colour.optional() }),
  z.strictObject({ dot: Colour, ring: Colour.optional() }),
  z.strictObject({ text: z.string().min(1).max(4), colour: Colour }),
]);
export type PrintSymbol = z.output<typeof PrintSymbol>;

/** A legend entry: a symbol and its words. */
export const LegendEntry = z.strictObject({ label: z.string().trim().min(1).max(60), symbol: PrintSymbol });
export type LegendEntry = z.output<typeof LegendEntry>;

/** A scale bar length that reads well (1, 2 or 5 × 10ⁿ metres) no longer than `maxM`. */
export function niceLength(maxM: number): number {
  const base = 10 ** Math.floor(Math.log10(maxM));
  return [5, 2, 1].map((m) => m * base).find((m) => m <= maxM)!;
}

/** A colour #rrggbb(aa) as pdf-lib's colour and opacity. */
const paint = (c: string) => ({
  color: rgb(...([1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16) / 255) as [number, number, number])),
  opacity: c.length === 9 ? Number.parseInt(c.slice(7, 9), 16) / 255 : 1,
});
const WHITE = rgb(1, 1, 1);
const CASING = rgb(0.45, 0.45, 0.45);

/** A legend symbol drawn as vectors, as the screen's legend draws it (web/src/map/legend_symbol.ts), centred at (x, y), `s` points across. */
export function drawSymbol(p: PaperDoc, symbol: PrintSymbol, x: number, y: number, s = 10) {
  const [left, top] = [x - s / 2, y + s / 2];
  if ("shape" in symbol) {
    // SVG paths run downwards from (x, y): a unit box's (u, v) is (left + u·s, top − v·s) on the page
    const { color, opacity } = paint(symbol.colour);
    const outline = `M ${symbol.shape.map(([u, v]) => `${(u * s).toFixed(2)} ${(v * s).toFixed(2)}`).join(" L ")} Z`;
    const edge = symbol.edge ? paint(symbol.edge).color : undefined;
    p.page.drawSvgPath(outline, { x: left, y: top, color, opacity, borderColor: edge, borderWidth: edge ? s * 0.07 : 0 });
    for (const [u, v, w, h] of symbol.holes) p.page.drawRectangle({ x: left + u * s, y: top - (v + h) * s, width: w * s, height: h * s, color: WHITE });
    if (symbol.mark) p.text(symbol.mark, x - p.textWidth(symbol.mark, s * 0.55) / 2, top - s * 0.46 - s * 0.2, s * 0.55, WHITE);
  } else if ("line" in symbol) {
    // edged in grey, so a white road shows on white paper
    const width = (symbol.width ?? 4) * 0.6;
    const [start, end] = [
      { x: left, y },
      { x: left + s * 1.6, y },
    ];
    p.page.drawLine({ start, end, thickness: width + 1, color: CASING });
    p.page.drawLine({ start, end, thickness: width, ...paint(symbol.line), dashArray: symbol.dashed ? [3, 2] : undefined });
  } else if ("fill" in symbol) {
    const border = symbol.outline ? paint(symbol.outline) : undefined;
    p.page.drawRectangle({ x: left, y: y - s * 0.3, width: s * 1.6, height: s * 0.6, ...paint(symbol.fill) });
    if (border) p.page.drawRectangle({ x: left, y: y - s * 0.3, width: s * 1.6, height: s * 0.6, borderColor: border.color, borderWidth: 0.8 });
  } else if ("dot" in symbol) {
    const ring = symbol.ring ? paint(symbol.ring).color : WHITE;
    p.page.drawCircle({ x, y, size: s * 0.28, ...paint(symbol.dot), borderColor: ring, borderWidth: symbol.ring ? 1.5 : 0.6 });
  } else {
    const size = s * 0.8;
    p.text(symbol.text.slice(0, 1), x - p.textWidth(symbol.text.slice(0, 1), size) / 2, y - size * 0.35, size, paint(symbol.colour).color);
  }
}

/** The legend box, bottom right inside the frame: 图例 and each entry's symbol and words, in as many columns as the frame's height needs. */
export function legendBox(p: PaperDoc, legend: LegendEntry[], frame: Box) {
  if (!legend.length) return;
  const size = 8;
  const rowH = 12;
  const perColumn = Math.max(1, Math.floor((frame.h - 12 - 24) / rowH));
  const columns = Math.ceil(legend.length / perColumn);
  const rows = Math.ceil(legend.length / columns);
  const columnW = Math.max(...legend.map((e) => p.textWidth(e.label, size))) + 34;
  const boxW = Math.max(p.textWidth("图例", 10) + 16, columns * columnW);
  const boxH = rows * rowH + 24;
  const [bx, by] = [frame.x + frame.w - boxW - 6, frame.y + 6];
  p.page.drawRectangle({ x: bx, y: by, width: boxW, height: boxH, color: rgb(1, 1, 1), opacity: 0.92, borderColor: GREY, borderWidth: 0.6 });
  p.text("图例", bx + 8, by + boxH - 15, 10);
  legend.forEach((e, i) => {
    const [column, row] = [Math.floor(i / rows), i % rows];
    const cx = bx + column * columnW;
    const cy = by + boxH - 24 - (row + 0.5) * rowH;
    drawSymbol(p, e.symbol, cx + 14, cy, 9);
    p.text(e.label, cx + 28, cy - size * 0.35, size);
  });
}

/** A scale bar of a round length (at most 40 mm), bottom left inside the frame, in 公里 or 米. */
export function scaleBar(p: PaperDoc, metresPerPt: number, frame: Box) {
  const metres = niceLength(metresPerPt * 40 * MM);
  const barW = metres / metresPerPt;
  const [sx, sy] = [frame.x + 8, frame.y + 10];
  const label = metres >= 1000 ? `${metres / 1000} 公里` : `${metres} 米`;
  p.page.drawRectangle({ x: sx - 4, y: sy - 5, width: barW + 8 + p.textWidth(label, 8) + 6, height: 16, color: rgb(1, 1, 1), opacity: 0.9 });
  for (let i = 0; i < 4; i++)
    p.page.drawRectangle({ x: sx + (i * barW) / 4, y: sy, width: barW / 4, height: 3, color: i % 2 ? rgb(1, 1, 1) : INK, borderColor: INK, borderWidth: 0.5 });
  p.text("0", sx - 1, sy + 4.5, 6);
  p.text(label, sx + barW + 4, sy - 0.5, 8);
}

/** The north arrow, top right inside the frame, turned against the map's bearing (degrees clockwise). */
export function northArrow(p: PaperDoc, frame: Box, bearingDeg = 0) {
  const [nx, ny] = [frame.x + frame.w - 18, frame.y + frame.h - 26];
  p.page.drawCircle({ x: nx, y: ny, size: 12, color: rgb(1, 1, 1), opacity: 0.9 });
  p.page.drawSvgPath("M 0 -10 L 6 8 L 0 4 L -6 8 Z", { x: nx, y: ny, color: INK, rotate: degrees(-bearingDeg) });
  p.text("北", nx - p.textWidth("北", 8) / 2, ny + 13, 8);
}
