import * as maplibregl from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { buildStyle } from "./style.ts";

// the worker is served by the product with the rest of the app
maplibregl.setWorkerUrl(workerUrl);

/** The map over the demo county (示范县) until the data says otherwise. */
export function createMap(container: HTMLElement): maplibregl.Map {
  const map = new maplibregl.Map({
    container,
    style: buildStyle(location.origin),
    center: [104.3, 30.85],
    zoom: 9.5,
    attributionControl: false,
  });
  map.addControl(new maplibregl.NavigationControl(), "top-left");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  return map;
}
