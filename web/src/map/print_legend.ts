import type { Map } from "maplibre-gl";
import type { LegendEntry } from "../../../server/paper/map_furniture.ts";
import { layerInfo } from "../api.ts";
import { label } from "../i18n.ts";
import { appLayerOf, legendOf, mapLayers } from "./style.ts";

/**
 * The printed legend: what the map shows now, as entries the server draws as vector symbols. The one
 * place that reads the map style's legend (legendOf) for paper: a change of its shape is met here.
 * A data layer's symbol follows how it is drawn — a circle layer a circle, a fill an area, a line a line —
 * and an icon layer the shape of its kind.
 */
const ICON_SHAPES: Record<string, LegendEntry["symbol"]> = { shelters: "square", depots: "diamond", teams: "triangle", hazards: "circle" };

export async function printLegend(map: Map): Promise<LegendEntry[]> {
  const legend = legendOf(map);
  const layers = await layerInfo();
  const entries: LegendEntry[] = [];
  for (const [name, drawn] of [...mapLayers(map)].reverse()) {
    if (drawn.every((l) => map.getLayoutProperty(l.id, "visibility") === "none")) continue;
    const info = layers.find((l) => l.name === name);
    const title = label((info ?? appLayerOf(map, name))?.label ?? { zh: name, en: name });
    if (name === "roads") {
      const roads = info?.schema.properties;
      const colours = legend.roads as Record<string, string>;
      for (const [code, words] of Object.entries(roads?.road_class?.["x-value-labels"] ?? {}))
        if (colours[code]) entries.push({ label: label(words), symbol: "line", colour: colours[code], outline: "#737373" });
      for (const code of ["damaged", "closed"] as const) {
        const words = roads?.status?.["x-value-labels"]?.[code];
        if (words) entries.push({ label: label(words), symbol: "dashed", colour: colours[code]! });
      }
      continue;
    }
    if (name === "hazards") {
      // the level's label where the registry gives one (else the field's name and the number)
      const field = info?.schema.properties.risk_level;
      const words = (level: number) =>
        field?.["x-value-labels"]?.[level] ? label(field["x-value-labels"][level]) : `${field ? label(field["x-label"]) : ""} ${level}`;
      for (const level of [1, 2, 3, 4] as const) entries.push({ label: `${title} · ${words(level)}`, symbol: "circle", colour: legend.risk[level] });
      continue;
    }
    const type = drawn.find((l) => l.type !== "symbol")?.type ?? "symbol";
    const symbol: LegendEntry["symbol"] = type === "fill" ? "area" : type === "line" ? "line" : type === "circle" ? "circle" : (ICON_SHAPES[name] ?? "circle");
    entries.push({ label: title, symbol, colour: legend.layers[name] ?? "#777777" });
  }
  return entries;
}
