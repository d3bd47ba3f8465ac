import { circle } from "@turf/turf";
import type { GeoJSONSource, Map } from "maplibre-gl";
import type { IncidentArea } from "../../../server/incidents/area.ts";
import { api, showError } from "../api.ts";
import { onLangChange, t, type TextKey } from "../i18n.ts";
import { claimNextClick } from "../map/clicks.ts";
import { el, text } from "./ui.ts";

interface Hazards {
  features: { id: number; properties: { name: string; risk_level: number; influence_radius_m: number | null }; geometry: { type: string } }[];
}

type Way = "draw" | "circle" | "hazard";
const WAYS: [Way, TextKey][] = [
  ["draw", "areaDraw"],
  ["circle", "areaCircle"],
  ["hazard", "areaHazard"],
];
const DRAFT = "incident-draft";

/**
 * Where a new incident is, as a commander says it on the map: a polygon drawn corner by corner (each
 * click a corner; 撤销 takes the last back), a circle (a click for its centre and a radius in km), or a
 * hazard's zone (a hazard with an area or an influence radius). The draft is drawn while it is made.
 * `area()` is what POST /incidents takes, or undefined while the area is not yet whole.
 */
export function incidentAreaPicker(map: Map) {
  map.addSource(DRAFT, { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({
    id: "incident-draft-fill",
    type: "fill",
    source: DRAFT,
    filter: ["==", "$type", "Polygon"],
    paint: { "fill-color": "#c62828", "fill-opacity": 0.15 },
  });
  map.addLayer({ id: "incident-draft-line", type: "line", source: DRAFT, paint: { "line-color": "#c62828", "line-width": 2, "line-dasharray": [2, 1] } });
  map.addLayer({
    id: "incident-draft-corners",
    type: "circle",
    source: DRAFT,
    filter: ["==", "$type", "Point"],
    paint: { "circle-radius": 5, "circle-color": "#ffffff", "circle-stroke-color": "#c62828", "circle-stroke-width": 2 },
  });

  let way: Way = "draw";
  let corners: [number, number][] = [];
  let centre: [number, number] | undefined;
  const radios = WAYS.map(([w, key]) => {
    const input = el("input", { type: "radio", name: "incident-area", value: w, id: `incident-area-${w}`, checked: w === way });
    return el("label", { className: "choice" }, input, text(key));
  });
  const hint = el("p", { className: "hint", id: "incident-area-hint" });
  hint.setAttribute("aria-live", "polite");
  const undo = text("undoCorner", "button", { type: "button", id: "incident-undo" });
  const radius = el("input", { id: "incident-radius", type: "number", min: "0.1", max: "200", step: "0.1", value: "2", style: "width: 6em" });
  const radiusLabel = el("label", { id: "incident-radius-label" }, text("radiusKm"), " ", radius);
  const hazard = el("select", { id: "incident-hazard" });
  const hazardLabel = el("label", {}, text("hazard"), " ", hazard);
  const box = el("fieldset", { className: "incident-area" }, el("legend", {}, text("incidentArea")), ...radios, hint, undo, radiusLabel, hazardLabel);

  api<Hazards>("/api/v1/layers/hazards/features?limit=10000")
    .then((r) =>
      hazard.append(
        ...r.features
          // a zone is an area, or a point or line with an influence radius (hazard_zones)
          .filter((h) => h.geometry.type.endsWith("Polygon") || (h.properties.influence_radius_m ?? 0) > 0)
          .sort((a, b) => a.properties.risk_level - b.properties.risk_level)
          .map((h) => el("option", { value: String(h.id), textContent: h.properties.name })),
      ),
    )
    .catch(showError);

  const draft = () => {
    const features: GeoJSON.Feature[] = corners.map((c) => ({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: c } }));
    if (way === "draw" && corners.length >= 3)
      features.push({ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[...corners, corners[0]!]] } });
    else if (way === "draw" && corners.length === 2) features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: corners } });
    if (way === "circle" && centre) features.push(circle(centre, Number(radius.value) || 0, { units: "kilometers", steps: 64 }));
    (map.getSource(DRAFT) as GeoJSONSource).setData({ type: "FeatureCollection", features });
  };
  // while drawing, every click on the map is a corner (or the centre), not a question
  let active = false;
  const claim = () => {
    if (!active || way === "hazard") return claimNextClick(undefined);
    claimNextClick((at) => {
      if (way === "draw") corners.push([at.lng, at.lat]);
      else corners = [(centre = [at.lng, at.lat])];
      render();
      claim();
    });
  };
  const render = () => {
    hint.textContent =
      way === "draw" ? `${t("drawHint")}${corners.length ? `（${corners.length}）` : ""}` : way === "circle" ? t(centre ? "circleSet" : "circleHint") : "";
    undo.hidden = way !== "draw" || !corners.length;
    radiusLabel.hidden = way !== "circle";
    hazardLabel.hidden = way !== "hazard";
    draft();
  };
  for (const r of radios)
    r.querySelector("input")!.addEventListener("change", (e) => {
      way = (e.target as HTMLInputElement).value as Way;
      corners = [];
      centre = undefined;
      claim();
      render();
    });
  undo.addEventListener("click", () => {
    corners.pop();
    render();
  });
  radius.addEventListener("input", draft);
  onLangChange(render);
  render();

  return {
    element: box,
    /** Start (or stop) taking the map's clicks for the area; stopping clears the draft. */
    setActive(on: boolean) {
      active = on;
      if (!on) {
        corners = [];
        centre = undefined;
      }
      claim();
      render();
    },
    area(): IncidentArea | undefined {
      if (way === "draw") return corners.length >= 3 ? { type: "Polygon", coordinates: [[...corners, corners[0]!]] } : undefined;
      if (way === "circle") return centre && Number(radius.value) > 0 ? { lon: centre[0], lat: centre[1], radius_m: Number(radius.value) * 1000 } : undefined;
      return hazard.value ? { hazard_id: Number(hazard.value) } : undefined;
    },
    /** What is missing, in words, when `area()` is undefined. */
    missing: () => t(way === "draw" ? "drawHint" : way === "circle" ? "circleHint" : "pickHazardZone"),
  };
}
