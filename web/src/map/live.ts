import type { Map, VectorTileSource } from "maplibre-gl";
import { tileSourceOf } from "./style.ts";

const listeners: (() => void)[] = [];

/** Called (at most a few times a second) after writes: an open answer asks again, as the tiles are fetched again. */
export const onChanges = (f: () => void) => listeners.push(f);

/**
 * Keep the map current: the server streams every write (SSE); the tiles in view are fetched again
 * (revalidated, never stale), and the open answers asked again, at most a few times a second however
 * busy the edits.
 */
export function followChanges(map: Map) {
  // biome-ignore lint/correctness/noUnusedVariables: read by `??=` below, which keeps one refresh pending
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    const source = map.getSource<VectorTileSource>(tileSourceOf(map));
    if (source?.tiles) source.setTiles(source.tiles);
    listeners.forEach((f) => f());
    timer = undefined;
  };
  new EventSource("/api/v1/changes").addEventListener("change", () => {
    timer ??= setTimeout(refresh, 300);
  });
}
