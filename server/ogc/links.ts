/** Media types of OGC API – Features (Part 1 §8, §10) and the OpenAPI 3.0 media type GDAL asks for. */
export const MEDIA = {
  json: "application/json",
  geojson: "application/geo+json",
  html: "text/html",
  openapi: "application/vnd.oai.openapi+json;version=3.0",
  schema: "application/schema+json",
} as const;

/** OGC API link object (Part 1 §7.x "links"). */
export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

export type Format = "json" | "html";

/** `base` + `path` with query parameters (URL-encoded, in the order given). */
export function href(base: string, path: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `${base}${path}${query ? `?${query}` : ""}`;
}

/** `self` in the format served and `alternate` in the other one, both carrying the same parameters. */
export function selfLinks(base: string, path: string, params: Record<string, string>, format: Format, json: string = MEDIA.json, title = ""): Link[] {
  const as = (f: Format, rel: string): Link => ({
    href: href(base, path, { ...params, f }),
    rel,
    type: f === "html" ? MEDIA.html : json,
    title: `${title}${f === "html" ? " (HTML)" : " (JSON)"}`.trim(),
  });
  return format === "json" ? [as("json", "self"), as("html", "alternate")] : [as("html", "self"), as("json", "alternate")];
}
