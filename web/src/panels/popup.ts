import { Popup, type LngLatLike, type Map, type MapGeoJSONFeature } from "maplibre-gl";
import { api, layerInfo, showError, type LayerSummary } from "../api.ts";
import { currentLang, label, t } from "../i18n.ts";
import { editFeature, mayEdit } from "./editor.ts";
import { roadStatusButtons } from "./road_status.ts";
import { serviceAreaButton } from "./service_area_panel.ts";

const HIDDEN = new Set(["version", "created_at", "updated_at", "code"]);

export interface PopupFeature {
  id: number;
  properties: Record<string, unknown>;
}

/** What a value reads as: its label, a list joined, yes or no. */
function shown(layer: LayerSummary, key: string, v: unknown): string {
  const values = layer.schema.properties[key]!["x-value-labels"];
  if (Array.isArray(v)) return v.join("、");
  if (typeof v === "boolean") return t(v ? "yes" : "no");
  return values?.[String(v)] ? label(values[String(v)]!) : String(v);
}

/** A road without a speed of its own is driven at its class's (and at half that when damaged): the popup says which. */
function roadSpeed(layer: LayerSummary, p: Record<string, unknown>): string {
  const own = typeof p.speed_kmh === "number";
  const byClass = layer.schema.properties.speed_kmh?.["x-default-by"];
  const kmh = own ? (p.speed_kmh as number) : byClass?.values[String(p[byClass.field])];
  if (kmh === undefined) return "—";
  const notes = [...(own ? [] : [t("classDefault")]), ...(p.status === "damaged" ? [`${t("damagedDriven")} ${kmh / 2}`] : [])];
  if (!notes.length) return String(kmh);
  return currentLang() === "zh" ? `${kmh}（${notes.join("，")}）` : `${kmh} (${notes.join(", ")})`;
}

/** The attribute table of a feature, in the current language. */
function attributes(layer: LayerSummary, p: Record<string, unknown>): HTMLTableElement {
  const schema = layer.schema.properties;
  const row = (th: string, td: string) => {
    const tr = document.createElement("tr");
    tr.append(Object.assign(document.createElement("th"), { textContent: th }), Object.assign(document.createElement("td"), { textContent: td }));
    return tr;
  };
  const table = document.createElement("table");
  table.append(
    ...Object.entries(p)
      .filter(([k, v]) => schema[k] && !HIDDEN.has(k) && (v !== null || (layer.name === "roads" && k === "speed_kmh")))
      .filter(([, v]) => v !== "" && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => row(label(schema[k]!["x-label"]), layer.name === "roads" && k === "speed_kmh" ? roadSpeed(layer, p) : shown(layer, k, v))),
  );
  return table;
}

/** The popup of feature `id` of data layer `layer` at `at`: its attributes fetched whole from the API, in the current language. */
export async function openPopup(map: Map, layer: string, id: number, at: LngLatLike): Promise<Popup> {
  const [feature, layers] = await Promise.all([api<PopupFeature>(`/api/v1/layers/${layer}/features/${id}`), layerInfo()]);
  const info = layers.find((l) => l.name === layer)!;
  const popup = new Popup({ maxWidth: "320px" }).setLngLat(at);
  const content = document.createElement("div");
  const render = (current: PopupFeature) => {
    content.replaceChildren(attributes(info, current.properties));
    if (mayEdit(info)) {
      const edit = Object.assign(document.createElement("button"), { type: "button", className: "edit", textContent: t("edit") });
      edit.addEventListener("click", () => {
        popup.remove();
        void editFeature(map, layer, id).catch(showError);
      });
      content.append(edit);
    }
    // a commander closes, marks damaged or reopens a road from here; the table shows what was saved
    if (info.name === "roads") content.append(roadStatusButtons(info, current, render));
    // a team, shelter or depot: the area it reaches by road in 10/20/30 minutes
    content.append(...serviceAreaButton(info.name, current.id, String(current.properties.name ?? ""), () => popup.remove()));
  };
  render(feature);
  return popup.setDOMContent(content).addTo(map);
}

/** Click a feature: its popup. A map layer names its data layer in metadata (an area hazard's ▲ is drawn from its label point). */
export function featurePopups(map: Map, layerIds: string[]) {
  map.on("click", layerIds, (e) => {
    const f = e.features?.[0] as MapGeoJSONFeature | undefined;
    if (!f) return;
    const layer = (f.layer.metadata as { "hazmap:layer"?: string } | undefined)?.["hazmap:layer"] ?? f.sourceLayer!;
    openPopup(map, layer, Number(f.id), e.lngLat).catch(showError);
  });
  for (const id of layerIds) {
    map.on("mouseenter", id, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", id, () => (map.getCanvas().style.cursor = ""));
  }
}
