import { FEATURE_COLLECTION_TAIL, featureCollectionHead, featureJson } from "../sql/feature_json.ts";
import { exportableFields } from "./columns.ts";
import type { ExportFormat } from "./export_format.ts";
import { pipeTextRows, selectSql } from "./rows.ts";

/** RFC 7946 FeatureCollection; each Feature is the text the features API sends (top-level id). */
export const geojson: ExportFormat = {
  extension: "geojson",
  contentType: "application/geo+json",
  write(db, r, out) {
    const omit = new Set(exportableFields(r.layer).filter((f) => !r.fields.includes(f)));
    const head = `${featureCollectionHead({ name: r.layer.name })}\n`;
    return pipeTextRows(db, r, selectSql(db, r, [featureJson(r.layer, omit)]), { head, separator: ",\n", tail: `\n${FEATURE_COLLECTION_TAIL}\n` }, out);
  },
};
