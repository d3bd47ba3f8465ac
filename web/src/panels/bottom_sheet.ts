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
  const reveal = (part: HTMLElement) => {
    if (part instanceof HTMLDetailsElement) part.open = true;
    if (state() === "peek") {
      risen = true;
      setState("half");
    }
    panel.scrollTo({ top: part.offsetTop - bar.offsetHeight, behavior: "smooth" });
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

  // what the map's taps answer (results, alerts) is shown, not left under a peeking sheet
  let tappedAt = 0;
  new MutationObserver((changes) => {
    drawTabs();
    if (!isSheet() || state() !== "peek") return;
    for (const c of changes) {
      const node = c.target instanceof Element ? c.target : c.target.parentElement;
      const live = node?.closest<HTMLElement>("[aria-live], [role=alert]");
      if (!live || !panel.contains(live) || live.hidden || !live.textContent?.trim()) continue;
      if (live.getAttribute("role") !== "alert" && performance.now() - tappedAt > 5000) continue;
      const part = [...panel.children].find((p) => p.contains(live)) as HTMLElement;
      return reveal(part);
    }
  }).observe(panel, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["hidden"] });

  /** Keep `map` usable above the sheet: its padding is the part the sheet covers, so flights and fits land in view. */
  const follow = (map: Map) => {
    let lastTap: LngLat | undefined;
    map.on("click", (e) => {
      tappedAt = performance.now();
      lastTap = e.lngLat;
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

/** How many pixels at the bottom of `container` (the map) the panel covers: none when it stands beside it. */
export function coveredBottom(container: HTMLElement): number {
  const m = container.getBoundingClientRect();
  const p = document.querySelector<HTMLElement>("#panel")!.getBoundingClientRect();
  const overlaps = p.left < m.right && p.right > m.left && p.top < m.bottom && p.bottom > m.top;
  return overlaps ? Math.max(0, m.bottom - p.top) : 0;
}
