import type { Map } from "maplibre-gl";
import { layerInfo, showError } from "../api.ts";
import { label, onLangChange, t } from "../i18n.ts";
import type { LegendKey } from "../../../server/styles/hazmap_style.ts";
import { appLayerOf, legendOf, mapLayers, onLegendChange } from "../map/style.ts";
import { legendSymbolCanvas } from "../map/legend_symbol.ts";
import { showVillageRisk } from "../map/village_risk.ts";

/** A layer's legend: each symbol it draws, as drawn on the map, with what it means. */
function keyOf(keys: LegendKey[]): HTMLElement {
  const key = Object.assign(document.createElement("div"), { className: "legend" });
  key.append(
    ...keys.map(({ symbol, label: text }) => {
      const s = document.createElement("span");
      s.append(legendSymbolCanvas(symbol), label(text));
      return s;
    }),
  );
  return key;
}

/** Layer list with counts, a toggle per layer and, under each shown layer, the legend of every symbol it draws. */
export async function layersPanel(map: Map) {
  const list = document.querySelector("#layers ul")!;
  const layers = await layerInfo().catch((e) => (showError(e), []));
  const drawn = mapLayers(map);
  const shown = (name: string) => map.getLayoutProperty(drawn.get(name)![0]!.id, "visibility") !== "none";
  const render = () => {
    const keys = legendOf(map).keys;
    list.replaceChildren(
      ...[...drawn.keys()].reverse().flatMap((name) => {
        const info = layers.find((l) => l.name === name) ?? appLayerOf(map, name);
        if (!info) return [];
        const li = document.createElement("li");
        const box = Object.assign(document.createElement("input"), { type: "checkbox", id: `toggle-${name}`, checked: shown(name) });
        box.addEventListener("change", () => {
          for (const l of drawn.get(name)!) map.setLayoutProperty(l.id, "visibility", box.checked ? "visible" : "none");
          if (name === "village-risk") showVillageRisk(map, box.checked);
          else render();
        });
        const mine = keys[name] ?? [];
        // townships known without their polygon are counted but cannot be drawn: the map says so
        const unlocated = "without_geometry" in info && info.without_geometry ? `, ${info.without_geometry.toLocaleString()} ${t("noBoundary")}` : "";
        const text = Object.assign(document.createElement("label"), {
          htmlFor: box.id,
          textContent: `${label(info.label)} (${info.count.toLocaleString()}${unlocated})`,
        });
        const row = Object.assign(document.createElement("div"), { className: "layer-row" });
        row.append(box, ...(mine[0] ? [legendSymbolCanvas(mine[0].symbol)] : []), text);
        li.append(row);
        if (mine.length > 1 && box.checked) li.append(keyOf(mine));
        return [li];
      }),
    );
  };
  render();
  onLangChange(render);
  onLegendChange(map, render);
}
