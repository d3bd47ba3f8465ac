import type { GeoJSONSource, Map } from "maplibre-gl";
import { api, layerInfo, showError } from "../api.ts";
import { formatPeople, label, onLangChange, t } from "../i18n.ts";
import { el, sortableTable } from "./ui.ts";

interface Gaps { summary: { villages: number; population: number; uncovered_villages: number; uncovered_population: number }; features: GeoJSON.Feature[] }
interface Sites { suggestions: { village_id: number; name: string; lon: number; lat: number; added_population: number }[] }
interface Capacity { townships: { township: string; name: string; population: number; capacity: number; ratio: number | null; deficit: number }[] }

const empty = (): GeoJSON.FeatureCollection => ({ type: "FeatureCollection", features: [] });

/** Planner: coverage gaps with a radius slider, suggested sites, shelter capacity per township. */
export function plannerPanel(map: Map) {
  const body = document.querySelector("#planner .body")!;
  map.addSource("gaps", { type: "geojson", data: empty() });
  map.addLayer({ id: "gaps", type: "circle", source: "gaps", paint: { "circle-radius": 9, "circle-color": "transparent", "circle-stroke-color": "#d7191c", "circle-stroke-width": 2.5 } });
  map.addSource("sites", { type: "geojson", data: empty() });
  map.addLayer({ id: "sites", type: "circle", source: "sites", paint: { "circle-radius": 11, "circle-color": "#ffeb3b", "circle-stroke-color": "#e65100", "circle-stroke-width": 3 } });
  map.addLayer({ id: "sites-label", type: "symbol", source: "sites", layout: { "text-field": ["get", "label"], "text-font": ["Noto Sans CJK SC", "sans-serif"], "text-size": 13, "text-offset": [0, 1.6], "text-anchor": "top" }, paint: { "text-color": "#e65100", "text-halo-color": "#fff", "text-halo-width": 2 } });

  const layer = el("select", { id: "gap-layer" }, ...["shelters", "depots", "teams"].map((v) => el("option", { value: v, textContent: v })));
  const layerNames = layerInfo().catch(() => []);
  const radius = el("input", { id: "gap-radius", type: "range", min: "1", max: "20", step: "0.5", value: "5" });
  const radiusText = el("span", { textContent: "5 km" });
  radius.addEventListener("input", () => (radiusText.textContent = `${radius.value} km`));
  const gapsButton = el("button", { id: "find-gaps", type: "button" });
  const sitesButton = el("button", { id: "suggest-sites", type: "button" });
  const capacityButton = el("button", { id: "township-capacity", type: "button" });
  const result = el("div", { id: "planner-result" });
  const layerLabel = el("label", {}, "", layer);
  const radiusLabel = el("label", {}, "", radius, radiusText);
  body.append(layerLabel, radiusLabel, el("div", {}, gapsButton, " ", sitesButton), capacityButton, result);

  const texts = async () => {
    for (const o of layer.options) {
      const info = (await layerNames).find((l) => l.name === o.value);
      if (info) o.textContent = label(info.label);
    }
    layerLabel.firstChild!.textContent = t("coverageOf");
    radiusLabel.firstChild!.textContent = t("radius");
    gapsButton.textContent = t("findGaps");
    sitesButton.textContent = `${t("suggest")} ×3`;
    capacityButton.textContent = t("capacity");
  };
  void texts();
  onLangChange(() => void texts());

  const query = () => `layer=${layer.value}&radius_m=${Number(radius.value) * 1000}`;

  gapsButton.addEventListener("click", () =>
    api<Gaps>(`/api/v1/coverage-gaps?${query()}`)
      .then((g) => {
        (map.getSource("gaps") as GeoJSONSource).setData({ type: "FeatureCollection", features: g.features });
        result.replaceChildren(el("p", { className: "summary", id: "gap-summary", textContent: `${t("uncovered")}: ${g.summary.uncovered_villages} ${t("villagesN")} · ${formatPeople(g.summary.uncovered_population)}` }));
      })
      .catch(showError),
  );

  sitesButton.addEventListener("click", () =>
    api<Sites>("/api/v1/site-suggestions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ layer: layer.value, radius_m: Number(radius.value) * 1000, count: 3 }) })
      .then((s) => {
        (map.getSource("sites") as GeoJSONSource).setData({
          type: "FeatureCollection",
          features: s.suggestions.map((x, i) => ({ type: "Feature", properties: { label: `${i + 1}. ${x.name} +${formatPeople(x.added_population)}` }, geometry: { type: "Point", coordinates: [x.lon, x.lat] } })),
        });
        result.replaceChildren(el("ol", { id: "site-list" }, ...s.suggestions.map((x) => el("li", { textContent: `${x.name} · +${formatPeople(x.added_population)}` }))));
      })
      .catch(showError),
  );

  capacityButton.addEventListener("click", () =>
    api<Capacity>(`/api/v1/shelter-capacity?radius_m=${Number(radius.value) * 1000}`)
      .then(({ townships }) => {
        // choropleth: red below 10 % of the population, amber below 50 %, green at or above
        const colour: unknown[] = ["match", ["get", "admin_code"]];
        for (const x of townships) colour.push(x.township, (x.ratio ?? 1) < 0.1 ? "#ef9a9a" : (x.ratio ?? 1) < 0.5 ? "#ffe082" : "#a5d6a7");
        colour.push("#eef2f5");
        map.setPaintProperty("townships-fill", "fill-color", colour as never);
        const rows = townships.map((x) => [x.name, x.population, x.capacity, x.ratio ?? 0, x.deficit]);
        result.replaceChildren(sortableTable([t("township"), t("population"), t("places"), t("ratio"), t("deficit")], rows, (v, col) =>
          col === 3 ? `${((v as number) * 100).toFixed(1)} %` : typeof v === "number" ? v.toLocaleString() : v));
      })
      .catch(showError),
  );
}
