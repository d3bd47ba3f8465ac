import type { Map } from "maplibre-gl";
import { layerInfo, showError } from "../api.ts";
import { label, onLangChange, t } from "../i18n.ts";
import type { Label } from "../../../server/layers/fields.ts";
import { legendOf, mapLayers } from "../map/style.ts";

/** A legend line: a swatch of each colour with its label; a dot (a point), a line (a road) or a hatched line (a blocked road). */
function keyOf(entries: (readonly [shape: "dot" | "line" | "hatched", colour: string, text: Label])[]): HTMLElement {
  const key = Object.assign(document.createElement("div"), { className: "legend" });
  key.append(
    ...entries.map(([shape, colour, text]) => {
      const s = document.createElement("span");
      const swatch = Object.assign(document.createElement("i"), { className: shape === "dot" ? "swatch" : "swatch line" });
      swatch.style.background = shape === "hatched" ? `repeating-linear-gradient(90deg, ${colour} 0 4px, #fff 4px 6px)` : colour;
      s.append(swatch, label(text));
      return s;
    }),
  );
  return key;
}

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
        if (name === "hazards") {
          // the risk levels in the registry's words (重大…低), each in its colour
          const levels = Object.entries(info.schema.properties.risk_level?.["x-value-labels"] ?? {});
          const colours = legend.risk as Record<string, string>;
          li.append(keyOf(levels.map(([n, words]) => ["dot", colours[n]!, words] as const)));
        }
        if (name === "roads") {
          // classes by their colour, then what a status looks like, in the status field's own words
          const classes = Object.entries(info.schema.properties.road_class?.["x-value-labels"] ?? {});
          const status = info.schema.properties.status?.["x-value-labels"] ?? {};
          const colours = legend.roads as Record<string, string>;
          li.append(
            keyOf([
              ...classes.map(([k, l]) => ["line", colours[k]!, l] as const),
              ...(["damaged", "closed"] as const).filter((k) => status[k]).map((k) => ["hatched", colours[k]!, status[k]!] as const),
            ]),
          );
        }
        // a legend stays inside its layer's item: a list holds list items only
        return [li];
      }),
    );
  };
  render();
  onLangChange(render);
}
