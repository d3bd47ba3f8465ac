import type { GeoJSONSource, Map } from "maplibre-gl";
import { api, layerInfo, showError } from "../api.ts";
import { formatPeople, label, onLangChange, t } from "../i18n.ts";
import { el, sortableTable } from "./ui.ts";
import { featureRow, fitTo } from "./result_rows.ts";
import { planActions, type PlanRequest } from "./plan_sheet.ts";
import { evacuationBookControl } from "./evacuation_book_button.ts";
import { setLegendKeys } from "../map/style.ts";
import type { CoverageGaps } from "../../../server/questions/coverage_gaps.ts";
import type { ShelterCapacity } from "../../../server/questions/shelter_capacity.ts";
import type { siteSuggestions } from "../../../server/questions/site_suggestions.ts";

/** The coverage gaps as GeoJSON: the villages' features the server writes, with its summary. */
type Gaps = Pick<CoverageGaps, "summary"> & { features: GeoJSON.Feature[] };
type Sites = Awaited<ReturnType<typeof siteSuggestions>>;

/** The choropleth's classes of sheltered share (sheltered / population), lowest first. */
const SHARE_CLASSES = [
  { below: 0.1, colour: "#ef9a9a", label: "< 10 %" },
  { below: 0.3, colour: "#ffcc80", label: "10–30 %" },
  { below: 0.7, colour: "#fff59d", label: "30–70 %" },
  { below: Infinity, colour: "#a5d6a7", label: "≥ 70 %" },
];
const NO_PEOPLE = "#eef2f5";
const UNCOVERED = "#212121";
const shareOf = (x: { population: number; sheltered: number }) => (x.population > 0 ? x.sheltered / x.population : null);
const percent = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)} %`);

const empty = (): GeoJSON.FeatureCollection => ({ type: "FeatureCollection", features: [] });

/** Planner: coverage gaps with a radius slider, suggested sites, shelter capacity per township. */
export function plannerPanel(map: Map) {
  const body = document.querySelector("#planner .body")!;
  map.addSource("gaps", { type: "geojson", data: empty() });
  map.addLayer({
    id: "gaps",
    type: "circle",
    source: "gaps",
    // ringed in black, as village risk rings them: red is a hazard's colour
    paint: { "circle-radius": 9, "circle-color": "transparent", "circle-stroke-color": UNCOVERED, "circle-stroke-width": 2.5 },
  });
  map.addSource("sites", { type: "geojson", data: empty() });
  map.addLayer({ id: "sites", type: "symbol", source: "sites", layout: { "icon-image": "hazmap-site", "icon-size": 1.3, "icon-allow-overlap": true } });
  map.addLayer({
    id: "sites-label",
    type: "symbol",
    source: "sites",
    layout: { "text-field": ["get", "label"], "text-font": ["Noto Sans CJK SC", "sans-serif"], "text-size": 13, "text-offset": [0, 1.6], "text-anchor": "top" },
    paint: { "text-color": "#006064", "text-halo-color": "#fff", "text-halo-width": 2 },
  });

  const layer = el("select", { id: "gap-layer" }, ...["shelters", "depots", "teams"].map((v) => el("option", { value: v, textContent: v })));
  const layerNames = layerInfo().catch(() => []);
  const radius = el("input", { id: "gap-radius", type: "range", min: "1", max: "20", step: "0.5", value: "5" });
  const radiusText = el("span", { textContent: "5 km" });
  radius.addEventListener("input", () => (radiusText.textContent = `${radius.value} km`));
  const gapsButton = el("button", { id: "find-gaps", type: "button" });
  const sitesButton = el("button", { id: "suggest-sites", type: "button" });
  const capacityButton = el("button", { id: "township-capacity", type: "button" });
  const result = el("div", { id: "planner-result" });
  let gapsAsked: PlanRequest | undefined;
  const gapActions = planActions("coverage-gaps", () => gapsAsked);
  const layerLabel = el("label", {}, "", layer);
  const radiusLabel = el("label", {}, "", radius, radiusText);
  body.append(layerLabel, radiusLabel, el("div", {}, gapsButton, " ", sitesButton), capacityButton, el("div", {}, ...evacuationBookControl()), result);

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

  gapsButton.addEventListener("click", () => {
    const path = `/api/v1/coverage-gaps?${query()}`;
    api<Gaps>(path)
      .then((g) => {
        (map.getSource("gaps") as GeoJSONSource).setData({ type: "FeatureCollection", features: g.features });
        gapsAsked = { path };
        // the planner reads the villages themselves, most people first; each opens on the map
        const villages = (g.features as GeoJSON.Feature<GeoJSON.Point, { name: string; population: number }>[]).sort(
          (a, b) => b.properties.population - a.properties.population || Number(a.id) - Number(b.id),
        );
        setLegendKeys(map, "villages", [{ symbol: { dot: "#ffffff", ring: UNCOVERED }, label: { zh: "覆盖范围外的村", en: "Village not covered" } }]);
        result.replaceChildren(
          el("p", {
            className: "summary",
            id: "gap-summary",
            textContent: `${t("uncovered")}: ${g.summary.uncovered_villages} ${t("villagesN")} · ${formatPeople(g.summary.uncovered_population)}`,
          }),
          ...(villages.length ? [el("h3", { textContent: t("uncoveredVillages") })] : []),
          el(
            "ol",
            { id: "gap-list", className: "result-list" },
            ...villages.map((v) =>
              el(
                "li",
                {},
                featureRow(
                  map,
                  { layer: "villages", id: Number(v.id), at: v.geometry.coordinates as [number, number] },
                  `${v.properties.name} · ${formatPeople(v.properties.population)}`,
                ),
              ),
            ),
          ),
          gapActions,
        );
        fitTo(
          map,
          villages.map((v) => v.geometry.coordinates as [number, number]),
        );
      })
      .catch(showError);
  });

  sitesButton.addEventListener("click", () =>
    api<Sites>("/api/v1/site-suggestions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ layer: layer.value, radius_m: Number(radius.value) * 1000, count: 3 }),
    })
      .then((s) => {
        (map.getSource("sites") as GeoJSONSource).setData({
          type: "FeatureCollection",
          features: s.suggestions.map((x, i) => ({
            type: "Feature",
            properties: { label: `${i + 1}. ${x.name} +${formatPeople(x.added_population)}` },
            geometry: { type: "Point", coordinates: [x.lon, x.lat] },
          })),
        });
        setLegendKeys(map, layer.value, [{ symbol: { icon: "hazmap-site" }, label: { zh: "建议新选址", en: "Suggested new site" } }]);
        result.replaceChildren(
          el("h3", { textContent: t("suggestedSites") }),
          el(
            "ol",
            { id: "site-list", className: "result-list" },
            ...s.suggestions.map((x) =>
              el("li", {}, featureRow(map, { layer: "villages", id: x.village_id, at: [x.lon, x.lat] }, `${x.name} · +${formatPeople(x.added_population)}`)),
            ),
          ),
        );
        fitTo(
          map,
          s.suggestions.map((x) => [x.lon, x.lat]),
        );
      })
      .catch(showError),
  );

  let capacity: ShelterCapacity | undefined;
  const drawCapacity = ({ townships, total }: ShelterCapacity) => {
    const colour: unknown[] = ["match", ["get", "admin_code"]];
    for (const x of townships) {
      const share = shareOf(x);
      if (x.township !== null) colour.push(x.township, share === null ? NO_PEOPLE : SHARE_CLASSES.find((c) => share < c.below)!.colour);
    }
    colour.push(NO_PEOPLE);
    map.setPaintProperty("townships-fill", "fill-color", (colour.length > 3 ? colour : NO_PEOPLE) as never);
    setLegendKeys(
      map,
      "townships",
      SHARE_CLASSES.map((c) => ({ symbol: { fill: c.colour }, label: { zh: `安置率 ${c.label}`, en: `Sheltered ${c.label}` } })),
    );
    const legend = el(
      "div",
      { className: "legend share-legend", id: "capacity-legend" },
      `${t("shelteredShare")}:`,
      ...SHARE_CLASSES.map((c) => {
        const swatch = el("i", { className: "swatch" });
        swatch.style.background = c.colour;
        return el("span", {}, swatch, c.label);
      }),
    );
    const below = townships.reduce((a, x) => a + x.shelters_below_area_standard, 0);
    const rows = townships.map((x) => [
      x.name ?? t("noTownship"),
      x.population,
      x.sheltered,
      shareOf(x) ?? -1,
      x.unsheltered_reasons.no_shelter_in_reach,
      x.unsheltered_reasons.no_place_left,
      x.places,
      x.places_serving_others,
    ]);
    result.replaceChildren(
      el("p", {
        className: "summary",
        id: "capacity-summary",
        textContent: `${t("sheltered")} ${formatPeople(total.sheltered)} / ${formatPeople(total.population)} (${percent(shareOf(total))}) · ${t("places")} ${total.places.toLocaleString()}`,
      }),
      legend,
      ...(below > 0 ? [el("p", { className: "hint", id: "area-standard-warning", textContent: t("belowAreaStandard").replace("{n}", String(below)) })] : []),
      el(
        "div",
        { className: "table-scroll" },
        sortableTable(
          [t("township"), t("population"), t("sheltered"), t("shelteredShare"), t("noShelterInReach"), t("noPlaceLeft"), t("ownPlaces"), t("servingOthers")],
          rows,
          (v, col) => (col === 3 ? percent((v as number) < 0 ? null : (v as number)) : typeof v === "number" ? v.toLocaleString() : v),
        ),
      ),
    );
  };
  onLangChange(() => capacity && drawCapacity(capacity));

  capacityButton.addEventListener("click", () =>
    api<ShelterCapacity>(`/api/v1/shelter-capacity?radius_m=${Number(radius.value) * 1000}`)
      .then((c) => drawCapacity((capacity = c)))
      .catch(showError),
  );
}
