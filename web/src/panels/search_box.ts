import type { Map } from "maplibre-gl";
import { api, layerInfo, showError } from "../api.ts";
import { label, onLangChange, t } from "../i18n.ts";
import type { SearchHit } from "../../../server/questions/search.ts";
import { openPopup } from "./popup.ts";
import { el } from "./ui.ts";

/** Bigger than this (degrees) and a hit is framed whole (a road, a river, a township); smaller, it is flown to. */
const POINT_LIKE = 0.002;

/**
 * Find any named thing (a village, township, hazard, shelter, depot, team, road, river or place) by any
 * part of its name; choosing one flies there and opens its popup. Keyboard: ↑ ↓ Enter Esc.
 */
export function searchBox(map: Map) {
  const input = document.querySelector<HTMLInputElement>("#search-input")!;
  const list = document.querySelector<HTMLUListElement>("#search-results")!;
  const placeholder = () => (input.placeholder = t("searchHint"));
  placeholder();
  onLangChange(placeholder);
  let hits: SearchHit[] = [];
  let selected = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const draw = async () => {
    const names = await layerInfo();
    list.replaceChildren(
      ...hits.map((hit, i) => {
        const layer = names.find((l) => l.name === hit.layer);
        const li = el("li", { role: "option" }, hit.name, el("small", { textContent: layer ? label(layer.label) : hit.layer }));
        li.setAttribute("aria-selected", String(i === selected));
        li.addEventListener("mousedown", () => go(i));
        return li;
      }),
    );
  };
  const go = (i: number) => {
    const hit = hits[i];
    if (!hit) return;
    const [w, s, e, n] = hit.bbox;
    if (e - w > POINT_LIKE || n - s > POINT_LIKE) map.fitBounds([w, s, e, n], { padding: 60, maxZoom: 15 });
    else map.flyTo({ center: [hit.lon, hit.lat], zoom: Math.max(map.getZoom(), 14) });
    // the popup opens where the map comes to rest, so it is not carried off screen mid-flight
    map.once("moveend", () => void openPopup(map, hit.layer, hit.id, [hit.lon, hit.lat]).catch(showError));
    input.value = hit.name;
    hits = [];
    void draw();
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q) return ((hits = []), draw());
      try {
        hits = (await api<{ results: SearchHit[] }>(`/api/v1/search?limit=12&q=${encodeURIComponent(q)}`)).results;
        selected = hits.length ? 0 : -1;
        await draw();
      } catch (e) {
        showError(e);
      }
    }, 200);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") selected = Math.min(selected + 1, hits.length - 1);
    else if (e.key === "ArrowUp") selected = Math.max(selected - 1, 0);
    else if (e.key === "Enter") return go(selected);
    else if (e.key === "Escape") hits = [];
    else return;
    e.preventDefault();
    void draw();
  });
}
