import type { ExportFormat } from "./export_format.ts";
import { geojson } from "./geojson.ts";
import { csv } from "./csv.ts";
import { kml } from "./kml.ts";
import { shapefile } from "./shapefile.ts";
import { geopackage } from "./geopackage.ts";

/** Every export format, by the name `?format=` and the CLI's --format take. */
export const FORMATS = { geojson, csv, kml, shp: shapefile, gpkg: geopackage } satisfies Record<string, ExportFormat>;

export type FormatName = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as [FormatName, ...FormatName[]];

/** `<layer>-<YYYYMMDD>.<ext>`, the name a download is saved under (local date). */
export function exportFileName(layer: string, format: FormatName, now = new Date()): string {
  return datedFileName(layer, FORMATS[format].extension, now);
}

/** `<stem>-<YYYYMMDD>.<extension>` (local date): a layer's export, a plan's sheet. */
export function datedFileName(stem: string, extension: string, now = new Date()): string {
  const day = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, "0")}${String(now.getDate()).padStart(2, "0")}`;
  return `${stem}-${day}.${extension}`;
}
