import * as maplibregl from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { buildStyle } from "./style.ts";

// the worker is served by the product with the rest of the app; start it while the page sets up
maplibregl.setWorkerUrl(workerUrl);
maplibregl.prewarm();

/** The map framing `bounds` (lon/lat), or the demo county (示范县) when there are none. */
export function createMap(container: HTMLElement, bounds?: [number, number, number, number]): maplibregl.Map {
  const map = new maplibregl.Map({
    container,
    style: buildStyle(location.origin),
    ...(bounds ? { bounds, fitBoundsOptions: { padding: 24 } } : { center: [104.3, 30.85], zoom: 9.5 }),
    attributionControl: false,
  });
  map.addControl(new maplibregl.NavigationControl(), "top-left");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  return map;
}
