import { LngLatBounds, type Map } from "maplibre-gl";
import { el } from "./ui.ts";
import { flyToFeature, openPopup } from "./popup.ts";
import { showError } from "../api.ts";
import { fitWithPopup } from "../map/popup_in_view.ts";

/** A feature of a result, as the answers locate it. */
export interface Located {
  layer: string;
  id: number;
  at: [number, number];
}

/**
 * A result row that is a button: clicked (or Enter), the map flies to its feature and opens its popup;
 * `frame` gives other points to show with it (then the map fits them all instead of flying).
 */
export function featureRow(map: Map, f: Located, text: string, frame?: [number, number][]): HTMLButtonElement {
  const button = el("button", { type: "button", className: "result", textContent: text });
  button.dataset.key = `${f.layer}/${f.id}`;
  button.addEventListener("click", () => {
    if (!frame) return flyToFeature(map, f.layer, f.id, f.at);
    fitWithPopup(map, [f.at, ...frame], f.at, { maxZoom: 14, duration: 600 });
    openPopup(map, f.layer, f.id, f.at).catch(showError);
  });
  return button;
}

/** The map framed on what an answer drew (a padding for the panel), unless there is nothing. */
export function fitTo(map: Map, points: [number, number][]) {
  if (!points.length) return;
  const bounds = points.reduce((b, c) => b.extend(c), new LngLatBounds(points[0], points[0]));
  map.fitBounds(bounds, { padding: 60, maxZoom: 14, duration: 600 });
}
