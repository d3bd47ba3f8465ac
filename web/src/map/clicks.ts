import type { LngLat, Map, MapMouseEvent } from "maplibre-gl";

let claimed: ((at: LngLat) => void) | undefined;

/** The next click on the map goes to `f` alone (e.g. placing an evacuation centre), not to the default. */
export function claimNextClick(f: (at: LngLat) => void) {
  claimed = f;
}

/** The default click handler, unless a panel has claimed the click. */
export function onMapClick(map: Map, f: (e: MapMouseEvent) => void) {
  map.on("click", (e) => {
    if (claimed) {
      const take = claimed;
      claimed = undefined;
      take(e.lngLat);
    } else f(e);
  });
}
