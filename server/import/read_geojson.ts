import { Problem } from "../http/problem.ts";
import { decodeText } from "./decode_text.ts";
import { geoJsonCrs } from "./geojson_crs.ts";
import type { FileFacts, SourceRow } from "./row_feature.ts";

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
 * A top-level `crs` member (GeoJSON 2008, as GDAL writes it) becomes `facts.crs` unless `crs=` is given;
 * it must come before the features it applies to.
 */
export async function* readGeoJson(bytes: AsyncIterable<Buffer>, crsGiven: boolean, facts: FileFacts): AsyncGenerator<SourceRow[]> {
  let depth = 0; // nesting of objects and arrays at the scan position
  let inString = false,
    escaped = false;
  let topArray = false; // whether depth 2 is an array in the top-level object
  let carry = ""; // the start of a feature cut by a chunk boundary
  let start = -1; // where the current feature starts in the chunk (-1: not in one)
  let row = 0;
  let sawCollection = false;
  let key = ""; // the last string read at depth 1: a member's name
  let crsText: string | undefined; // the top-level `crs` object as it is read (undefined: not in it)
  for await (const chunk of (await decodeText(bytes, "utf-8")).chunks) {
    const rows: SourceRow[] = [];
    let crsStart = crsText === undefined ? -1 : 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        else if (depth === 1) key += chunk[i];
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1) key = "";
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        depth++;
        if (depth === 1) sawCollection = c === OPEN_OBJECT;
        else if (depth === 2) {
          topArray = c === OPEN_ARRAY;
          if (key === "crs" && !topArray && !crsGiven) [crsText, crsStart] = ["", i];
        } else if (depth === 3 && topArray && c === OPEN_OBJECT) start = i;
        else if (depth === 3 && topArray) throw new SyntaxError(`item ${row + 1} of the collection is not a GeoJSON Feature`); // an array: neither a feature nor a bbox number
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (depth === 3 && start >= 0) {
          const text = carry + chunk.slice(start, i + 1);
          carry = "";
          start = -1;
          const f = JSON.parse(text) as { type?: unknown; geometry?: unknown; properties?: Record<string, unknown> | null };
          if (f.type !== "Feature") throw new SyntaxError(`item ${row + 1} of the collection is not a GeoJSON Feature`);
          rows.push({ row: ++row, cells: f.properties ?? {}, geometry: f.geometry ?? null });
        } else if (depth === 2 && crsText !== undefined) {
          facts.crs = geoJsonCrs(JSON.parse(crsText + chunk.slice(crsStart, i + 1)));
          [crsText, crsStart] = [undefined, -1];
          if (row > 0 && facts.crs !== "wgs84") throw crsAfterFeatures();
        }
        depth--;
      }
    }
    if (start >= 0) {
      carry += chunk.slice(start);
      start = 0;
    }
    if (crsText !== undefined) crsText += chunk.slice(crsStart);
    yield rows;
  }
  if (!sawCollection || depth !== 0 || inString) throw new SyntaxError("not a complete GeoJSON FeatureCollection");
}

function crsAfterFeatures() {
  const detail = `the file's "crs" member comes after its features, which were read as WGS 84: give crs=EPSG:<code>`;
  return new Problem(422, "crs-after-features", "Coordinate system given too late", detail, [{ path: ["crs"], message: detail }]);
}
