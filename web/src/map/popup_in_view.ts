import type { Map, MapLibreEvent, Popup } from "maplibre-gl";
import { coveredBottom } from "../panels/bottom_sheet.ts";

/** Pixels kept between the point, its popup and the edges of the part of the map left free. */
const MARGIN = 12;
/** Less free map than this (a sheet at full height) and nothing is moved: the sheet is what is being read. */
const TOO_LITTLE = 160;

/**
 * Keep a popup and the point it belongs to in the part of the map the bottom sheet leaves free (all of it
 * on a wide screen): once the map rests after opening it, and again whenever the map comes to rest by the
 * app's doing (a flight, a fit, the sheet moving) with the point still on the map — never after the user's
 * own pan or zoom. On a phone the
 * popup stands above its point, and is shortened to scroll when it is taller than the free map.
 */
export function keepPopupInView(map: Map, popup: Popup) {
  const container = map.getContainer();
  const content = popup.getElement()?.querySelector<HTMLElement>(".maplibregl-popup-content");
  const adjust = () => {
    if (!popup.isOpen() || !popup.getElement()?.isConnected) return;
    const free = container.clientHeight - coveredBottom(container);
    if (free < TOO_LITTLE) return;
    // the map was sent elsewhere (another place searched, a jump): the popup is left behind, not followed
    const point = map.project(popup.getLngLat());
    if (point.x < 0 || point.y < 0 || point.x > container.clientWidth || point.y > container.clientHeight) return;
    if (content) {
      content.style.maxHeight = `${free - 3 * MARGIN - 20}px`;
      content.style.overflowY = "auto";
    }
    const origin = container.getBoundingClientRect();
    const box = popup.getElement().getBoundingClientRect();
    const [top, bottom] = [Math.min(point.y, box.top - origin.top), Math.max(point.y, box.bottom - origin.top)];
    const [left, right] = [Math.min(point.x, box.left - origin.left), Math.max(point.x, box.right - origin.left)];
    // the shift that brings both into the free part; where both cannot fit, the top (the close button) wins
    let dy = Math.max(0, bottom - (free - MARGIN));
    if (top - dy < MARGIN) dy = top - MARGIN;
    // and clear of the zoom buttons at the top left where it stands beside them
    const controls = controlsEdge(container, top - dy, bottom - dy);
    let dx = Math.max(0, right - (container.clientWidth - MARGIN));
    if (left - dx < controls + MARGIN) dx = left - controls - MARGIN;
    if (Math.abs(dx) > 1 || Math.abs(dy) > 1) {
      ownMove = true;
      map.panBy([dx, dy], { duration: 250 });
    }
  };
  // the end of this pan is not a reason to move again (a popup that changes sides as it moves would never rest)
  let ownMove = false;
  const rested = (e: MapLibreEvent<unknown>) => {
    if (ownMove) ownMove = false;
    else if (!e.originalEvent) adjust();
  };
  map.on("moveend", rested);
  popup.once("close", () => map.off("moveend", rested));
  if (!map.isMoving()) adjust();
}

/** The right edge of the map's top-left controls (map pixels) where they span `top`–`bottom`, else 0. */
function controlsEdge(container: HTMLElement, top: number, bottom: number): number {
  const box = container.querySelector(".maplibregl-ctrl-top-left")?.getBoundingClientRect();
  const origin = container.getBoundingClientRect();
  if (!box || box.width === 0 || box.bottom - origin.top < top || box.top - origin.top > bottom) return 0;
  return box.right - origin.left;
}

/**
 * On a phone or tablet (the panel is a sheet over the map) a popup stands above its point, clear of the
 * sheet below, and is narrow enough to sit beside the zoom buttons.
 */
export function popupOptions(map: Map): { anchor?: "bottom"; maxWidth: string } {
  const container = map.getContainer();
  if (coveredBottom(container) === 0) return { maxWidth: "320px" };
  const room = container.clientWidth - controlsEdge(container, 0, container.clientHeight) - 2 * MARGIN;
  return { anchor: "bottom", maxWidth: `${Math.min(320, room)}px` };
}
