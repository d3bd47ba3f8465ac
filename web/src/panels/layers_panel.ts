import type { Map } from "maplibre-gl";
import { layerInfo, showError } from "../api.ts";
import { label, onLangChange, t } from "../i18n.ts";
import { legendOf, mapLayers } from "../map/style.ts";

/** Layer list with counts, a toggle per layer and a legend for the colour codes. */
export async function layersPanel(map: Map) {
  const list = document.querySelector("#layers ul")!;
  const layers = await layerInfo().catch((e) => (showError(e), []));
  const drawn = mapLayers(map);
  const legend = legendOf(map);
  const render = () => {
    list.replaceChildren(
      ...[...drawn.keys()].reverse().flatMap((name) => {
        const info = layers.find((l) => l.name === name);
        if (!info) return [];
        const li = document.createElement("li");
        const box = Object.assign(document.createElement("input"), {
          type: "checkbox",
          id: `toggle-${name}`,
          checked: map.getLayoutProperty(drawn.get(name)![0]!.id, "visibility") !== "none",
        });
        box.addEventListener("change", () => {
          for (const l of drawn.get(name)!) map.setLayoutProperty(l.id, "visibility", box.checked ? "visible" : "none");
        });
        const swatch = Object.assign(document.createElement("span"), { className: "swatch" });
        swatch.style.background = legend.layers[name]!;
        // townships known without their polygon are counted but cannot be drawn: the map says so
        const unlocated = info.without_geometry ? `, ${info.without_geometry.toLocaleString()} ${t("noBoundary")}` : "";
        const text = Object.assign(document.createElement("label"), {
          htmlFor: box.id,
          textContent: `${label(info.label)} (${info.count.toLocaleString()}${unlocated})`,
        });
        li.append(box, swatch, text);
        if (name !== "hazards") return [li];
        const levelsLegend = Object.assign(document.createElement("div"), { className: "legend" });
        const levels = info.schema.properties.risk_level ? [1, 2, 3, 4] : [];
        const names = { zh: ["重大", "较大", "一般", "低"], en: ["major", "significant", "moderate", "low"] };
        levelsLegend.append(
          ...levels.map((n) => {
            const s = document.createElement("span");
            const dot = Object.assign(document.createElement("i"), { className: "swatch" });
            dot.style.background = legend.risk[n as 1 | 2 | 3 | 4];
            s.append(dot, label({ zh: names.zh[n - 1]!, en: names.en[n - 1]! }));
            return s;
          }),
        );
        return [li, levelsLegend];
      }),
    );
  };
  render();
  onLangChange(render);
}
