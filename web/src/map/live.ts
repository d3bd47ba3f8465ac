import type { Map, VectorTileSource } from "maplibre-gl";
import { tileSourceOf } from "./style.ts";
import type { Change } from "../../../server/live/change_feed.ts";

const listeners: ((layers: Set<string>) => void)[] = [];

/** Called (at most a few times a second) after writes, with the layers written: an open answer asks again, as the tiles are fetched again. */
export const onChanges = (f: (layers: Set<string>) => void) => listeners.push(f);

/**
 * Keep the map current: the server streams every write (SSE); the tiles in view are fetched again
 * (revalidated, never stale), and the open answers asked again, at most a few times a second however
 * busy the edits.
 */
export function followChanges(map: Map) {
  // biome-ignore lint/correctness/noUnusedVariables: read by `??=` below, which keeps one refresh pending
  let timer: ReturnType<typeof setTimeout> | undefined;
  let written = new Set<string>();
  const refresh = () => {
    const source = map.getSource<VectorTileSource>(tileSourceOf(map));
    if (source?.tiles) source.setTiles(source.tiles);
    const layers = written;
    written = new Set();
    listeners.forEach((f) => f(layers));
    timer = undefined;
  };
  new EventSource("/api/v1/changes").addEventListener("change", (e) => {
    written.add((JSON.parse(e.data) as Change).layer);
    timer ??= setTimeout(refresh, 300);
  });
}
