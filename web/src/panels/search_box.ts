import type { Map } from "maplibre-gl";
import { api, layerInfo, showError } from "../api.ts";
import { label, onLangChange, t } from "../i18n.ts";
import { el } from "./ui.ts";

interface Hit {
  id: number;
  geometry: { type: string; coordinates: [number, number] };
  properties: { name: string };
}
const SEARCHED = ["villages", "shelters", "depots"];

/** Find a village, shelter or depot by any part of its name and fly to it. Keyboard: ↑ ↓ Enter Esc. */
export function searchBox(map: Map) {
  const input = document.querySelector<HTMLInputElement>("#search-input")!;
  const list = document.querySelector<HTMLUListElement>("#search-results")!;
  const placeholder = () => (input.placeholder = t("searchHint"));
  placeholder();
  onLangChange(placeholder);
  let hits: { layer: string; hit: Hit }[] = [];
  let selected = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const draw = async () => {
    const names = await layerInfo();
    list.replaceChildren(
      ...hits.map(({ layer, hit }, i) => {
        const li = el("li", { role: "option" }, hit.properties.name, el("small", { textContent: label(names.find((l) => l.name === layer)!.label) }));
        li.setAttribute("aria-selected", String(i === selected));
        li.addEventListener("mousedown", () => go(i));
        return li;
      }),
    );
  };
  const go = (i: number) => {
    const h = hits[i];
    if (!h) return;
    map.flyTo({ center: h.hit.geometry.coordinates, zoom: 14 });
    input.value = h.hit.properties.name;
    hits = [];
    void draw();
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q) return ((hits = []), draw());
      try {
        const found = await Promise.all(
          SEARCHED.map(async (layer) => {
            const fc = await api<{ features: Hit[] }>(`/api/v1/layers/${layer}/features?limit=5&q=${encodeURIComponent(q)}`);
            return fc.features.map((hit) => ({ layer, hit }));
          }),
        );
        hits = found.flat();
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
