import type { LngLat, Map } from "maplibre-gl";
import { onLangChange } from "../i18n.ts";
import { el } from "./ui.ts";

type State = "peek" | "half" | "full";
const STATES: State[] = ["peek", "half", "full"];
/** Past this many pixels a press on the handle is a drag, not a tap. */
const DRAG_PX = 8;

/**
 * On a phone or a tablet (style.css, max-width 1024px) #panel is a bottom sheet over the map: its handle is
 * tapped (peek → half → full → peek) or dragged, and a tab per part of the panel opens the sheet at that
 * part. On a wider screen the panel stands beside the map and none of this shows. Whatever #panel holds
 * works in it: every visible child with a heading (h2) or a summary gets a tab, and a live region
 * (aria-live, role=alert) that changes after a tap on the map, or an alert, raises a peeking sheet to show it.
 */
export function bottomSheet() {
  const panel = document.querySelector<HTMLElement>("#panel")!;
  const bar = panel.querySelector<HTMLElement>("#sheet-bar")!;
  const handle = bar.querySelector<HTMLButtonElement>("#sheet-handle")!;
  const tabs = bar.querySelector<HTMLElement>("#sheet-tabs")!;
  const isSheet = () => getComputedStyle(bar).display !== "none";
  const state = () => panel.dataset.sheet as State;
  const setState = (s: State) => {
    panel.style.removeProperty("height");
    panel.dataset.sheet = s;
    handle.setAttribute("aria-expanded", String(s !== "peek"));
    if (s === "peek") panel.scrollTop = 0;
  };

  let risen = false;
  /** Open the sheet (at least half) with `node` at its top, just under the bar, unless it is in view already. */
  const show = (node: Element, always = false) => {
    if (state() === "peek") {
      risen = true;
      setState("half");
    }
    // where the node is in the sheet's content, and what part of it the sheet shows once it has risen
    const main = panel.parentElement!.clientHeight;
    const box = node.getBoundingClientRect();
    const top = box.top - panel.getBoundingClientRect().top + panel.scrollTop;
    const shown = [panel.scrollTop + bar.offsetHeight, panel.scrollTop + (state() === "full" ? main : main / 2)] as const;
    if (always || top < shown[0] || top + box.height > shown[1]) panel.scrollTo({ top: top - bar.offsetHeight, behavior: "smooth" });
  };
  const reveal = (part: HTMLElement) => {
    if (part instanceof HTMLDetailsElement) part.open = true;
    show(part, true);
  };

  // tap: the next state; drag: the height follows the finger and snaps to the nearest state
  let drag: { y: number; height: number; moved: boolean } | undefined;
  handle.addEventListener("click", () => {
    if (drag?.moved) return void (drag = undefined);
    setState(STATES[(STATES.indexOf(state()) + 1) % STATES.length]!);
  });
  handle.addEventListener("pointerdown", (e) => {
    drag = { y: e.clientY, height: panel.offsetHeight, moved: false };
    handle.setPointerCapture(e.pointerId);
  });
  handle.addEventListener("pointermove", (e) => {
    if (!drag || !handle.hasPointerCapture(e.pointerId)) return;
    if (Math.abs(e.clientY - drag.y) < DRAG_PX && !drag.moved) return;
    drag.moved = true;
    panel.classList.add("dragging");
    const max = panel.parentElement!.clientHeight;
    panel.style.height = `${Math.min(max, Math.max(bar.offsetHeight, drag.height + drag.y - e.clientY))}px`;
  });
  const release = () => {
    panel.classList.remove("dragging");
    if (!drag?.moved) return;
    const max = panel.parentElement!.clientHeight;
    const heights: Record<State, number> = { peek: bar.offsetHeight, half: max / 2, full: max };
    const now = panel.offsetHeight;
    setState(STATES.reduce((a, b) => (Math.abs(heights[b] - now) < Math.abs(heights[a] - now) ? b : a)));
  };
  handle.addEventListener("pointerup", release);
  handle.addEventListener("pointercancel", release);

  // a tab per visible part, named by its heading; rebuilt when parts come, go or change language
  let named = "";
  const parts = () =>
    [...panel.children].flatMap((part) => {
      const heading = part.querySelector(":scope > h2, :scope > summary");
      return part instanceof HTMLElement && part !== bar && !part.hidden && heading ? [{ part, name: heading.textContent!.trim() }] : [];
    });
  const drawTabs = () => {
    const now = parts();
    const key = now.map((p) => `${p.part.id}:${p.name}`).join("|");
    if (key === named) return;
    named = key;
    tabs.replaceChildren(
      ...now.map(({ part, name }) => {
        const tab = el("button", { type: "button", textContent: name });
        if (part.id) tab.setAttribute("aria-controls", part.id);
        tab.addEventListener("click", () => reveal(part));
        return tab;
      }),
    );
  };
  drawTabs();
  onLangChange(drawTabs);

  // what a tap answers is shown, not left under a peeking sheet or below the fold: a live region's new
  // content (aria-live, role=alert) after a tap on the map, or anything added after a tap in the panel
  let tappedAt = Number.NEGATIVE_INFINITY;
  let pressedAt = Number.NEGATIVE_INFINITY;
  /** the part of the panel last tapped: only what it adds is its answer (other parts redraw meanwhile, e.g. the legend) */
  let pressedPart: Element | null = null;
  /** the control tapped: when it is redrawn itself (a layer's toggle in its list), the part is the same, not an answer */
  let pressed: Element | null = null;
  panel.addEventListener("click", (e) => {
    if (bar.contains(e.target as Node)) return;
    pressedAt = performance.now();
    pressed = e.target as Element;
    pressedPart = pressed.closest("#panel > *");
  });
  new MutationObserver((changes) => {
    drawTabs();
    if (!isSheet()) return;
    const recent = (t: number) => performance.now() - t < 5000;
    for (const c of changes) {
      const node = c.target instanceof Element ? c.target : c.target.parentElement;
      if (!node || bar.contains(node)) continue;
      const live = node.closest<HTMLElement>("[aria-live], [role=alert]");
      const alert = live?.getAttribute("role") === "alert" && !live.hidden && live.textContent?.trim();
      // once per tap: the answer's first part is brought up, and the rest of it fills in below
      if (alert || (live && recent(tappedAt) && c.addedNodes.length)) return ((tappedAt = Number.NEGATIVE_INFINITY), show(node));
      const added = [...c.addedNodes].find((n): n is Element => n instanceof Element);
      if (added && recent(pressedAt) && pressed?.isConnected && pressedPart?.contains(added)) return ((pressedAt = Number.NEGATIVE_INFINITY), show(added));
    }
  }).observe(panel, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["hidden"] });

  /** Keep `map` usable above the sheet: its padding is the part the sheet covers, so flights and fits land in view. */
  const follow = (map: Map) => {
    let lastTap: LngLat | undefined;
    map.on("click", (e) => {
      tappedAt = performance.now();
      lastTap = e.lngLat;
    });
    // Enter on the map asks from its centre (map/clicks.ts): answered as a tap there is
    map.getCanvas().addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      tappedAt = performance.now();
      lastTap = map.getCenter();
    });
    const container = map.getContainer();
    const update = () => {
      const cover = coveredBottom(container);
      document.documentElement.style.setProperty("--sheet-cover", `${cover}px`);
      // the covered part, but at most 60 %: a sheet at full height still leaves the padding a map to centre in
      const { clientWidth: w, clientHeight: h } = container;
      const bottom = Math.round(Math.min(cover, h * 0.6));
      const { top = 0, left = 0, right = 0, bottom: was } = map.getPadding();
      if (was === bottom) return;
      // the map stays still while the sheet moves: the point at the new padded centre becomes the centre
      const centre = map.unproject([left + (w - left - right) / 2, top + (h - top - bottom) / 2]);
      map.jumpTo({ center: centre, padding: { top, left, right, bottom } });
    };
    new ResizeObserver(update).observe(panel);
    new ResizeObserver(update).observe(container);
    update();
    // the sheet rose by itself to show an answer: the point just tapped, if now under it, comes up into view
    panel.addEventListener("transitionend", (e) => {
      if (e.target !== panel || e.propertyName !== "height" || !risen) return;
      risen = false;
      if (lastTap && map.project(lastTap).y > container.clientHeight - (map.getPadding().bottom ?? 0) - 16) map.easeTo({ center: lastTap });
    });
  };
  return { follow };
}

/**
 * Bring a part of the panel (a section or a `details`, opened) into view for what was just asked outside the
 * panel, e.g. an edit from a popup: on a phone or tablet the sheet rises to it by its tab; beside the map,
 * the panel scrolls to it.
 */
export function showPart(part: HTMLElement) {
  if (part instanceof HTMLDetailsElement) part.open = true;
  const tab = document.querySelector<HTMLButtonElement>(`#sheet-tabs button[aria-controls=${part.id}]`);
  if (tab?.offsetParent) tab.click();
  else part.scrollIntoView({ block: "start" });
}

/** How many pixels at the bottom of `container` (the map) the panel covers: none when it stands beside it. */
export function coveredBottom(container: HTMLElement): number {
  const m = container.getBoundingClientRect();
  const p = document.querySelector<HTMLElement>("#panel")!.getBoundingClientRect();
  const overlaps = p.left < m.right && p.right > m.left && p.top < m.bottom && p.bottom > m.top;
  return overlaps ? Math.max(0, m.bottom - p.top) : 0;
}
