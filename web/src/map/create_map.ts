import * as maplibregl from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { loadStyle } from "./style.ts";
import { registerIcons } from "./icons.ts";

// the worker is served by the product with the rest of the app; start it while the page sets up
maplibregl.setWorkerUrl(workerUrl);
maplibregl.prewarm();

/** Requests for the style's URLs (which start with the product's public URL `base`) go to this page's own origin. */
export const sameOrigin = (base: string) => (url: string) => ({ url: url.startsWith(`${base}/`) ? `${location.origin}${url.slice(base.length)}` : url });

/**
 * The map framing `bounds` (lon/lat), or the demo county (示范县) when there are none, above the bottom
 * `covered` pixels (a phone's bottom sheet).
 */
export async function createMap(container: HTMLElement, bounds?: [number, number, number, number], covered = 0): Promise<maplibregl.Map> {
  const style = await loadStyle();
  const base = style.metadata["hazmap:public-url"];
  const map = new maplibregl.Map({
    container,
    style,
    // the style names the product by its public URL; this page may have reached it by another name
    // (a proxy, an address), and its session cookie goes only to its own origin
    transformRequest: sameOrigin(base),
    ...(bounds ? { bounds, fitBoundsOptions: { padding: { top: 24, left: 24, right: 24, bottom: 24 + covered } } } : { center: [104.3, 30.85], zoom: 9.5 }),
    attributionControl: false,
  });
  registerIcons(map);
  map.addControl(new maplibregl.NavigationControl(), "top-left");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  return map;
}
