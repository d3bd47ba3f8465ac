import { featureJson } from "../sql/feature_json.ts";
import { exportableFields } from "./columns.ts";
import type { ExportFormat } from "./export_format.ts";
import { pipeTextRows, selectSql } from "./rows.ts";

/** RFC 7946 FeatureCollection; each Feature is the text the features API sends (top-level id). */
export const geojson: ExportFormat = {
  extension: "geojson",
  contentType: "application/geo+json",
  write(db, r, out) {
    const omit = new Set(exportableFields(r.layer).filter((f) => !r.fields.includes(f)));
    const head = `{"type":"FeatureCollection","name":${JSON.stringify(r.layer.name)},"features":[\n`;
    return pipeTextRows(db, r, selectSql(db, r, [featureJson(r.layer, omit)]), { head, separator: ",\n", tail: "\n]}\n" }, out);
  },
};
