import { Popup, type Map, type MapGeoJSONFeature } from "maplibre-gl";
import { api, layerInfo, showError } from "../api.ts";
import { label, t } from "../i18n.ts";
import { editFeature, mayEdit } from "./editor.ts";

const HIDDEN = new Set(["version", "created_at", "updated_at", "code"]);

/** Click a feature: a popup of its attributes (fetched whole from the API) in the current language. */
export function featurePopups(map: Map, layerIds: string[]) {
  map.on("click", layerIds, async (e) => {
    const f = e.features?.[0] as MapGeoJSONFeature | undefined;
    if (!f) return;
    try {
      const [feature, layers] = await Promise.all([
        api<{ properties: Record<string, unknown> }>(`/api/v1/layers/${f.sourceLayer}/features/${f.id}`),
        layerInfo(),
      ]);
      const info = layers.find((l) => l.name === f.sourceLayer)!;
      const schema = info.schema.properties;
      const rows = Object.entries(feature.properties)
        .filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0) && schema[k])
        .map(([k, v]) => {
          const values = schema[k]!["x-value-labels"];
          const shown = Array.isArray(v) ? v.join("、") : values?.[String(v)] ? label(values[String(v)]!) : String(v);
          const tr = document.createElement("tr");
          tr.append(
            Object.assign(document.createElement("th"), { textContent: label(schema[k]!["x-label"]) }),
            Object.assign(document.createElement("td"), { textContent: shown }),
          );
          return tr;
        });
      const table = document.createElement("table");
      table.append(...rows);
      const content = document.createElement("div");
      content.append(table);
      const popup = new Popup({ maxWidth: "320px" }).setLngLat(e.lngLat);
      if (mayEdit(info)) {
        const edit = Object.assign(document.createElement("button"), { type: "button", className: "edit", textContent: t("edit") });
        edit.addEventListener("click", () => {
          popup.remove();
          void editFeature(map, f.sourceLayer!, Number(f.id)).catch(showError);
        });
        content.append(edit);
      }
      popup.setDOMContent(content).addTo(map);
    } catch (err) {
      showError(err);
    }
  });
  for (const id of layerIds) {
    map.on("mouseenter", id, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", id, () => (map.getCanvas().style.cursor = ""));
  }
}
