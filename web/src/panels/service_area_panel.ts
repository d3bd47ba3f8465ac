import type { GeoJSONSource, Map } from "maplibre-gl";
import { api, showError } from "../api.ts";
import { onLangChange, t, tf, type TextKey } from "../i18n.ts";
import { onChanges } from "../map/live.ts";
import { el } from "./ui.ts";

/** The layers whose resources have a service area. */
export const SERVED = ["teams", "shelters", "depots"] as const;
type Served = (typeof SERVED)[number];

interface ServiceArea {
  features: { geometry: GeoJSON.Geometry | null; properties: { minutes: number; road_m: number } }[];
  resources: number;
  not_reachable: { id: number }[];
}

/** One colour per break, nearest darkest; blues, which no road class, hazard or route is drawn in. */
const BAND_COLOURS = ["#08306b", "#2171b5", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7"];

/** What is drawn: a resource (with its name) or a whole layer, the breaks and hazard level; asked again live. */
interface Asked {
  layer: Served;
  id?: number;
  name?: string;
  minutes: string;
  avoid: string;
}

let draw: ((asked: Asked) => Promise<void>) | undefined;

/** Draw the service area of a resource (from its popup): the panel's breaks and hazard level. */
export function showServiceArea(layer: Served, id: number, name: string) {
  const form = document.querySelector<HTMLFormElement>("#service-area form");
  void draw?.({ layer, id, name, minutes: form?.minutes.value || "10,20,30", avoid: form?.avoid.value ?? "" });
}

/**
 * 服务范围: the areas a layer's usable resources (or one resource, from its popup) reach by road within
 * each break (10/20/30 minutes), nested bands from the nearest out, with a legend on the map that clears
 * them; asked again when anything changes (a road closed, a team sent out).
 */
export function serviceAreaPanel(map: Map) {
  map.addSource("service-area", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  // over the roads and areas, under every point and label
  const below = map.getStyle().layers.find((l) => l.type === "circle" || l.type === "symbol")?.id;
  const colour = ["to-color", ["at", ["get", "band"], ["literal", BAND_COLOURS]]] as unknown as string;
  map.addLayer({ id: "service-area-fill", type: "fill", source: "service-area", paint: { "fill-color": colour, "fill-opacity": 0.4 } }, below);
  map.addLayer({ id: "service-area-outline", type: "line", source: "service-area", paint: { "line-color": colour, "line-width": 1.5 } }, below);

  const layer = el("select", { name: "layer", id: "service-area-layer" }, ...SERVED.map((l) => el("option", { value: l })));
  const minutes = el("input", { name: "minutes", id: "service-area-minutes", value: "10,20,30", size: 10, inputMode: "numeric" });
  const avoid = el("select", { name: "avoid", id: "service-area-avoid" }, ...["", "1", "2", "3", "4"].map((l) => el("option", { value: l })));
  const submit = el("button", { type: "submit", id: "service-area-draw" });
  const labels = [el("label", {}, el("span"), layer), el("label", {}, el("span"), minutes), el("label", {}, el("span"), avoid)];
  const form = el("form", { className: "filters" }, ...labels, el("div", {}, submit));
  const summary = el("summary");
  const section = el("details", { id: "service-area" }, summary, el("div", { className: "body" }, form));
  document.querySelector("#nearest")!.after(section);

  // the legend sits on the map, where the bands are, with the button that clears them
  const legend = el("div", { id: "service-area-legend", hidden: true });
  legend.setAttribute("role", "region");
  document.querySelector("#map")!.append(legend);

  let shown: { asked: Asked; answer: ServiceArea } | undefined;
  const clear = () => {
    shown = undefined;
    (map.getSource("service-area") as GeoJSONSource).setData({ type: "FeatureCollection", features: [] });
    legend.hidden = true;
  };
  const layerName = (l: Served) => t(`${l}Layer` as TextKey);

  const render = () => {
    summary.textContent = t("serviceAreaOf");
    for (const o of layer.options) o.textContent = layerName(o.value as Served);
    for (const o of avoid.options) o.textContent = t(`avoid_${o.value || "0"}` as TextKey);
    const texts: TextKey[] = ["layer", "minutes", "avoidHazards"];
    labels.forEach((l, i) => (l.firstChild!.textContent = t(texts[i]!)));
    submit.textContent = t("drawServiceArea");
    legend.setAttribute("aria-label", t("serviceArea"));
    if (!shown) return;
    const { asked, answer } = shown;
    const breaks = answer.features.map((f) => f.properties.minutes).sort((a, b) => a - b);
    const close = el("button", { type: "button", id: "service-area-clear", textContent: t("clear") });
    close.addEventListener("click", clear);
    legend.replaceChildren(
      el("strong", { textContent: `${t("serviceArea")} · ${asked.name ?? `${t("allOfLayer")}${layerName(asked.layer)}`}` }),
      el(
        "ul",
        {},
        ...breaks.map((m, band) => {
          const swatch = el("span", { className: "band" });
          swatch.style.background = BAND_COLOURS[band]!;
          return el("li", {}, swatch, tf("withinMinutes", { m }));
        }),
      ),
      ...(answer.not_reachable.length ? [el("p", { className: "warning", textContent: tf("serviceNotReachable", { n: answer.not_reachable.length }) })] : []),
      close,
    );
    legend.hidden = false;
  };

  draw = async (asked: Asked) => {
    const q = new URLSearchParams({ layer: asked.layer, minutes: asked.minutes });
    if (asked.id !== undefined) q.set("id", String(asked.id));
    if (asked.avoid) q.set("avoid_hazards", asked.avoid);
    try {
      const answer = await api<ServiceArea>(`/api/v1/service-area?${q}`);
      const breaks = answer.features.map((f) => f.properties.minutes).sort((a, b) => a - b);
      shown = { asked, answer };
      (map.getSource("service-area") as GeoJSONSource).setData({
        type: "FeatureCollection",
        // largest first (as answered): the nearer bands are drawn over the farther
        features: answer.features.flatMap((f) =>
          f.geometry ? [{ type: "Feature" as const, geometry: f.geometry, properties: { ...f.properties, band: breaks.indexOf(f.properties.minutes) } }] : [],
        ),
      });
      render();
    } catch (err) {
      showError(err);
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void draw?.({ layer: layer.value as Served, minutes: minutes.value, avoid: avoid.value });
  });
  onChanges(() => shown && void draw?.(shown.asked));
  onLangChange(render);
  render();
}

/** The popup's 服务范围 button of a team, shelter or depot. */
export function serviceAreaButton(layer: string, id: number, name: string, done: () => void): HTMLButtonElement[] {
  if (!(SERVED as readonly string[]).includes(layer) || !draw) return [];
  const b = el("button", { type: "button", className: "service-area", textContent: t("serviceArea") });
  b.addEventListener("click", () => {
    done();
    showServiceArea(layer as Served, id, name);
  });
  return [b];
}
