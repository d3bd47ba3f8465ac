import type { GeoJSONSource, LngLat, Map } from "maplibre-gl";
import { circle } from "@turf/turf";
import { api, layerInfo, showError } from "../api.ts";
import { formatKm, formatMinutes, formatPeople, onLangChange, t, type TextKey } from "../i18n.ts";
import { claimNextClick } from "../map/clicks.ts";
import { el } from "./ui.ts";
import { featureRow, fitTo } from "./result_rows.ts";
import { planActions, type PlanRequest } from "./plan_sheet.ts";
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
  // an arrowhead where each move arrives (the shelter), turned to the way people go
  map.addImage("evac-arrow", arrowHead(), { pixelRatio: 2 });
  map.addSource("evac-arrows", { type: "geojson", data: empty() });
  map.addLayer({
    id: "evac-arrows",
    type: "symbol",
    source: "evac-arrows",
    layout: {
      "icon-image": "evac-arrow",
      "icon-rotate": ["get", "bearing"],
      "icon-rotation-alignment": "map",
      "icon-allow-overlap": true,
      "icon-ignore-placement": true,
      "icon-anchor": "top",
    },
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
  // live: the plan for a circle's centre tapped on the map comes up in a phone's sheet (bottom_sheet.ts)
  result.setAttribute("aria-live", "polite");
  let asked: PlanRequest | undefined;
  const actions = planActions("evacuation-plan", () => asked);
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
      // by road where the area joins the network (minutes and km travelled), else straight: the server's default
      const request = { path: "/api/v1/evacuation-plan", body: { area } };
      const plan = await api<EvacuationPlan>(request.path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request.body),
      });
      asked = request;
      (map.getSource("evac-zone") as GeoJSONSource).setData({ type: "Feature", properties: {}, geometry: zone });
      const villages = new globalThis.Map(plan.villages.map((v) => [v.id, v]));
      const shelters = new globalThis.Map(plan.shelters.map((s) => [s.shelter_id, s]));
      const at = (p: { lon: number; lat: number }): [number, number] => [p.lon, p.lat];
      const moves = [...plan.assignments].sort((a, b) => b.people - a.people || a.village_id - b.village_id);
      (map.getSource("evac-flows") as GeoJSONSource).setData({
        type: "FeatureCollection",
        features: moves.map((a) => ({
          type: "Feature",
          properties: { people: a.people },
          geometry: { type: "LineString", coordinates: [at(villages.get(a.village_id)!), at(shelters.get(a.shelter_id)!)] },
        })),
      });
      (map.getSource("evac-arrows") as GeoJSONSource).setData({
        type: "FeatureCollection",
        features: moves.map((a) => {
          const [from, to] = [at(villages.get(a.village_id)!), at(shelters.get(a.shelter_id)!)];
          return { type: "Feature", properties: { bearing: bearing(from, to) }, geometry: { type: "Point", coordinates: to } };
        }),
      });
      const assigned = plan.assignments.reduce((s, a) => s + a.people, 0);
      const left = plan.unassigned.reduce((s, u) => s + u.people, 0);
      const used = plan.shelters.filter((s) => s.assigned > 0);
      /** 石场村 → 县一中 · 拟安置 1,200 人 · 12 分钟 · 8.4 km（公路）, or · 3.2 km straight */
      const moveText = (a: EvacuationPlan["assignments"][number]) =>
        `${villages.get(a.village_id)!.name} → ${shelters.get(a.shelter_id)!.name} · ${t("toMove")} ${formatPeople(a.people)} · ${
          a.travel_time_s === undefined ? formatKm(a.distance_m) : `${formatMinutes(a.travel_time_s)} · ${formatKm(a.road_distance_m!)}${t("roadSuffix")}`
        }`;
      result.replaceChildren(
        el("p", {
          id: "evac-affected",
          textContent: `${t("affected")}: ${plan.affected.villages} ${t("villagesN")} · ${formatPeople(plan.affected.population)}`,
        }),
        el("p", { id: "evac-assigned", textContent: `${t("assigned")}: ${formatPeople(assigned)}` }),
        el("p", { id: "evac-unassigned", className: left ? "summary" : "", textContent: `${t("unassigned")}: ${formatPeople(left)}` }),
        ...(moves.length ? [el("h3", { textContent: t("evacRoutes") })] : []),
        el(
          "ol",
          { id: "evac-moves", className: "result-list" },
          ...moves.map((a) => {
            // the move framed, and the shelter's popup (its address, facilities, free places) opened
            const to = at(shelters.get(a.shelter_id)!);
            const row = featureRow(map, { layer: "shelters", id: a.shelter_id, at: to }, moveText(a), [at(villages.get(a.village_id)!)]);
            return el("li", {}, row);
          }),
          ...plan.unassigned.map((u) =>
            el(
              "li",
              { className: "warning" },
              featureRow(
                map,
                { layer: "villages", id: u.village_id, at: at(villages.get(u.village_id)!) },
                `${villages.get(u.village_id)!.name} · ${t("notPlaced")} ${formatPeople(u.people)} · ${t(`unplaced_${u.reason}` as TextKey)}`,
              ),
            ),
          ),
        ),
        el("p", { textContent: `${t("sheltersUsed")}: ${used.length}` }),
        el("ol", {}, ...used.map((s) => el("li", { textContent: `${s.name} · ${s.assigned.toLocaleString()} / ${s.free_capacity.toLocaleString()}` }))),
        actions,
      );
      fitTo(map, [...plan.villages.map(at), ...used.map(at)]);
    } catch (e) {
      showError(e);
    }
  }
}

/** The initial bearing from one point to another, degrees clockwise from north (on the sphere: for an arrowhead). */
function bearing([x0, y0]: [number, number], [x1, y1]: [number, number]): number {
  const [f0, f1, dl] = [y0, y1, x1 - x0].map((d) => (d * Math.PI) / 180) as [number, number, number];
  return (Math.atan2(Math.sin(dl) * Math.cos(f1), Math.cos(f0) * Math.sin(f1) - Math.sin(f0) * Math.cos(f1) * Math.cos(dl)) * 180) / Math.PI;
}

/** An arrowhead pointing up (north), drawn once: dark blue with a white edge, 2× for sharp screens. */
function arrowHead(): ImageData {
  const size = 36;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const c = canvas.getContext("2d")!;
  c.beginPath();
  c.moveTo(size / 2, 2);
  c.lineTo(size - 6, size - 4);
  c.lineTo(size / 2, size - 12);
  c.lineTo(6, size - 4);
  c.closePath();
  c.fillStyle = "#0d47a1";
  c.strokeStyle = "#fff";
  c.lineWidth = 3;
  c.stroke();
  c.fill();
  return c.getImageData(0, 0, size, size);
}
