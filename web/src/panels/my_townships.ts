import type { LngLatLike, Map } from "maplibre-gl";
import { LngLat } from "maplibre-gl";
import { api } from "../api.ts";
import { can, currentUser } from "../session.ts";
import { tileSourceOf } from "../map/style.ts";
import type { Place } from "../../../server/questions/place.ts";

/** The clerk's own townships (admin codes), or undefined when the account is not held to any (all: "*"). */
export function myTownships(): string[] | undefined {
  const townships = currentUser()?.townships ?? [];
  return can("edit") && !townships.includes("*") ? [...townships] : undefined;
}

/** Where a point is: the nearest village and the township holding it (GET /place). */
export const placeOf = ([lon, lat]: [number, number]) => api<Place>(`/api/v1/place?lon=${lon}&lat=${lat}`);

/** Whether the point lies in one of the clerk's townships (always, for an account not held to townships). */
export async function insideMyTownships(_map: Map, at: LngLatLike): Promise<boolean> {
  const mine = myTownships();
  if (!mine) return true;
  const p = LngLat.convert(at);
  const here = await placeOf([p.lng, p.lat]);
  return here.township?.admin_code ? mine.includes(here.township.admin_code) : false;
}

/** A clerk's townships outlined (wide, dark) and named 辖区 on the map: where they may add and edit. */
export function outlineMyTownships(map: Map, ownWord: string) {
  const mine = myTownships();
  if (!mine?.length) return;
  const source = tileSourceOf(map);
  const inMine = ["in", ["get", "admin_code"], ["literal", mine]] as never;
  map.addLayer({
    id: "my-townships-line",
    type: "line",
    source,
    "source-layer": "townships",
    filter: inMine,
    layout: { "line-join": "round" },
    paint: { "line-color": "#0f3057", "line-width": 3.5, "line-opacity": 0.85 },
  });
  map.addLayer({
    id: "my-townships-label",
    type: "symbol",
    source,
    "source-layer": "townships-labels",
    filter: inMine,
    layout: {
      "text-field": ["concat", ["get", "name"], "\n", ownWord] as never,
      "text-font": ["Noto Sans CJK SC", "sans-serif"],
      "text-size": 15,
      "text-allow-overlap": true,
      "text-offset": [0, 1.4],
    },
    paint: { "text-color": "#0f3057", "text-halo-color": "#fff", "text-halo-width": 2 },
  });
}
