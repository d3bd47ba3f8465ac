import type { Map } from "maplibre-gl";
import type { LegendEntry } from "../../../server/paper/map_furniture.ts";
import { layerInfo } from "../api.ts";
import { label } from "../i18n.ts";
import { iconShape } from "./icons.ts";
import { appLayerOf, legendOf, mapLayers } from "./style.ts";

/**
 * The printed legend: the screen's (the layers panel's keys, legendOf: the style's and the app's own) for
 * every layer shown now, top layer first, each map icon sent as its shape so the server draws it as vectors.
 * A layer with several keys names itself before each (应急避难场所 · 空余 ≥ 30%), as the panel shows them under its name.
 */
export async function printLegend(map: Map): Promise<LegendEntry[]> {
  const { keys } = legendOf(map);
  const layers = await layerInfo();
  return [...mapLayers(map)].reverse().flatMap(([name, drawn]) => {
    const mine = keys[name] ?? [];
    if (!mine.length || drawn.every((l) => map.getLayoutProperty(l.id, "visibility") === "none")) return [];
    const info = layers.find((l) => l.name === name) ?? appLayerOf(map, name);
    const title = mine.length > 1 && info ? `${label(info.label)} · ` : "";
    return mine.map(({ symbol, label: words }) => ({
      label: `${title}${label(words)}`,
      symbol: "icon" in symbol ? iconShape(symbol.icon, symbol.colour) : symbol,
    }));
  });
}
