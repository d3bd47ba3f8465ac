import type { Map, VectorTileSource } from "maplibre-gl";

/**
 * Keep the map current: the server streams every write (SSE); the layer's tiles are fetched again
 * (revalidated, never stale), at most a few times a second however busy the edits.
 */
export function followChanges(map: Map) {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    for (const layer of pending) {
      const source = map.getSource<VectorTileSource>(layer);
      if (source?.tiles) source.setTiles(source.tiles);
    }
    pending.clear();
    timer = undefined;
  };
  new EventSource("/api/v1/changes").addEventListener("change", (e) => {
    pending.add(JSON.parse((e as MessageEvent<string>).data).layer);
    timer ??= setTimeout(refresh, 300);
  });
}
