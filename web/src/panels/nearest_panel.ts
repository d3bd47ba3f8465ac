import { Marker, type GeoJSONSource, type Map } from "maplibre-gl";
import { api, showError } from "../api.ts";
import { formatBearing, formatKm, label, onLangChange, t } from "../i18n.ts";
import { onMapClick } from "../map/clicks.ts";

interface Nearest { features: { id: number; geometry: { coordinates: [number, number] }; properties: { name: string; distance_m: number; bearing_deg: number | null } }[] }

/** Layers a click goes through: an incident happens in a township, a village or a hazard zone. */
const BACKGROUND = ["townships", "villages", "hazard-zones"];

const ASKED = [
  { layer: "depots", title: { zh: "储备库", en: "Depots" } },
  { layer: "teams", title: { zh: "救援队伍", en: "Teams" } },
  { layer: "shelters", title: { zh: "避难场所", en: "Shelters" } },
];

/** Commander: click the map to set the incident point → nearest depots, teams and shelters, with lines. */
export function nearestPanel(map: Map) {
  const results = document.querySelector("#nearest .results")!;
  const marker = new Marker({ color: "#d7191c" });
  map.addSource("nearest-lines", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({ id: "nearest-lines", type: "line", source: "nearest-lines", paint: { "line-color": "#d7191c", "line-width": 2, "line-dasharray": [2, 1] } });
  let last: { at: [number, number]; answers: [typeof ASKED[number], Nearest][] } | undefined;

  const render = () => {
    if (!last) return;
    results.replaceChildren(
      Object.assign(document.createElement("p"), { textContent: `${t("incident")}: ${last.at[0].toFixed(5)}, ${last.at[1].toFixed(5)}` }),
      ...last.answers.flatMap(([q, r]) => {
        const ol = document.createElement("ol");
        ol.dataset.layer = q.layer;
        ol.append(...r.features.map((f) => Object.assign(document.createElement("li"), {
          textContent: `${f.properties.name} · ${formatKm(f.properties.distance_m)} ${formatBearing(f.properties.bearing_deg)}`,
        })));
        if (!r.features.length) ol.append(Object.assign(document.createElement("li"), { textContent: t("none") }));
        return [Object.assign(document.createElement("h3"), { textContent: label(q.title) }), ol];
      }),
    );
  };

  onMapClick(map, async (e) => {
    // a feature under the mouse: its popup answers (the keyboard opens no popup)
    if (!e.byKeyboard && map.queryRenderedFeatures(e.point).some((f) => !BACKGROUND.includes(f.sourceLayer!))) return;
    const at: [number, number] = [e.lngLat.lng, e.lngLat.lat];
    marker.setLngLat(at).addTo(map);
    results.textContent = t("loading");
    try {
      const answers = await Promise.all(ASKED.map(async (q) => [q, await api<Nearest>(`/api/v1/nearest?layer=${q.layer}&lon=${at[0]}&lat=${at[1]}&limit=3`)] as [typeof q, Nearest]));
      last = { at, answers };
      render();
      (map.getSource("nearest-lines") as GeoJSONSource).setData({
        type: "FeatureCollection",
        features: answers.flatMap(([, r]) => r.features.map((f) => ({ type: "Feature" as const, properties: {}, geometry: { type: "LineString" as const, coordinates: [at, f.geometry.coordinates] } }))),
      });
    } catch (err) {
      results.textContent = "";
      showError(err);
    }
  });
  onLangChange(render);
}
