import type { Map } from "maplibre-gl";
import { layerInfo } from "../api.ts";
import { formatFeatures, label, onLangChange, t } from "../i18n.ts";
import { el } from "./ui.ts";

/** The formats GET /api/v1/layers/:layer/export writes, with what analysts know them by. */
const FORMATS = [
  { value: "gpkg", text: "GeoPackage (.gpkg)" },
  { value: "shp", text: "Shapefile (.zip)" },
  { value: "geojson", text: "GeoJSON" },
  { value: "csv", text: "CSV (Excel)" },
  { value: "kml", text: "KML (Google Earth / 奥维)" },
];

/** Analyst: download any layer, the derived risk layers included, in any format, optionally only what is in view. */
export async function exportPanel(map: Map) {
  document.querySelector<HTMLElement>("#export")!.hidden = false;
  const body = document.querySelector("#export .body")!;
  const layers = await layerInfo();
  const layer = el("select", { id: "export-layer" }, ...layers.map((l) => el("option", { value: l.name })));
  const format = el("select", { id: "export-format" }, ...FORMATS.map((f) => el("option", { value: f.value, textContent: f.text })));
  const inView = el("input", { id: "export-in-view", type: "checkbox" });
  const link = el("a", { id: "export-link", className: "button" });
  const layerLabel = el("label", {}, "", layer);
  const formatLabel = el("label", {}, "", format);
  const viewLabel = el("label", {}, inView, "");
  body.append(layerLabel, formatLabel, viewLabel, link);

  const bbox = () => {
    const b = map.getBounds();
    const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v)).toFixed(6);
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(",");
  };
  const update = () => {
    const info = layers.find((l) => l.name === layer.value)!;
    link.href = `/api/v1/layers/${info.name}/export?format=${format.value}${inView.checked ? `&bbox=${bbox()}` : ""}`;
    // the server names the file (layer and date); the attribute makes it a download, not a page
    link.setAttribute("download", "");
    link.textContent = inView.checked ? t("downloadInView") : `${t("download")} · ${formatFeatures(info.count)}`;
  };
  const texts = () => {
    for (const o of layer.options) o.textContent = label(layers.find((l) => l.name === o.value)!.label);
    layerLabel.firstChild!.textContent = t("layer");
    formatLabel.firstChild!.textContent = t("format");
    viewLabel.lastChild!.textContent = t("onlyInView");
    update();
  };
  for (const input of [layer, format, inView]) input.addEventListener("change", update);
  map.on("moveend", update);
  onLangChange(texts);
  texts();
}
