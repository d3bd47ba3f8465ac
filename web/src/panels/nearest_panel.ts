import { Marker, type GeoJSONSource, type Map } from "maplibre-gl";
import { pointOnFeature } from "@turf/turf";
import { api, itemCatalogue, layerInfo, showError, type Item, type LayerSummary } from "../api.ts";
import { currentLang, formatBearing, formatKm, formatMinutes, formatQuantity, label, onLangChange, t, tf, unitLabel, type TextKey } from "../i18n.ts";
import { onMapClick } from "../map/clicks.ts";
import { onChanges } from "../map/live.ts";
import { askedPoint, onAskedPoint, setAskedPoint, type LonLat } from "../map/asked_point.ts";
import { el } from "./ui.ts";
import { openPopup } from "./popup.ts";
import { fitWithPopup } from "../map/popup_in_view.ts";
import { placeName } from "./place_name.ts";
import { placeOf } from "./my_townships.ts";
import type { Place } from "../../../server/questions/place.ts";
import { codesMatching, valueText } from "../value_labels.ts";

/** Why a point does not join the road network (the API's `by_reason`, `origin_not_reachable`). */
interface NotReachable {
  reason: "beyond_reach" | "no_roads";
  nearest_road_m: number | null;
  reach_m: number;
}
interface Nearest {
  by: "road" | "straight";
  by_reason?: NotReachable | null;
  not_reachable?: { count: number; beyond_reach: number; no_roads: number; no_route: number };
  features: {
    id: number;
    geometry: { coordinates: [number, number] };
    properties: {
      name: string;
      distance_m: number;
      travel_time_s?: number;
      road_distance_m?: number;
      route?: GeoJSON.LineString;
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

/** Layers a click goes through: an incident happens in a township, a hazard zone, an open incident's area or on the base map (a village clicked is read, not the point). */
const BACKGROUND = ["townships", "hazard-zones", "built_up", "water_areas", "water_areas-labels", "waterways", "places", "incidents"];

/** Each layer's line colour: none a road class's (green, red, yellow, white, brown) nor a band's (blue). */
const ASKED = [
  { layer: "depots", title: { zh: "储备库", en: "Depots" }, colour: "#6a1b9a" },
  { layer: "teams", title: { zh: "救援队伍", en: "Teams" }, colour: "#c2185b" },
  { layer: "shelters", title: { zh: "避难场所", en: "Shelters" }, colour: "#00695c" },
] as const;

/** The hazard levels a route may be kept out of (avoid_hazards=L: levels 1…L), none first. */
const AVOID_LEVELS = ["", "1", "2", "3", "4"] as const;

/** The line a result is drawn by: its route by road, else a straight line from the incident. */
const lineOf = (at: LonLat, f: Nearest["features"][number]): GeoJSON.LineString =>
  f.properties.route ?? { type: "LineString", coordinates: [at, f.geometry.coordinates] };

/** 12 分钟 · 8.4 km（公路） · 直线 3.8 km 南 — by road; 3.8 km 南 — straight. */
function distances(p: Nearest["features"][number]["properties"]): string {
  const straight = `${formatKm(p.distance_m)} ${formatBearing(p.bearing_deg)}`.trim();
  if (p.travel_time_s === undefined || p.road_distance_m === undefined) return straight;
  return `${formatMinutes(p.travel_time_s)} · ${formatKm(p.road_distance_m)}${t("roadSuffix")} · ${t("straight")} ${straight}`;
}

/** Why an answer is straight although road was asked for. */
const fellBack = (why: NotReachable | null | undefined) =>
  why?.reason === "beyond_reach" && why.nearest_road_m !== null
    ? tf("fellBackBeyondReach", { d: formatKm(why.nearest_road_m), reach: formatKm(why.reach_m) })
    : tf("fellBackNoRoads", {});

/** "另有 2 处无法经公路到达：1 处…，1 处…" — the candidates the road answer could not reach, by reason. */
function notReachable(n: NonNullable<Nearest["not_reachable"]>): string {
  const reasons = (["beyond_reach", "no_roads", "no_route"] as const).filter((r) => n[r] > 0).map((r) => tf(`reason_${r}` as TextKey, { n: n[r] }));
  return tf("notReachableByRoad", { n: n.count }) + reasons.join(currentLang() === "zh" ? "，" : ", ");
}

/**
 * Commander: set the incident point (click the map, Enter on it, or pick a hazard) → the nearest depots
 * (holding an item), teams (of a specialty, standing by) and shelters (usable, with free places). By road
 * (按公路, the default): minutes and km by road, the straight distance labelled 直线, each route drawn (the
 * hovered or clicked one wide; a click frames it), optionally kept out of hazard zones (避开危险区); the
 * candidates the road cannot reach are counted with the reason, and an answer that fell back to straight
 * says why. 按直线: km and compass direction, straight lines. A picked hazard is asked from itself:
 * distances from its geometry, no shelter inside its zone. A shelter inside any hazard zone is flagged ⚠;
 * unusable ones, when asked for, say why. Asked again whenever anything changes (a road closed…).
 */
export async function nearestPanel(map: Map) {
  const section = document.querySelector("#nearest")!;
  const results = section.querySelector(".results")!;
  const marker = new Marker({ color: "#d7191c" });
  // each result's line: its route by road (solid), or a straight line (dashed); the focused one wide, over the rest
  map.addSource("nearest-lines", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  const colour = ["match", ["get", "layer"], ...ASKED.flatMap((q) => [q.layer, q.colour]), "#d7191c"] as unknown as string;
  map.addLayer({
    id: "nearest-lines",
    type: "line",
    source: "nearest-lines",
    filter: ["==", ["get", "by"], "straight"],
    paint: { "line-color": colour, "line-width": 2, "line-dasharray": [2, 1] },
  });
  map.addLayer({
    id: "nearest-routes",
    type: "line",
    source: "nearest-lines",
    filter: ["==", ["get", "by"], "road"],
    layout: { "line-join": "round", "line-cap": "round" },
    paint: { "line-color": colour, "line-width": 2.5, "line-opacity": 0.75 },
  });
  map.addLayer({
    id: "nearest-focus-casing",
    type: "line",
    source: "nearest-lines",
    filter: ["==", ["get", "key"], ""],
    layout: { "line-join": "round", "line-cap": "round" },
    paint: { "line-color": "#fff", "line-width": 10 },
  });
  map.addLayer({
    id: "nearest-focus",
    type: "line",
    source: "nearest-lines",
    filter: ["==", ["get", "key"], ""],
    layout: { "line-join": "round", "line-cap": "round" },
    paint: { "line-color": colour, "line-width": 6 },
  });
  /** Emphasise one result's line (hovered or focused; else the one clicked). */
  let selected = "";
  const focus = (key: string) => {
    for (const id of ["nearest-focus-casing", "nearest-focus"]) map.setFilter(id, ["==", ["get", "key"], key]);
  };

  const [items, hazards, layers] = await Promise.all([
    itemCatalogue().catch((e) => (showError(e), [] as Item[])),
    api<HazardList>("/api/v1/layers/hazards/features?limit=10000").then(
      (r) => r.features,
      (e) => (showError(e), [] as HazardList["features"]),
    ),
    layerInfo().catch((e) => (showError(e), [] as LayerSummary[])),
  ]);
  const [hazardLayer, teamLayer] = [layers.find((l) => l.name === "hazards"), layers.find((l) => l.name === "teams")];
  const hazard = el(
    "select",
    { id: "nearest-hazard" },
    el("option", { value: "" }),
    ...hazards.sort((a, b) => a.properties.risk_level - b.properties.risk_level).map((h) => el("option", { value: String(h.id) })),
  );
  const item = el("select", { id: "nearest-item" }, el("option", { value: "" }), ...items.map((i) => el("option", { value: i.code })));
  const quantity = el("input", { id: "nearest-quantity", type: "number", min: "0", step: "1", value: "", style: "width: 6em" });
  const quantityUnit = el("span", { id: "nearest-quantity-unit" }); // the chosen item's unit: the quantity is in it
  // a specialty by its words (危化 → 危化品处置) or its code; the list offers the known ones
  const specialties = el("datalist", { id: "nearest-specialties" });
  const specialty = el("input", { id: "nearest-specialty", type: "text", size: 12, autocomplete: "off" });
  specialty.setAttribute("list", specialties.id);
  /** The code asked for: the one the typed words name (the first when several do), else the text as typed. */
  const specialtyCode = () => codesMatching(teamLayer, "specialties", specialty.value)[0] ?? specialty.value.trim();
  specialty.addEventListener("change", () => {
    const code = codesMatching(teamLayer, "specialties", specialty.value)[0];
    if (code) specialty.value = valueText(teamLayer, "specialties", code); // what was understood, in words
  });
  const standby = el("input", { id: "nearest-standby", type: "checkbox", checked: true });
  const freePlaces = el("input", { id: "nearest-free", type: "number", min: "0", step: "1", value: "", style: "width: 6em" });
  const unusable = el("input", { id: "nearest-unusable", type: "checkbox" });
  // 按公路 (the server's default: by road where the point joins the network) or 按直线
  const byRoad = el("input", { id: "nearest-by-road", type: "radio", name: "nearest-by", value: "road", checked: true });
  const byStraight = el("input", { id: "nearest-by-straight", type: "radio", name: "nearest-by", value: "straight" });
  const avoid = el("select", { id: "nearest-avoid" }, ...AVOID_LEVELS.map((l) => el("option", { value: l })));
  const by = el("fieldset", { className: "by" }, el("legend"), el("label", {}, byRoad, el("span")), el("label", {}, byStraight, el("span")));
  const labels = {
    avoid: el("label", {}, "", avoid),
    hazard: el("label", {}, "", hazard),
    item: el("label", {}, "", item, " ≥ ", quantity, " ", quantityUnit),
    specialty: el("label", {}, "", specialty, specialties),
    standby: el("label", {}, standby, ""),
    free: el("label", {}, "", freePlaces),
    unusable: el("label", {}, unusable, ""),
  };
  const filters = el(
    "div",
    { className: "filters" },
    by,
    labels.avoid,
    labels.hazard,
    labels.item,
    labels.specialty,
    labels.standby,
    labels.free,
    labels.unusable,
  );
  section.insertBefore(filters, results);

  /** Each layer's query string: the filters that apply to it, as the API names them. */
  const query = (layer: (typeof ASKED)[number]["layer"]) => {
    const q = new URLSearchParams({ layer, limit: "3" });
    if (byStraight.checked) q.set("by", "straight");
    else if (avoid.value) q.set("avoid_hazards", avoid.value);
    if (layer === "depots" && item.value) {
      q.set("item", item.value);
      if (quantity.value) q.set("min_quantity", quantity.value);
    }
    if (layer === "teams") {
      if (specialty.value.trim()) q.set("specialty", specialtyCode());
      if (standby.checked) q.set("status", "standby");
    }
    if (layer === "shelters" && freePlaces.value) q.set("min_free_capacity", freePlaces.value);
    if (layer === "shelters" && unusable.checked) q.set("include_unusable", "true");
    return q;
  };

  let last: { at: LonLat; place: Place | undefined; fromHazard: boolean; answers: [(typeof ASKED)[number], Nearest][] } | undefined;
  /** A shelter's warnings: the hazard zones it lies in, and why it cannot be used. */
  const warnings = (p: Nearest["features"][number]["properties"]) => [
    ...(p.in_hazard_zones?.length
      ? [el("div", { className: "warning", textContent: `⚠ ${t("inHazardZone")}: ${p.in_hazard_zones.map((z) => z.name).join("、")}` })]
      : []),
    ...(p.usable === false && p.unusable_reason
      ? [el("div", { className: "warning", textContent: `${t("unusable")}: ${t(`unusable_${p.unusable_reason}`)}` })]
      : []),
  ];
  /** 帐篷 1197 顶: what a depot holds of the item asked for, in the item's unit. */
  const stockText = (s: NonNullable<Nearest["features"][number]["properties"]["stock"]> & { item?: string }) => {
    const i = items.find((x) => x.code === (s.item ?? item.value));
    return `${t("holds")} ${i ? label({ zh: i.name_zh, en: i.name_en }) : ""} ${formatQuantity(s.quantity, s)}`;
  };
  const render = () => {
    for (const o of item.options) {
      const i = items.find((x) => x.code === o.value);
      o.textContent = i ? label({ zh: i.name_zh, en: i.name_en }) : t("anyItem");
    }
    hazard.options[0]!.textContent = t("pickHazard");
    for (const o of [...hazard.options].slice(1)) {
      const h = hazards.find((x) => String(x.id) === o.value)!;
      o.textContent = `[${valueText(hazardLayer, "risk_level", h.properties.risk_level)}] ${h.properties.name}`;
    }
    specialties.replaceChildren(
      ...Object.keys(teamLayer?.schema.properties.specialties?.["x-value-labels"] ?? {}).map((code) =>
        el("option", { value: valueText(teamLayer, "specialties", code) }),
      ),
    );
    by.querySelector("legend")!.textContent = t("measuredBy");
    byRoad.nextElementSibling!.textContent = t("byRoad");
    byStraight.nextElementSibling!.textContent = t("byStraight");
    for (const o of avoid.options) o.textContent = t(`avoid_${o.value || "0"}` as TextKey);
    avoid.disabled = byStraight.checked;
    labels.avoid.firstChild!.textContent = t("avoidHazards");
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
    const answers = last.answers;
    const straightAnswer = answers.find(([, r]) => r.by === "straight" && r.by_reason !== undefined);
    const byRoadAnswered = answers.some(([, r]) => r.by === "road" && r.features.length);
    results.replaceChildren(
      el(
        "p",
        { id: "incident-place" },
        `${t("incident")}: `,
        el("strong", { textContent: placeName(last.place) }),
        el("span", { className: "hint", textContent: ` ${at[0].toFixed(5)}, ${at[1].toFixed(5)}` }),
      ),
      ...(last.fromHazard ? [el("p", { className: "from-hazard", textContent: `${t("fromHazard")}: ${hazard.selectedOptions[0]?.textContent ?? ""}` })] : []),
      ...(straightAnswer ? [el("p", { className: "by-reason warning", textContent: fellBack(straightAnswer[1].by_reason) })] : []),
      ...(byRoadAnswered ? [el("p", { className: "hint", textContent: t("routeHint") })] : []),
      ...answers.flatMap(([q, r]) => {
        const ol = el("ol");
        ol.dataset.layer = q.layer;
        ol.append(
          ...r.features.map((f) => {
            const key = `${q.layer}/${f.id}`;
            const button = el("button", {
              type: "button",
              className: `result${key === selected ? " selected" : ""}`,
              textContent: `${f.properties.name} · ${distances(f.properties)}${f.properties.stock ? ` · ${stockText(f.properties.stock)}` : ""}`,
            });
            button.dataset.key = key;
            // hovered or focused: its line stands out; clicked: the map shows the whole of it, and it stays out
            for (const on of ["mouseenter", "focus"]) button.addEventListener(on, () => focus(key));
            for (const off of ["mouseleave", "blur"]) button.addEventListener(off, () => focus(selected));
            button.addEventListener("click", () => {
              selected = key;
              for (const b of results.querySelectorAll("button.result")) b.classList.toggle("selected", b === button);
              focus(key);
              fitWithPopup(map, lineOf(at, f).coordinates as [number, number][], f.geometry.coordinates as [number, number], { maxZoom: 16 });
              openPopup(map, q.layer, f.id, f.geometry.coordinates).catch(showError);
            });
            return el("li", {}, button, ...warnings(f.properties));
          }),
        );
        if (!r.features.length) ol.append(el("li", { textContent: t("none") }));
        if (r.not_reachable?.count) ol.append(el("li", { className: "not-reachable", textContent: notReachable(r.not_reachable) }));
        const swatch = el("span", { className: "route-swatch" }); // the colour its routes are drawn in
        swatch.style.background = q.colour;
        return [el("h3", {}, swatch, label(q.title)), ol];
      }),
    );
  };

  /** Ask again (live: a road closed, a team's status changed…) without blanking the list meanwhile. */
  async function ask(at: LonLat, again = false) {
    marker.setLngLat(at).addTo(map);
    if (!again) results.textContent = t("loading");
    try {
      // a picked hazard is asked from itself (hazard_id); a click clears the pick
      const fromHazard = hazard.value !== "";
      const place = placeOf(at).catch(() => undefined); // the name is a help: the answers come without it
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
      if (last?.at !== at) selected = "";
      last = { at, place: await place, fromHazard, answers };
      render();
      focus(selected);
      (map.getSource("nearest-lines") as GeoJSONSource).setData({
        type: "FeatureCollection",
        features: answers.flatMap(([q, r]) =>
          r.features.map((f) => ({
            type: "Feature" as const,
            properties: { layer: q.layer, key: `${q.layer}/${f.id}`, by: f.properties.route ? "road" : "straight" },
            geometry: lineOf(at, f),
          })),
        ),
      });
    } catch (err) {
      results.textContent = "";
      showError(err);
    }
  }

  onAskedPoint((at) => void ask(at));
  onMapClick(map, (e) => {
    // a feature under the mouse: its popup answers (the keyboard opens no popup)
    if (!e.byKeyboard && map.queryRenderedFeatures(e.point).some((f) => !BACKGROUND.includes(f.sourceLayer ?? f.source))) return;
    hazard.value = "";
    setAskedPoint([e.lngLat.lng, e.lngLat.lat]);
  });
  hazard.addEventListener("change", () => {
    const h = hazards.find((x) => String(x.id) === hazard.value);
    if (!h) return;
    const at = pointOnFeature(h).geometry.coordinates as LonLat; // the point itself, or a point on the line or area
    map.easeTo({ center: at });
    setAskedPoint(at);
  });
  onChanges(() => {
    const at = askedPoint();
    if (at && last) void ask(at, true);
  });
  for (const input of [item, quantity, specialty, standby, freePlaces, unusable, byRoad, byStraight, avoid]) {
    input.addEventListener("change", () => {
      const at = askedPoint();
      if (at) void ask(at);
    });
  }
  item.addEventListener("change", render);
  byStraight.addEventListener("change", render); // the hazard zones can be avoided by road only
  byRoad.addEventListener("change", render);
  onLangChange(render);
  render();
}
