import type { LngLat, Map, PointLike } from "maplibre-gl";

/** Where the map was "clicked": by the mouse, or by Enter at the centre of the focused map. */
export interface MapClick {
  lngLat: LngLat;
  point: PointLike;
  byKeyboard?: boolean;
}

let claimed: ((at: LngLat) => void) | undefined;
/** The last mouse click a panel took: the popups' own click handler (run before or after ours) leaves it alone. */
let taken: Event | undefined;

/** The next click on the map goes to `f` alone (e.g. placing an evacuation centre), not to the default; undefined gives it back. */
export function claimNextClick(f: ((at: LngLat) => void) | undefined) {
  claimed = f;
}

/** Whether this click belongs to a panel that claimed it (or will: its handler may run after the asker's). */
export const clickTaken = (e: Event) => claimed !== undefined || taken === e;

/**
 * The default click handler, unless a panel has claimed the click. Keyboard users pan with the arrow
 * keys and press Enter: the centre of the map (marked by a crosshair while it has focus) is clicked.
 */
export function onMapClick(map: Map, f: (e: MapClick) => void) {
  const click = (e: MapClick & { originalEvent?: Event }) => {
    if (claimed) {
      const take = claimed;
      claimed = undefined;
      taken = e.originalEvent;
      take(e.lngLat);
    } else f(e);
  };
  map.on("click", click);
  map.getCanvas().addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    const { clientWidth: w, clientHeight: h } = map.getCanvas();
    click({ lngLat: map.getCenter(), point: [w / 2, h / 2], byKeyboard: true });
  });
}
