import type { GeoJSONSource, LngLat, Map } from "maplibre-gl";
import { circle } from "@turf/turf";
import { api, layerInfo, showError } from "../api.ts";
import { formatPeople, onLangChange, t } from "../i18n.ts";
import { claimNextClick } from "../map/clicks.ts";
import { el } from "./ui.ts";
import { valueText } from "../value_labels.ts";
import type { EvacuationPlan } from "../../../server/questions/evacuation_plan.ts";
import type { Exposure } from "../../../server/questions/exposure.ts";

interface HazardList {
  features: { id: number; properties: { name: string; risk_level: number } }[];
}

const empty = (): GeoJSON.FeatureCollection => ({ type: "FeatureCollection", features: [] });

/** Evacuation: choose a hazard or place a circle → flows to shelters weighted by people, and the numbers. */
export async function evacuationPanel(map: Map) {
  const body = document.querySelector("#evacuation .body")!;
  map.addSource("evac-zone", { type: "geojson", data: empty() });
  map.addLayer({
    id: "evac-zone",
    type: "fill",
    source: "evac-zone",
    paint: { "fill-color": "#d7191c", "fill-opacity": 0.12, "fill-outline-color": "#d7191c" },
  });
  map.addSource("evac-flows", { type: "geojson", data: empty() });
  map.addLayer({
    id: "evac-flows",
    type: "line",
    source: "evac-flows",
    layout: { "line-cap": "round" },
    paint: { "line-color": "#1565c0", "line-opacity": 0.7, "line-width": ["interpolate", ["linear"], ["get", "people"], 0, 1, 1000, 4, 5000, 9] },
  });

  const [hazards, hazardLayer] = await Promise.all([
    api<HazardList>("/api/v1/layers/hazards/features?limit=10000").catch((e) => (showError(e), { features: [] })),
    layerInfo().then((ls) => ls.find((l) => l.name === "hazards")),
  ]);
  const select = el(
    "select",
    { id: "evac-hazard" },
    el("option", { value: "", textContent: "—" }),
    ...hazards.features.sort((a, b) => a.properties.risk_level - b.properties.risk_level).map((h) => el("option", { value: String(h.id) })),
  );
  const radius = el("input", { id: "evac-radius", type: "number", min: "0.5", max: "50", step: "0.5", value: "3", style: "width: 5em" });
  const circleButton = el("button", { id: "evac-circle", type: "button" });
  const polygonButton = el("button", { id: "evac-polygon", type: "button" });
  const finishButton = el("button", { id: "evac-finish", type: "button", disabled: true });
  const planButton = el("button", { id: "evac-plan", type: "button" });
  const result = el("div", { id: "evac-result" });
  const hazardLabel = el("label", {}, "", select);
  body.append(hazardLabel, el("label", {}, circleButton, radius, "km"), el("div", {}, polygonButton, " ", finishButton), planButton, result);
  const texts = () => {
    hazardLabel.firstChild!.textContent = t("hazard");
    for (const h of hazards.features) {
      const o = select.querySelector<HTMLOptionElement>(`option[value="${h.id}"]`)!;
      o.textContent = `[${valueText(hazardLayer, "risk_level", h.properties.risk_level)}] ${h.properties.name}`;
    }
    circleButton.textContent = t("orCircle");
    polygonButton.textContent = t("orPolygon");
    finishButton.textContent = t("finishPolygon");
    planButton.textContent = t("plan");
  };
  texts();
  onLangChange(texts);

  let centre: LngLat | undefined;
  let polygon: [number, number][] | undefined;
  circleButton.addEventListener("click", () => {
    result.textContent = t("pickCentre");
    claimNextClick((at) => {
      centre = at;
      polygon = undefined;
      select.value = "";
      void run();
    });
  });

  // A polygon, corner by corner: each click (or Enter on the focused map) adds one; Finish closes it.
  let corners: [number, number][] = [];
  const drawCorners = () =>
    (map.getSource("evac-zone") as GeoJSONSource).setData(
      corners.length > 2
        ? { type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[...corners, corners[0]!]] } }
        : { type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: corners.length ? corners : [] } },
    );
  const addCorner = (at: LngLat) => {
    corners.push([at.lng, at.lat]);
    drawCorners();
    finishButton.disabled = corners.length < 3;
    claimNextClick(addCorner);
  };
  polygonButton.addEventListener("click", () => {
    corners = [];
    drawCorners();
    result.textContent = t("pickCorners");
    claimNextClick(addCorner);
  });
  finishButton.addEventListener("click", () => {
    claimNextClick(undefined); // the drawing is over: the map's clicks are the commander's again
    polygon = corners;
    corners = [];
    finishButton.disabled = true;
    centre = undefined;
    select.value = "";
    void run();
  });
  planButton.addEventListener("click", () => void run());

  async function run() {
    const area: { hazard_id: number } | GeoJSON.Polygon | { lon: number; lat: number; radius_m: number } | undefined = select.value
      ? { hazard_id: Number(select.value) }
      : polygon
        ? { type: "Polygon", coordinates: [[...polygon, polygon[0]!]] }
        : centre
          ? { lon: centre.lng, lat: centre.lat, radius_m: Number(radius.value) * 1000 }
          : undefined;
    if (!area) return;
    try {
      const zone =
        "hazard_id" in area
          ? ((await api<Exposure>(`/api/v1/hazards/${area.hazard_id}/exposure`)).zone as GeoJSON.Geometry)
          : "coordinates" in area
            ? area
            : circle([area.lon, area.lat], area.radius_m / 1000, { steps: 64, units: "kilometers" }).geometry;
      const plan = await api<EvacuationPlan>("/api/v1/evacuation-plan", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ area, max_distance_m: 20000 }),
      });
      (map.getSource("evac-zone") as GeoJSONSource).setData({ type: "Feature", properties: {}, geometry: zone });
      const villages = new globalThis.Map(plan.villages.map((v) => [v.id, [v.lon, v.lat]]));
      const shelters = new globalThis.Map(plan.shelters.map((s) => [s.shelter_id, [s.lon, s.lat]]));
      (map.getSource("evac-flows") as GeoJSONSource).setData({
        type: "FeatureCollection",
        features: plan.assignments.map((a) => ({
          type: "Feature",
          properties: { people: a.people },
          geometry: { type: "LineString", coordinates: [villages.get(a.village_id)!, shelters.get(a.shelter_id)!] },
        })),
      });
      const assigned = plan.assignments.reduce((s, a) => s + a.people, 0);
      const left = plan.unassigned.reduce((s, u) => s + u.people, 0);
      const used = plan.shelters.filter((s) => s.assigned > 0);
      result.replaceChildren(
        el("p", {
          id: "evac-affected",
          textContent: `${t("affected")}: ${plan.affected.villages} ${t("villagesN")} · ${formatPeople(plan.affected.population)}`,
        }),
        el("p", { id: "evac-assigned", textContent: `${t("assigned")}: ${formatPeople(assigned)}` }),
        el("p", { id: "evac-unassigned", className: left ? "summary" : "", textContent: `${t("unassigned")}: ${formatPeople(left)}` }),
        el("p", { textContent: `${t("sheltersUsed")}: ${used.length}` }),
        el("ol", {}, ...used.map((s) => el("li", { textContent: `${s.name} · ${s.assigned.toLocaleString()} / ${s.free_capacity.toLocaleString()}` }))),
      );
    } catch (e) {
      showError(e);
    }
  }
}
