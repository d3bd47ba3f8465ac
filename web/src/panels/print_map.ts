import type { Map } from "maplibre-gl";
import { layerInfo } from "../api.ts";
import { currentLang, label, t } from "../i18n.ts";
import { legendOf, mapLayers } from "../map/style.ts";

const FONT = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif';

/** The map's canvas as drawn in its next frame (read inside the render event, so no preserved buffer is needed). */
function snapshot(map: Map): Promise<HTMLCanvasElement> {
  return new Promise((resolve) => {
    map.once("render", () => {
      const copy = document.createElement("canvas");
      const source = map.getCanvas();
      Object.assign(copy, { width: source.width, height: source.height });
      copy.getContext("2d")!.drawImage(source, 0, 0);
      resolve(copy);
    });
    map.triggerRepaint();
  });
}

/** A scale bar length that reads well (1, 2 or 5 × 10^n metres) for at most `maxPx` pixels. */
function scaleBar(map: Map, maxPx: number): { px: number; text: string } {
  const metresPerPx = (40_075_016.686 * Math.cos((map.getCenter().lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
  const max = metresPerPx * maxPx;
  const base = 10 ** Math.floor(Math.log10(max));
  const metres = [5, 2, 1].map((m) => m * base).find((m) => m <= max)!;
  return { px: metres / metresPerPx, text: metres >= 1000 ? `${metres / 1000} km` : `${metres} m` };
}

/** Save the current map as a PNG with title, legend, scale bar, north arrow and timestamp. */
export async function printMap(map: Map) {
  const image = await snapshot(map);
  const ratio = image.width / map.getCanvas().clientWidth;
  const [top, side] = [56 * ratio, 220 * ratio];
  const out = document.createElement("canvas");
  Object.assign(out, { width: image.width + side, height: image.height + top });
  const g = out.getContext("2d")!;
  g.scale(ratio, ratio);
  const [w, h] = [out.width / ratio, out.height / ratio];
  g.fillStyle = "#fff";
  g.fillRect(0, 0, w, h);
  g.fillStyle = "#0f3057";
  g.font = `bold 22px ${FONT}`;
  g.fillText(t("title"), 16, 36);
  g.font = `13px ${FONT}`;
  g.fillStyle = "#444";
  const stamp = `${t("printedAt")}: ${new Date().toLocaleString(currentLang() === "zh" ? "zh-CN" : "en-GB")}`;
  g.fillText(stamp, w - side - g.measureText(stamp).width - 16, 36);
  g.drawImage(image, 0, top / ratio, image.width / ratio, image.height / ratio);

  // legend: visible layers and the risk colours
  const layers = await layerInfo();
  let y = top / ratio + 24;
  const x = w - side / ratio + 16;
  g.font = `bold 15px ${FONT}`;
  g.fillStyle = "#1d2733";
  g.fillText(t("layers"), x, y);
  g.font = `13px ${FONT}`;
  const dot = (colour: string, cx: number, cy: number) => {
    g.beginPath();
    g.arc(cx, cy, 6, 0, 2 * Math.PI);
    g.fillStyle = colour;
    g.fill();
  };
  /** A road's swatch: a short line in its colour (dashed for a damaged or closed one), edged in grey. */
  const line = (colour: string, cy: number, dashed = false) => {
    g.lineWidth = 6;
    g.strokeStyle = "#0005";
    g.beginPath();
    g.moveTo(x, cy);
    g.lineTo(x + 14, cy);
    g.stroke();
    g.lineWidth = 4;
    g.strokeStyle = colour;
    g.setLineDash(dashed ? [3, 2] : []);
    g.stroke();
    g.setLineDash([]);
  };
  const legend = legendOf(map);
  let roadsShown = false;
  for (const [name, drawn] of [...mapLayers(map)].reverse()) {
    if (map.getLayoutProperty(drawn[0]!.id, "visibility") === "none") continue;
    y += 24;
    if (name === "roads") {
      line(legend.roads.national, y - 4);
      roadsShown = true;
    } else dot(legend.layers[name]!, x + 6, y - 4);
    g.fillStyle = "#1d2733";
    g.fillText(label(layers.find((l) => l.name === name)?.label ?? { zh: name, en: name }), x + 20, y);
  }
  // the risk levels in the registry's words (重大…低)
  const riskNames = layers.find((l) => l.name === "hazards")?.schema.properties.risk_level?.["x-value-labels"] ?? {};
  for (const [level, words] of Object.entries(riskNames)) {
    y += 22;
    dot((legend.risk as Record<string, string>)[level]!, x + 6, y - 4);
    g.fillStyle = "#1d2733";
    g.fillText(`${level} ${label(words)}`, x + 20, y);
  }
  // the road classes and the states of a road, in the layer's own words
  const roads = layers.find((l) => l.name === "roads")?.schema.properties;
  if (roadsShown && roads) {
    const colours = legend.roads as Record<string, string>;
    const keys = [
      ...Object.entries(roads.road_class?.["x-value-labels"] ?? {}).map(([k, l]) => [k, l, false] as const),
      ...(["damaged", "closed"] as const).flatMap((k) =>
        roads.status?.["x-value-labels"]?.[k] ? [[k, roads.status["x-value-labels"][k], true] as const] : [],
      ),
    ];
    for (const [k, l, dashed] of keys) {
      y += 22;
      line(colours[k]!, y - 4, dashed);
      g.fillStyle = "#1d2733";
      g.fillText(label(l), x + 20, y);
    }
  }

  // scale bar, bottom left of the map
  const bar = scaleBar(map, 150);
  const by = h - 24;
  g.fillStyle = "#fff";
  g.fillRect(12, by - 22, bar.px + 16, 30);
  g.strokeStyle = "#1d2733";
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(20, by - 6);
  g.lineTo(20, by);
  g.lineTo(20 + bar.px, by);
  g.lineTo(20 + bar.px, by - 6);
  g.stroke();
  g.fillStyle = "#1d2733";
  g.fillText(bar.text, 24, by - 8);

  // north arrow, turned with the map's bearing
  g.save();
  g.translate(w - side / ratio - 36, top / ratio + 44);
  g.rotate((-map.getBearing() * Math.PI) / 180);
  g.beginPath();
  g.moveTo(0, -18);
  g.lineTo(9, 12);
  g.lineTo(0, 6);
  g.lineTo(-9, 12);
  g.closePath();
  g.fillStyle = "#1d2733";
  g.fill();
  g.font = `bold 13px ${FONT}`;
  g.fillText("N", -4, -22);
  g.restore();

  const a = document.createElement("a");
  a.href = out.toDataURL("image/png");
  a.download = `hazmap-${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, "")}.png`;
  a.click();
}
