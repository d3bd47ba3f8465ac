import { STATUS_FIELDS } from "../auth/permissions.ts";
import type { Layer } from "../layers/layer.ts";
import { schemasOf } from "./schemas.ts";

/**
 * A layer as GET /api/v1/layers lists it: what the web app's toggles, popups and forms read, including
 * the attributes a commander (`update_status`, no `edit`) may change — the server's rule, sent, not copied.
 */
export function layerSummary(layer: Layer, count: number) {
  return {
    name: layer.name,
    label: layer.label,
    geometry_type: layer.storedAs,
    accepts: layer.geometryTypes,
    read_only: Boolean(layer.readOnly),
    count,
    schema: schemasOf(layer).properties,
    status_fields: STATUS_FIELDS[layer.name] ?? [],
  };
}

export type LayerSummary = ReturnType<typeof layerSummary>;
