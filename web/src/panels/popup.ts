import { Popup, type LngLatLike, type Map, type MapGeoJSONFeature } from "maplibre-gl";
import { api, layerInfo, showError, type LayerSummary } from "../api.ts";
import { currentLang, label, t } from "../i18n.ts";
import { legendOf } from "../map/style.ts";
import { isRiskLevel, valueText } from "../value_labels.ts";
import { editFeature, mayEdit } from "./editor.ts";
import { roadStatusButtons } from "./road_status.ts";
import { clickTaken } from "../map/clicks.ts";
import { insideMyTownships } from "./my_townships.ts";
import { serviceAreaButton } from "./service_area_panel.ts";
import { popupBookButton } from "./evacuation_book_button.ts";
import { keepPopupInView, popupOptions } from "../map/popup_in_view.ts";

const HIDDEN = new Set(["version", "created_at", "updated_at", "code"]);

export interface PopupFeature {
  id: number;
  properties: Record<string, unknown>;
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

/** The attribute table of a feature, in the current language: codes by their labels, a risk level with its colour. */
function attributes(map: Map, layer: LayerSummary, p: Record<string, unknown>): HTMLTableElement {
  const schema = layer.schema.properties;
  const risk = legendOf(map).risk as Record<string, string>;
  const row = (th: string, td: string, key: string) => {
    const tr = document.createElement("tr");
    const cell = Object.assign(document.createElement("td"), { textContent: td });
    if (isRiskLevel(key) && risk[String(p[key])]) {
      const swatch = Object.assign(document.createElement("i"), { className: "swatch" });
      swatch.style.background = risk[String(p[key])]!;
      cell.prepend(swatch);
    }
    tr.append(Object.assign(document.createElement("th"), { textContent: th }), cell);
    return tr;
  };
  const table = document.createElement("table");
  table.append(
    ...Object.entries(p)
      .filter(([k, v]) => schema[k] && !HIDDEN.has(k) && (v !== null || (layer.name === "roads" && k === "speed_kmh")))
      .filter(([, v]) => v !== "" && !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => row(label(schema[k]!["x-label"]), layer.name === "roads" && k === "speed_kmh" ? roadSpeed(layer, p) : valueText(layer, k, v), k)),
  );
  return table;
}

let open: Popup | undefined;

/**
 * A feature's popup of its attributes (fetched whole from the API) in the current language, at `at`:
 * opened by a click on the map or by a result row. One at a time.
 */
export async function openPopup(map: Map, layer: string, id: number, at: LngLatLike) {
  const [feature, layers] = await Promise.all([api<PopupFeature>(`/api/v1/layers/${layer}/features/${id}`), layerInfo()]);
  const info = layers.find((l) => l.name === layer)!;
  open?.remove();
  const popup = new Popup(popupOptions(map)).setLngLat(at);
  open = popup;
  const content = document.createElement("div");
  content.dataset.layer = layer;
  content.dataset.id = String(id);
  const render = async (current: PopupFeature) => {
    content.replaceChildren(attributes(map, info, current.properties));
    // a clerk is offered 编辑 only inside their own townships (the server refuses the rest all the same)
    if (mayEdit(info) && (await insideMyTownships(map, at))) {
      const edit = Object.assign(document.createElement("button"), { type: "button", className: "edit", textContent: t("edit") });
      edit.addEventListener("click", () => {
        popup.remove();
        void editFeature(map, layer, id).catch(showError);
      });
      content.append(edit);
    }
    // a commander closes, marks damaged or reopens a road from here; the table shows what was saved
    if (info.name === "roads") content.append(roadStatusButtons(info, current, (f) => void render(f)));
    // a team, shelter or depot: the area it reaches by road in 10/20/30 minutes
    content.append(...serviceAreaButton(info.name, current.id, String(current.properties.name ?? ""), () => popup.remove()));
    // a village's (or township's) evacuation book, for planners and commanders
    content.append(...popupBookButton(info.name, current.properties));
  };
  await render(feature);
  popup.setDOMContent(content).addTo(map);
  keepPopupInView(map, popup);
}

/** Click a feature: its popup; not while a panel has taken the click (placing a circle, a corner, a new feature). */
export function featurePopups(map: Map, layerIds: string[]) {
  map.on("click", layerIds, (e) => {
    const f = e.features?.[0] as MapGeoJSONFeature | undefined;
    if (!f || clickTaken(e.originalEvent)) return;
    // a map layer names its data layer in metadata (an area hazard's ▲ is drawn from its label point)
    const layer = (f.layer.metadata as { "hazmap:layer"?: string } | undefined)?.["hazmap:layer"] ?? f.sourceLayer!;
    openPopup(map, layer, Number(f.id), e.lngLat).catch(showError);
  });
  for (const id of layerIds) {
    map.on("mouseenter", id, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", id, () => (map.getCanvas().style.cursor = ""));
  }
}

/** A result row's feature shown: the map flies there (zooming in, never out) and opens its popup. */
export function flyToFeature(map: Map, layer: string, id: number, at: [number, number]) {
  map.flyTo({ center: at, zoom: Math.max(map.getZoom(), 13), duration: 600 });
  openPopup(map, layer, id, at).catch(showError);
}
