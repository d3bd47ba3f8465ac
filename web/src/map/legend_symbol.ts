import type { LegendSymbol } from "../../../server/styles/hazmap_style.ts";
import { drawIcon } from "./icons.ts";

const FONT = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif';

/** Draw a legend symbol in a box of `s` pixels at (x, y): the map's own icon, or its line, area, dot or lettering. */
export function drawLegendSymbol(g: CanvasRenderingContext2D, symbol: LegendSymbol, x: number, y: number, s: number) {
  g.save();
  if ("icon" in symbol) drawIcon(g, symbol.icon, x + s * 0.05, y + s * 0.05, s * 0.9, symbol.colour);
  else if ("line" in symbol) {
    // edged in grey, so a white road shows on white paper
    g.beginPath();
    g.moveTo(x + 1, y + s / 2);
    g.lineTo(x + s - 1, y + s / 2);
    g.strokeStyle = "#0004";
    g.lineWidth = (symbol.width ?? 4) + 1.5;
    g.stroke();
    g.strokeStyle = symbol.line;
    g.lineWidth = symbol.width ?? 4;
    g.setLineDash(symbol.dashed ? [3, 2] : []);
    g.stroke();
  } else if ("fill" in symbol) {
    g.fillStyle = symbol.fill;
    g.fillRect(x + 1, y + s * 0.2, s - 2, s * 0.6);
    if (symbol.outline) {
      g.strokeStyle = symbol.outline;
      g.lineWidth = 1;
      g.strokeRect(x + 1.5, y + s * 0.2 + 0.5, s - 3, s * 0.6 - 1);
    }
  } else if ("dot" in symbol) {
    g.beginPath();
    g.arc(x + s / 2, y + s / 2, s * 0.28, 0, 2 * Math.PI);
    g.fillStyle = symbol.dot;
    g.fill();
    if (symbol.ring) {
      g.strokeStyle = symbol.ring;
      g.lineWidth = 2.5;
      g.stroke();
    }
  } else {
    g.fillStyle = symbol.colour;
    g.font = `bold ${Math.round(s * 0.6)}px ${FONT}`;
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(symbol.text.slice(0, 1), x + s / 2, y + s / 2);
  }
  g.restore();
}

/** A legend symbol as a small canvas for the page (drawn at the screen's pixel ratio, so it is sharp). */
export function legendSymbolCanvas(symbol: LegendSymbol, s = 18): HTMLCanvasElement {
  const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
  const canvas = Object.assign(document.createElement("canvas"), { width: s * ratio, height: s * ratio, className: "legend-symbol" });
  canvas.style.width = canvas.style.height = `${s}px`;
  const g = canvas.getContext("2d")!;
  g.scale(ratio, ratio);
  drawLegendSymbol(g, symbol, 0, 0, s);
  return canvas;
}
