import { pointOnFeature } from "@turf/turf";
import { Popup, type GeoJSONSource, type Map } from "maplibre-gl";
import type { IncidentFeature } from "../../../server/incidents/incidents.ts";
import { api, layerInfo, showError, type LayerSummary } from "../api.ts";
import { formatTime, incidentKindLabel, incidentLevelLabel, onLangChange, t } from "../i18n.ts";
import { valueText } from "../value_labels.ts";
import { clickTaken } from "./clicks.ts";
import { onChanges } from "./live.ts";
import { setAppLayer, setLegendKeys } from "./style.ts";

export type { IncidentFeature };

/**
 * Open incidents (突发事件) on the map: each area filled and outlined in its level's colour — the
 * national grading's 红 Ⅰ特别重大 · 橙 Ⅱ重大 · 黄 Ⅲ较大 · 蓝 Ⅳ一般 — with a thick solid edge (a hazard's
 * zone is a thin dashed one) and its name at a point inside it. Read from GET /incidents?open=true (a
 * county has a handful), and again whenever the change feed says incidents were written: opened,
 * changed or closed on another map, it appears, changes or goes here without a reload.
 */
const LAYER = "incidents";
export const LEVEL_COLOURS: Record<number, string> = { 1: "#c62828", 2: "#ef6c00", 3: "#f9a825", 4: "#1565c0" };
const ROMAN = ["", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"];
const colour = ["match", ["get", "level"], 1, LEVEL_COLOURS[1], 2, LEVEL_COLOURS[2], 3, LEVEL_COLOURS[3], LEVEL_COLOURS[4]] as unknown as string;

let open: IncidentFeature[] = [];
const listeners: ((incidents: IncidentFeature[]) => void)[] = [];
let opener: ((id: number) => void) | undefined;

/** The open incidents as last read. */
export const openIncidents = () => open;
/** Called with the open incidents whenever they are read again. */
export const onIncidents = (f: (incidents: IncidentFeature[]) => void) => listeners.push(f);
/** What a popup's "open in the incident panel" button does (the panel sets it). */
export const setIncidentOpener = (f: (id: number) => void) => (opener = f);

/** An incident's kind in words: the general kinds' own, a hazard kind's from the hazards layer. */
export const kindText = (hazards: LayerSummary | undefined, kind: string) => incidentKindLabel(kind) ?? valueText(hazards, "kind", kind);

/** Read the open incidents again and draw them. */
export async function reloadIncidents(map: Map) {
  const fc = await api<{ features: IncidentFeature[] }>("/api/v1/incidents?open=true");
  open = fc.features;
  (map.getSource(LAYER) as GeoJSONSource).setData({ type: "FeatureCollection", features: open as unknown as GeoJSON.Feature[] });
  (map.getSource(`${LAYER}-labels`) as GeoJSONSource).setData({
    type: "FeatureCollection",
    features: open.map((f) => ({
      ...pointOnFeature(f as unknown as GeoJSON.Feature<GeoJSON.MultiPolygon>),
      id: f.id,
      properties: { level: f.properties.level, label: `${ROMAN[f.properties.level]} ${f.properties.name}` },
    })),
  });
  setAppLayer(map, { name: LAYER, label: { zh: "突发事件", en: "Incidents" }, count: open.length });
  listeners.forEach((f) => f(open));
}

export async function addIncidentsLayer(map: Map) {
  const empty: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };
  map.addSource(LAYER, { type: "geojson", data: empty });
  map.addSource(`${LAYER}-labels`, { type: "geojson", data: empty });
  const metadata = { "hazmap:layer": LAYER };
  const firstSymbol = map.getStyle().layers.find((l) => l.type === "symbol")?.id;
  map.addLayer({ id: "incidents-fill", type: "fill", source: LAYER, metadata, paint: { "fill-color": colour, "fill-opacity": 0.18 } }, firstSymbol);
  map.addLayer(
    { id: "incidents-casing", type: "line", source: LAYER, metadata, paint: { "line-color": "#ffffff", "line-width": 5, "line-opacity": 0.9 } },
    firstSymbol,
  );
  map.addLayer({ id: "incidents-line", type: "line", source: LAYER, metadata, paint: { "line-color": colour, "line-width": 3 } }, firstSymbol);
  map.addLayer({
    id: "incidents-label",
    type: "symbol",
    source: `${LAYER}-labels`,
    metadata,
    layout: { "text-field": ["get", "label"], "text-font": ["Noto Sans CJK SC", "sans-serif"], "text-size": 14, "text-allow-overlap": true },
    // Ⅲ's yellow is too light for lettering: its name in a darker amber
    paint: { "text-color": ["match", ["get", "level"], 3, "#9a6b00", colour], "text-halo-color": "#ffffff", "text-halo-width": 2 },
  });
  const legend = () =>
    setLegendKeys(
      map,
      LAYER,
      [1, 2, 3, 4].map((n) => ({
        symbol: { fill: `${LEVEL_COLOURS[n]}40`, outline: LEVEL_COLOURS[n] },
        label: { zh: incidentLevelLabel(n, "zh"), en: incidentLevelLabel(n, "en") },
      })),
    );
  legend();

  onChanges((layers) => layers.has(LAYER) && void reloadIncidents(map).catch(showError));
  onLangChange(legend);
  await reloadIncidents(map).catch(showError);
}

/**
 * An incident clicked (its area or its name): a popup with its name, kind, level and start, and a button
 * that opens it in the incident panel — unless one of `featureLayers` (those with popups of their own)
 * is under the click.
 */
export async function incidentPopups(map: Map, featureLayers: string[]) {
  const hazards = await layerInfo()
    .then((ls) => ls.find((l) => l.name === "hazards"))
    .catch(() => undefined);
  let popup: Popup | undefined;
  map.on("click", ["incidents-fill", "incidents-label"], (e) => {
    const hit = e.features?.[0];
    const f = open.find((i) => i.id === hit?.id);
    // a feature drawn over the area (a shelter, a road) answers with its own popup
    if (!f || clickTaken(e.originalEvent) || map.queryRenderedFeatures(e.point, { layers: featureLayers }).length) return;
    popup?.remove();
    const button = Object.assign(document.createElement("button"), { type: "button", className: "open-incident", textContent: t("openInPanel") });
    button.addEventListener("click", () => {
      popup?.remove();
      opener?.(f.id);
    });
    const rows: [string, string][] = [
      [t("incidentName"), f.properties.name],
      [t("incidentKind"), kindText(hazards, f.properties.kind)],
      [t("incidentLevel"), incidentLevelLabel(f.properties.level)],
      [t("incidentStarted"), formatTime(f.properties.started_at)],
    ];
    const table = document.createElement("table");
    table.append(
      ...rows.map(([k, v]) => {
        const tr = document.createElement("tr");
        tr.append(Object.assign(document.createElement("th"), { textContent: k }), Object.assign(document.createElement("td"), { textContent: v }));
        return tr;
      }),
    );
    const content = document.createElement("div");
    content.dataset.incident = String(f.id);
    content.append(table, button);
    popup = new Popup({ maxWidth: "320px" }).setLngLat(e.lngLat).setDOMContent(content).addTo(map);
  });
  for (const id of ["incidents-fill", "incidents-label"]) {
    map.on("mouseenter", id, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", id, () => (map.getCanvas().style.cursor = ""));
  }
}
