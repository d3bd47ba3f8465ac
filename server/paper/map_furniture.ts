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

/** A legend entry as the web app draws it (web/src/map/print_legend.ts): a vector symbol and its words. */
export const LegendEntry = z.strictObject({
  label: z.string().trim().min(1).max(60),
  symbol: z.enum(["circle", "square", "triangle", "diamond", "star", "line", "dashed", "area"]),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour #rrggbb"),
  outline: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour #rrggbb")
    .optional(),
});
export type LegendEntry = z.infer<typeof LegendEntry>;

/** A scale bar length that reads well (1, 2 or 5 × 10ⁿ metres) no longer than `maxM`. */
export function niceLength(maxM: number): number {
  const base = 10 ** Math.floor(Math.log10(maxM));
  return [5, 2, 1].map((m) => m * base).find((m) => m <= maxM)!;
}

const hex = (c: string) => rgb(Number.parseInt(c.slice(1, 3), 16) / 255, Number.parseInt(c.slice(3, 5), 16) / 255, Number.parseInt(c.slice(5, 7), 16) / 255);

/** A legend symbol drawn as vectors, centred at (x, y), about `s` points across. */
export function drawSymbol(p: PaperDoc, e: LegendEntry, x: number, y: number, s = 8) {
  const color = hex(e.colour);
  const borderColor = e.outline ? hex(e.outline) : rgb(1, 1, 1);
  const r = s / 2;
  const polygon = (points: [number, number][]) =>
    p.page.drawSvgPath(`M ${points.map(([a, b]) => `${a} ${-b}`).join(" L ")} Z`, { x, y, color, borderColor, borderWidth: 0.8 });
  switch (e.symbol) {
    case "circle":
      p.page.drawCircle({ x, y, size: r, color, borderColor, borderWidth: 0.8 });
      break;
    case "square":
      p.page.drawRectangle({ x: x - r * 0.9, y: y - r * 0.9, width: r * 1.8, height: r * 1.8, color, borderColor, borderWidth: 0.8 });
      break;
    case "triangle":
      polygon([
        [0, r * 1.1],
        [r * 1.05, -r * 0.8],
        [-r * 1.05, -r * 0.8],
      ]);
      break;
    case "diamond":
      polygon([
        [0, r * 1.15],
        [r * 1.15, 0],
        [0, -r * 1.15],
        [-r * 1.15, 0],
      ]);
      break;
    case "star":
      polygon(
        Array.from({ length: 10 }, (_, i) => {
          const a = Math.PI / 2 + (i * Math.PI) / 5;
          const k = i % 2 ? r * 0.5 : r * 1.2;
          return [k * Math.cos(a), k * Math.sin(a)] as [number, number];
        }),
      );
      break;
    case "line":
    case "dashed":
      // a light line (a white minor road) is edged with its outline, as the map draws its casing
      if (e.outline) p.page.drawLine({ start: { x: x - s, y }, end: { x: x + s, y }, thickness: 3.4, color: borderColor });
      p.page.drawLine({
        start: { x: x - s, y },
        end: { x: x + s, y },
        thickness: 2.4,
        color,
        dashArray: e.symbol === "dashed" ? [3, 2] : undefined,
      });
      break;
    case "area":
      p.page.drawRectangle({
        x: x - s,
        y: y - r * 0.8,
        width: 2 * s,
        height: r * 1.6,
        color,
        opacity: 0.6,
        borderColor: e.outline ? borderColor : color,
        borderWidth: 0.8,
      });
      break;
  }
}

/** The legend box, bottom right inside the frame: 图例 and each entry's symbol and words. */
export function legendBox(p: PaperDoc, legend: LegendEntry[], frame: Box) {
  if (!legend.length) return;
  const size = 8;
  const rowH = 12;
  const boxW = Math.max(p.textWidth("图例", 10), ...legend.map((e) => p.textWidth(e.label, size))) + 34;
  const boxH = legend.length * rowH + 24;
  const [bx, by] = [frame.x + frame.w - boxW - 6, frame.y + 6];
  p.page.drawRectangle({ x: bx, y: by, width: boxW, height: boxH, color: rgb(1, 1, 1), opacity: 0.92, borderColor: GREY, borderWidth: 0.6 });
  p.text("图例", bx + 8, by + boxH - 15, 10);
  legend.forEach((e, i) => {
    const cy = by + boxH - 24 - (i + 0.5) * rowH;
    drawSymbol(p, e, bx + 14, cy, 8);
    p.text(e.label, bx + 26, cy - size * 0.35, size);
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
