import { layerNamed } from "../layers/index.ts";

/**
 * A code's Chinese label as the layer registry declares it (the one source of labels: forms, popups,
 * filters and paper read the same), the code itself when the registry has none for it.
 */
export function labelOf(layer: string, field: string, code: string): string {
  const f = layerNamed(layer).fields[field];
  const values = f && "values" in f ? f.values : undefined;
  return values?.[code]?.zh ?? code;
}

/** A field's own Chinese label (e.g. 地址, 设施). */
export const fieldLabel = (layer: string, field: string): string => layerNamed(layer).fields[field]?.label.zh ?? field;
