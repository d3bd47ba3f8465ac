import type { Map, VectorTileSource } from "maplibre-gl";
import { tileSourceOf } from "./style.ts";

/**
 * Keep the map current: the server streams every write (SSE); the tiles in view are fetched again
 * (revalidated, never stale), at most a few times a second however busy the edits.
 */
export function followChanges(map: Map) {
  // biome-ignore lint/correctness/noUnusedVariables: read by `??=` below, which keeps one refresh pending
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    const source = map.getSource<VectorTileSource>(tileSourceOf(map));
    if (source?.tiles) source.setTiles(source.tiles);
    timer = undefined;
  };
  new EventSource("/api/v1/changes").addEventListener("change", () => {
    timer ??= setTimeout(refresh, 300);
  });
}
