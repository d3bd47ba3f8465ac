import { Marker, type GeoJSONSource, type Map } from "maplibre-gl";
import { pointOnFeature } from "@turf/turf";
import { api, itemCatalogue, showError, type Item } from "../api.ts";
import { formatBearing, formatKm, formatQuantity, label, onLangChange, t, unitLabel } from "../i18n.ts";
import { onMapClick } from "../map/clicks.ts";
import { incident, onIncident, setIncident, type LonLat } from "../map/incident.ts";
import { el } from "./ui.ts";

interface Nearest {
  features: {
    id: number;
    geometry: { coordinates: [number, number] };
    properties: {
      name: string;
      distance_m: number;
      bearing_deg: number | null;
      stock?: { quantity: number; unit_zh: string; unit_en: string };
      usable?: boolean;
      unusable_reason?: "closed" | "full" | "no_free_places" | null;
      in_hazard_zones?: { id: number; name: string }[];
    };
  }[];
}
interface HazardList {
  features: GeoJSON.Feature<GeoJSON.Geometry, { name: string; risk_level: number }>[];
}

/** Layers a click goes through: an incident happens in a township, a village or a hazard zone. */
const BACKGROUND = ["townships", "villages", "hazard-zones"];

const ASKED = [
  { layer: "depots", title: { zh: "储备库", en: "Depots" } },
  { layer: "teams", title: { zh: "救援队伍", en: "Teams" } },
  { layer: "shelters", title: { zh: "避难场所", en: "Shelters" } },
] as const;

/**
 * Commander: set the incident point (click the map, Enter on it, or pick a hazard) → the nearest depots
 * (holding an item), teams (of a specialty, standing by) and shelters (usable, with free places), with
 * lines. A picked hazard is asked from itself: distances from its geometry, no shelter inside its zone.
 * A shelter inside any hazard zone is flagged ⚠; unusable ones, when asked for, say why.
 */
export async function nearestPanel(map: Map) {
  const section = document.querySelector("#nearest")!;
  const results = section.querySelector(".results")!;
  const marker = new Marker({ color: "#d7191c" });
  map.addSource("nearest-lines", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "nearest-lines", type: "line", source: "nearest-lines", paint: { "line-color": "#d7191c", "line-width": 2, "line-dasharray": [2, 1] } });

  const [items, hazards] = await Promise.all([
    itemCatalogue().catch((e) => (showError(e), [] as Item[])),
    api<HazardList>("/api/v1/layers/hazards/features?limit=10000").then(
      (r) => r.features,
      (e) => (showError(e), [] as HazardList["features"]),
    ),
  ]);
  const hazard = el(
    "select",
    { id: "nearest-hazard" },
    el("option", { value: "" }),
    ...hazards
      .sort((a, b) => a.properties.risk_level - b.properties.risk_level)
      .map((h) => el("option", { value: String(h.id), textContent: `[${h.properties.risk_level}] ${h.properties.name}` })),
  );
  const item = el("select", { id: "nearest-item" }, el("option", { value: "" }), ...items.map((i) => el("option", { value: i.code })));
  const quantity = el("input", { id: "nearest-quantity", type: "number", min: "0", step: "1", value: "", style: "width: 6em" });
  const quantityUnit = el("span", { id: "nearest-quantity-unit" }); // the chosen item's unit: the quantity is in it
  const specialty = el("input", { id: "nearest-specialty", type: "text", size: 12 });
  const standby = el("input", { id: "nearest-standby", type: "checkbox", checked: true });
  const freePlaces = el("input", { id: "nearest-free", type: "number", min: "0", step: "1", value: "", style: "width: 6em" });
  const unusable = el("input", { id: "nearest-unusable", type: "checkbox" });
  const labels = {
    hazard: el("label", {}, "", hazard),
    item: el("label", {}, "", item, " ≥ ", quantity, " ", quantityUnit),
    specialty: el("label", {}, "", specialty),
    standby: el("label", {}, standby, ""),
    free: el("label", {}, "", freePlaces),
    unusable: el("label", {}, unusable, ""),
  };
  const filters = el("div", { className: "filters" }, labels.hazard, labels.item, labels.specialty, labels.standby, labels.free, labels.unusable);
  section.insertBefore(filters, results);

  /** Each layer's query string: the filters that apply to it, as the API names them. */
  const query = (layer: (typeof ASKED)[number]["layer"]) => {
    const q = new URLSearchParams({ layer, limit: "3" });
    if (layer === "depots" && item.value) {
      q.set("item", item.value);
      if (quantity.value) q.set("min_quantity", quantity.value);
    }
    if (layer === "teams") {
      if (specialty.value.trim()) q.set("specialty", specialty.value.trim());
      if (standby.checked) q.set("status", "standby");
    }
    if (layer === "shelters" && freePlaces.value) q.set("min_free_capacity", freePlaces.value);
    if (layer === "shelters" && unusable.checked) q.set("include_unusable", "true");
    return q;
  };

  let last: { at: LonLat; fromHazard: boolean; answers: [(typeof ASKED)[number], Nearest][] } | undefined;
  /** A shelter's warnings: the hazard zones it lies in, and why it cannot be used. */
  const warnings = (p: Nearest["features"][number]["properties"]) => [
    ...(p.in_hazard_zones?.length
      ? [el("div", { className: "warning", textContent: `⚠ ${t("inHazardZone")}: ${p.in_hazard_zones.map((z) => z.name).join("、")}` })]
      : []),
    ...(p.usable === false && p.unusable_reason
      ? [el("div", { className: "warning", textContent: `${t("unusable")}: ${t(`unusable_${p.unusable_reason}`)}` })]
      : []),
  ];
  const render = () => {
    for (const o of item.options) {
      const i = items.find((x) => x.code === o.value);
      o.textContent = i ? label({ zh: i.name_zh, en: i.name_en }) : t("anyItem");
    }
    hazard.options[0]!.textContent = t("pickHazard");
    labels.hazard.firstChild!.textContent = t("hazard");
    labels.item.firstChild!.textContent = t("depotHolding");
    labels.specialty.firstChild!.textContent = t("specialty");
    labels.standby.lastChild!.textContent = t("standbyOnly");
    labels.free.firstChild!.textContent = t("freePlaces");
    const chosen = items.find((x) => x.code === item.value);
    quantityUnit.textContent = chosen ? unitLabel(chosen) : "";
    labels.unusable.lastChild!.textContent = t("includeUnusable");
    if (!last) return;
    const at = last.at;
    results.replaceChildren(
      el("p", { textContent: `${t("incident")}: ${at[0].toFixed(5)}, ${at[1].toFixed(5)}` }),
      ...(last.fromHazard ? [el("p", { className: "from-hazard", textContent: `${t("fromHazard")}: ${hazard.selectedOptions[0]?.textContent ?? ""}` })] : []),
      ...last.answers.flatMap(([q, r]) => {
        const ol = el("ol");
        ol.dataset.layer = q.layer;
        ol.append(
          ...r.features.map((f) =>
            el(
              "li",
              {
                textContent: `${f.properties.name} · ${formatKm(f.properties.distance_m)} ${formatBearing(f.properties.bearing_deg)}${f.properties.stock ? ` · ${formatQuantity(f.properties.stock.quantity, f.properties.stock)}` : ""}`,
              },
              ...warnings(f.properties),
            ),
          ),
        );
        if (!r.features.length) ol.append(el("li", { textContent: t("none") }));
        return [el("h3", { textContent: label(q.title) }), ol];
      }),
    );
  };

  async function ask(at: LonLat) {
    marker.setLngLat(at).addTo(map);
    results.textContent = t("loading");
    try {
      // a picked hazard is asked from itself (hazard_id); a click clears the pick
      const fromHazard = hazard.value !== "";
      const answers = await Promise.all(
        ASKED.map(async (q) => {
          const p = query(q.layer);
          if (fromHazard) p.set("hazard_id", hazard.value);
          else {
            p.set("lon", String(at[0]));
            p.set("lat", String(at[1]));
          }
          return [q, await api<Nearest>(`/api/v1/nearest?${p}`)] as [typeof q, Nearest];
        }),
      );
      last = { at, fromHazard, answers };
      render();
      (map.getSource("nearest-lines") as GeoJSONSource).setData({
        type: "FeatureCollection",
        features: answers.flatMap(([, r]) =>
          r.features.map((f) => ({
            type: "Feature" as const,
            properties: {},
            geometry: { type: "LineString" as const, coordinates: [at, f.geometry.coordinates] },
          })),
        ),
      });
    } catch (err) {
      results.textContent = "";
      showError(err);
    }
  }

  onIncident((at) => void ask(at));
  onMapClick(map, (e) => {
    // a feature under the mouse: its popup answers (the keyboard opens no popup)
    if (!e.byKeyboard && map.queryRenderedFeatures(e.point).some((f) => !BACKGROUND.includes(f.sourceLayer!))) return;
    hazard.value = "";
    setIncident([e.lngLat.lng, e.lngLat.lat]);
  });
  hazard.addEventListener("change", () => {
    const h = hazards.find((x) => String(x.id) === hazard.value);
    if (!h) return;
    const at = pointOnFeature(h).geometry.coordinates as LonLat; // the point itself, or a point on the line or area
    map.easeTo({ center: at });
    setIncident(at);
  });
  for (const input of [item, quantity, specialty, standby, freePlaces, unusable]) {
    input.addEventListener("change", () => {
      const at = incident();
      if (at) void ask(at);
    });
  }
  item.addEventListener("change", render);
  onLangChange(render);
  render();
}
