import { STATUS_FIELDS } from "../auth/permissions.ts";
import type { Layer } from "../layers/layer.ts";
import { schemasOf } from "./schemas.ts";

/**
 * A layer as GET /api/v1/layers lists it: what the web app's toggles, popups and forms read, including
 * the attributes a commander (`update_status`, no `edit`) may change — the server's rule, sent, not copied.
 */
/** `withoutGeometry`: for a layer whose geometry is optional (townships), how many have none. */
export function layerSummary(layer: Layer, count: number, withoutGeometry?: number) {
  return {
    name: layer.name,
    label: layer.label,
    geometry_type: layer.storedAs,
    accepts: layer.geometryTypes,
    read_only: Boolean(layer.readOnly),
    count,
    ...(withoutGeometry === undefined ? {} : { without_geometry: withoutGeometry }),
    schema: schemasOf(layer).properties,
    status_fields: STATUS_FIELDS[layer.name] ?? [],
  };
}

export type LayerSummary = ReturnType<typeof layerSummary>;
