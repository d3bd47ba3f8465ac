import type { GeoJSONSource, Map } from "maplibre-gl";
import { api, showError } from "../api.ts";
import type { LegendKey, StyleMetadata } from "../../../server/styles/hazmap_style.ts";
import { setLegendKeys } from "./style.ts";

/**
 * The village-risk layer (村庄风险: each village's highest risk level and whether a usable shelter is
 * within reach), drawn on demand from the layers panel. It has no tiles (each row costs several index
 * searches), so it is read as features for the view when shown and again after the map moves.
 */
const LAYER = "village-risk";
const SOURCE = "village-risk";
const NO_RISK = "#b0bec5";
const UNCOVERED = "#212121";

const empty = (): GeoJSON.FeatureCollection => ({ type: "FeatureCollection", features: [] });

/** The map layers of village risk, hidden, beneath every name and icon (the layers panel toggles them). */
export function addVillageRisk(map: Map) {
  const risk = (map.getStyle().metadata as StyleMetadata)["hazmap:legend"].risk;
  map.addSource(SOURCE, { type: "geojson", data: empty() });
  const firstSymbol = map.getStyle().layers.find((l) => l.type === "symbol")?.id;
  const metadata = { "hazmap:layer": LAYER };
  map.addLayer(
    {
      id: "village-risk-point",
      type: "circle",
      source: SOURCE,
      metadata,
      layout: { visibility: "none" },
      paint: {
        "circle-radius": ["interpolate", ["linear"], ["get", "population"], 200, 5, 5000, 10],
        "circle-color": ["match", ["coalesce", ["get", "max_risk_level"], 0], 1, risk[1], 2, risk[2], 3, risk[3], 4, risk[4], NO_RISK],
        "circle-opacity": 0.85,
        // a village with no usable shelter within reach is ringed in black
        "circle-stroke-color": ["case", ["==", ["get", "covered"], false], UNCOVERED, "#ffffff"],
        "circle-stroke-width": ["case", ["==", ["get", "covered"], false], 3, 1],
      },
    },
    firstSymbol,
  );
}

const KEYS = (risk: StyleMetadata["hazmap:legend"]["risk"]): LegendKey[] => [
  ...(
    [
      [1, "最高风险 重大", "Highest risk: major"],
      [2, "最高风险 较大", "Highest risk: significant"],
      [3, "最高风险 一般", "Highest risk: moderate"],
      [4, "最高风险 低", "Highest risk: low"],
    ] as const
  ).map(([n, zh, en]) => ({ symbol: { dot: risk[n] }, label: { zh, en } })),
  { symbol: { dot: NO_RISK }, label: { zh: "不在危险源影响范围内", en: "In no hazard's zone" } },
  { symbol: { dot: "#ffffff", ring: UNCOVERED }, label: { zh: "5 公里内无可用避难场所", en: "No usable shelter within 5 km" } },
];

let following: (() => void) | undefined;

/** Show or hide village risk: shown, it is read for the view now and after every move. */
export function showVillageRisk(map: Map, visible: boolean) {
  const load = () => {
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
    api<GeoJSON.FeatureCollection>(`/api/v1/layers/${LAYER}/features?bbox=${bbox}&limit=10000`)
      .then((fc) => (map.getSource(SOURCE) as GeoJSONSource).setData(fc))
      .catch(showError);
  };
  if (following) map.off("moveend", following);
  following = undefined;
  setLegendKeys(map, LAYER, visible ? KEYS((map.getStyle().metadata as StyleMetadata)["hazmap:legend"].risk) : undefined);
  if (!visible) return;
  following = load;
  map.on("moveend", load);
  load();
}
