import type { LayerSpecification, Map, StyleSpecification } from "maplibre-gl";
import type { LegendKey, StyleMetadata } from "../../../server/styles/hazmap_style.ts";

/**
 * The map's style is the product's own (GET /styles/hazmap.json), the one QGIS and other MapLibre
 * apps draw with too. Each drawn layer names its data layer in metadata["hazmap:layer"]; the root
 * metadata holds the legend colours and the public URL the style's URLs start with.
 */
export type Legend = StyleMetadata["hazmap:legend"];

export async function loadStyle(): Promise<StyleSpecification & { metadata: StyleMetadata }> {
  const res = await fetch("/styles/hazmap.json");
  if (!res.ok) throw new Error(`the map style did not load (${res.status})`);
  return res.json();
}

const dataLayerOf = (l: LayerSpecification) => (l.metadata as { "hazmap:layer"?: string } | undefined)?.["hazmap:layer"];

/** The map layers drawn for each data layer, by data layer in drawing order (bottom to top). */
export function mapLayers(map: Map): globalThis.Map<string, LayerSpecification[]> {
  const byLayer = new globalThis.Map<string, LayerSpecification[]>();
  for (const l of map.getStyle().layers) {
    const name = dataLayerOf(l);
    if (name) byLayer.set(name, [...(byLayer.get(name) ?? []), l]);
  }
  return byLayer;
}

/** Legend keys the app adds while it draws something of its own (a choropleth's classes, suggested sites), by data layer. */
const added = new WeakMap<Map, Record<string, LegendKey[]>>();
const watchers = new WeakMap<Map, (() => void)[]>();

/** Call `f` whenever the app's legend keys change (the layers panel redraws its legend). */
export function onLegendChange(map: Map, f: () => void) {
  watchers.set(map, [...(watchers.get(map) ?? []), f]);
}

/** Show `keys` in the legend under data layer `layer`, after the style's own (none: take them away again). */
export function setLegendKeys(map: Map, layer: string, keys: LegendKey[] | undefined) {
  const mine = { ...added.get(map) };
  if (keys?.length) mine[layer] = keys;
  else delete mine[layer];
  added.set(map, mine);
  for (const f of watchers.get(map) ?? []) f();
}

/** The legend: the style's colours and every symbol drawn, by data layer, the app's own keys included. */
export const legendOf = (map: Map): Legend => {
  const legend = (map.getStyle().metadata as StyleMetadata)["hazmap:legend"];
  const extra = added.get(map) ?? {};
  const keys = { ...legend.keys };
  for (const [layer, more] of Object.entries(extra)) keys[layer] = [...(keys[layer] ?? []), ...more];
  return { ...legend, keys };
};

/** Data layers the app draws itself (not in GET /api/v1/layers), by name: what the layers panel lists for them. */
export interface AppLayer {
  name: string;
  label: { zh: string; en: string };
  count: number;
}
const appLayers = new WeakMap<Map, Record<string, AppLayer>>();

/** List (or update the count of) a data layer the app draws itself; the layers panel redraws. */
export function setAppLayer(map: Map, layer: AppLayer) {
  appLayers.set(map, { ...appLayers.get(map), [layer.name]: layer });
  for (const f of watchers.get(map) ?? []) f();
}
export const appLayerOf = (map: Map, name: string): AppLayer | undefined => appLayers.get(map)?.[name];

/** The vector tile source holding every layer. */
export const tileSourceOf = (map: Map): string => Object.keys(map.getStyle().sources).find((s) => map.getStyle().sources[s]!.type === "vector")!;
