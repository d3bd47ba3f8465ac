import { LngLatBounds, MercatorCoordinate, type Map, type MapLibreEvent, type PaddingOptions, type Popup } from "maplibre-gl";
import { coveredBottom } from "../panels/bottom_sheet.ts";

/** Pixels kept between the point, its popup and the edges of the part of the map left free. */
const MARGIN = 12;
/** Less free map than this (a sheet at full height) and nothing is moved: the sheet is what is being read. */
const TOO_LITTLE = 160;
/** On a phone or tablet a popup is a few lines, at most this share of the free map (its content scrolls past it), as 高德 and 天地图 keep theirs. */
const PHONE_SHARE = 0.36;
/** The popup's arrow to its point. */
const TIP = 10;

/**
 * Keep a popup and the point it belongs to in the part of the map the bottom sheet leaves free (all of it
 * on a wide screen): once the map rests after opening it, and again whenever the map comes to rest by the
 * app's doing (a flight, a fit, the sheet moving) with the point still on the map — never after the user's
 * own pan or zoom. On a phone the popup stands above its point, a few lines that scroll (a third or so of
 * the free map); beside the panel it scrolls only when taller than the map.
 */
export function keepPopupInView(map: Map, popup: Popup) {
  const container = map.getContainer();
  const content = popup.getElement()?.querySelector<HTMLElement>(".maplibregl-popup-content");
  const shorten = () => {
    if (!content) return;
    const covered = coveredBottom(container);
    content.style.maxHeight = `${covered === 0 ? container.clientHeight - 3 * MARGIN - 20 : popupHeight(container) - TIP}px`;
    content.style.overflowY = "auto";
  };
  const adjust = () => {
    if (!popup.isOpen() || !popup.getElement()?.isConnected) return;
    const free = container.clientHeight - coveredBottom(container);
    if (free < TOO_LITTLE) return;
    // the map was sent elsewhere (another place searched, a jump): the popup is left behind, not followed
    const point = map.project(popup.getLngLat());
    if (point.x < 0 || point.y < 0 || point.x > container.clientWidth || point.y > container.clientHeight) return;
    shorten();
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
  // short at once, not only once the map has come to rest: it opens while a result's fit is under way
  if (container.clientHeight - coveredBottom(container) >= TOO_LITTLE) shorten();
  if (!map.isMoving()) adjust();
}

/** The tallest a popup stands on a phone or tablet (its arrow included, map pixels): a third or so of the free map. */
function popupHeight(container: HTMLElement): number {
  const free = container.clientHeight - coveredBottom(container);
  return Math.min(free - 3 * MARGIN, Math.max(120, Math.round(free * PHONE_SHARE)));
}

/** The widest a popup stands on a phone or tablet: beside the zoom buttons, within the margins. */
function phonePopupWidth(container: HTMLElement): number {
  return Math.min(320, container.clientWidth - controlsEdge(container, 0, container.clientHeight) - 2 * MARGIN);
}

/**
 * Frame `points` (an answer: a route, a plan's picks) for the popup about to open at `at`, one of them. Beside
 * the panel, the plain fit. On a phone or tablet the fit also leaves room for the popup standing above `at`
 * (beside the zoom buttons), so that keepPopupInView has nothing to move and the answer stays in the free map
 * above the sheet (the map's own padding already leaves out what the sheet covers).
 */
export function fitWithPopup(map: Map, points: [number, number][], at: [number, number], options: { maxZoom: number; duration?: number }) {
  if (!points.length) return;
  const bounds = points.reduce((b, c) => b.extend(c), new LngLatBounds(points[0], points[0]));
  const container = map.getContainer();
  if (coveredBottom(container) === 0) return void map.fitBounds(bounds, { padding: 60, ...options });
  const [height, width] = [popupHeight(container), phonePopupWidth(container)];
  const left = controlsEdge(container, 0, container.clientHeight) + MARGIN;
  const right = container.clientWidth - MARGIN;
  const padding = { top: 2 * MARGIN, bottom: 2 * MARGIN, left: 2 * MARGIN, right: 2 * MARGIN };
  // where the fit puts `at` decides where the popup stands: widen the padding on the side it lacks room, and fit again
  for (let i = 0; i < 6; i++) {
    const point = pointAfterFit(map, bounds, padding, at, options.maxZoom);
    if (!point) break;
    const short = {
      top: MARGIN + height - point.y,
      left: left - (point.x - width / 2),
      right: point.x + width / 2 - right,
    };
    if (short.top <= 1 && short.left <= 1 && short.right <= 1) break;
    if (short.top > 1) padding.top += short.top;
    if (short.left > 1) padding.left += short.left;
    if (short.right > 1) padding.right += short.right;
  }
  map.fitBounds(bounds, { padding, ...options });
}

/** Where (map pixels) `at` would stand once the map fitted `bounds` with `padding` on top of its own. */
function pointAfterFit(map: Map, bounds: LngLatBounds, padding: PaddingOptions, at: [number, number], maxZoom: number) {
  const camera = map.cameraForBounds(bounds, { padding, maxZoom });
  if (!camera?.center || camera.zoom === undefined) return undefined;
  const container = map.getContainer();
  const { top = 0, bottom = 0, left = 0, right = 0 } = map.getPadding();
  const [w, h] = [container.clientWidth, container.clientHeight];
  const centre = { x: left + (w - left - right) / 2, y: top + (h - top - bottom) / 2 };
  const world = 512 * 2 ** camera.zoom;
  const [p, c] = [MercatorCoordinate.fromLngLat(at), MercatorCoordinate.fromLngLat(camera.center)];
  const [dx, dy] = [(p.x - c.x) * world, (p.y - c.y) * world];
  // the map turned by its bearing: east is up at 90°
  const turn = (-(camera.bearing ?? map.getBearing()) * Math.PI) / 180;
  return { x: centre.x + dx * Math.cos(turn) - dy * Math.sin(turn), y: centre.y + dx * Math.sin(turn) + dy * Math.cos(turn) };
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
  return { anchor: "bottom", maxWidth: `${phonePopupWidth(container)}px` };
}
