import { decodeText } from "./decode_text.ts";
import type { SourceRow } from "./row_feature.ts";

const QUOTE = 34,
  BACKSLASH = 92,
  OPEN_OBJECT = 123,
  CLOSE_OBJECT = 125,
  OPEN_ARRAY = 91,
  CLOSE_ARRAY = 93;

/**
 * The features of a GeoJSON FeatureCollection as they stream in, a batch per chunk read, numbered
 * from 1. No streaming JSON parser is installed, so a small scanner cuts out each object that sits in
 * a top-level array (`features`; a top-level `bbox` holds numbers, not objects) and JSON.parse reads it.
 */
export async function* readGeoJson(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRow[]> {
  let depth = 0; // nesting of objects and arrays at the scan position
  let inString = false,
    escaped = false;
  let topArray = false; // whether depth 2 is an array in the top-level object
  let carry = ""; // the start of a feature cut by a chunk boundary
  let start = -1; // where the current feature starts in the chunk (-1: not in one)
  let row = 0;
  let sawCollection = false;
  for await (const chunk of (await decodeText(bytes, "utf-8")).chunks) {
    const rows: SourceRow[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        depth++;
        if (depth === 1) sawCollection = c === OPEN_OBJECT;
        else if (depth === 2) topArray = c === OPEN_ARRAY;
        else if (depth === 3 && topArray && c === OPEN_OBJECT) start = i;
        else if (depth === 3 && topArray) throw new SyntaxError(`item ${row + 1} of the collection is not a GeoJSON Feature`); // an array: neither a feature nor a bbox number
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (depth === 3 && start >= 0) {
          const text = carry + chunk.slice(start, i + 1);
          carry = "";
          start = -1;
          const f = JSON.parse(text) as { type?: unknown; geometry?: unknown; properties?: Record<string, unknown> | null };
          if (f.type !== "Feature") throw new SyntaxError(`item ${row + 1} of the collection is not a GeoJSON Feature`);
          rows.push({ row: ++row, cells: f.properties ?? {}, geometry: f.geometry ?? null });
        }
        depth--;
      }
    }
    if (start >= 0) {
      carry += chunk.slice(start);
      start = 0;
    }
    yield rows;
  }
  if (!sawCollection || depth !== 0 || inString) throw new SyntaxError("not a complete GeoJSON FeatureCollection");
}
