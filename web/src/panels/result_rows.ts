import { LngLatBounds, type Map } from "maplibre-gl";
import { el } from "./ui.ts";
import { flyToFeature } from "./popup.ts";

/** A feature of a result, as the answers locate it. */
export interface Located {
  layer: string;
  id: number;
  at: [number, number];
}

/** A result row that is a button: clicked (or Enter), the map flies to its feature and opens its popup. */
export function featureRow(map: Map, f: Located, ...content: (Node | string)[]): HTMLButtonElement {
  const button = el("button", { type: "button", className: "result" }, ...content);
  button.dataset.key = `${f.layer}/${f.id}`;
  button.addEventListener("click", () => flyToFeature(map, f.layer, f.id, f.at));
  return button;
}

/** The map framed on what an answer drew (a padding for the panel), unless there is nothing. */
export function fitTo(map: Map, points: [number, number][]) {
  if (!points.length) return;
  const bounds = points.reduce((b, c) => b.extend(c), new LngLatBounds(points[0], points[0]));
  map.fitBounds(bounds, { padding: 60, maxZoom: 14, duration: 600 });
}
