import type { LayerSpecification, Map, StyleSpecification } from "maplibre-gl";
import type { StyleMetadata } from "../../../server/styles/hazmap_style.ts";

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

export const legendOf = (map: Map): Legend => (map.getStyle().metadata as StyleMetadata)["hazmap:legend"];

/** The vector tile source holding every layer. */
export const tileSourceOf = (map: Map): string => Object.keys(map.getStyle().sources).find((s) => map.getStyle().sources[s]!.type === "vector")!;
