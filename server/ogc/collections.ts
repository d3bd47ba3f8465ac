import { CRS84 } from "./conformance.ts";
import type { Bbox } from "./extent.ts";
import type { FeatureCollection } from "./feature_collections.ts";
import { MEDIA, href, selfLinks, type Format, type Link } from "./links.ts";

export const QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables";

export interface CollectionDoc {
  id: string;
  title: string;
  description: string;
  itemType: "feature";
  extent?: { spatial: { bbox: Bbox[]; crs: string } };
  crs: string[];
  storageCrs: string;
  links: Link[];
}

/** One collection per registry layer, or per geometry type of a mixed one (Part 1 §7.14), derived layers included. */
export function collection(base: string, c: FeatureCollection, extent: Bbox | null, format: Format): CollectionDoc {
  const path = `/collections/${c.id}`;
  const queryables = href(base, `${path}/queryables`);
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    itemType: "feature",
    ...(extent ? { extent: { spatial: { bbox: [extent], crs: CRS84 } } } : {}),
    crs: [CRS84],
    storageCrs: CRS84,
    links: [
      ...selfLinks(base, path, {}, format, MEDIA.json, c.title),
      { href: href(base, `${path}/items`), rel: "items", type: MEDIA.geojson, title: `${c.title} (GeoJSON)` },
      { href: href(base, `${path}/items`, { f: "html" }), rel: "items", type: MEDIA.html, title: `${c.title} (HTML)` },
      { href: queryables, rel: QUERYABLES_REL, type: MEDIA.schema, title: "Queryables" },
      // GDAL 3.6 looks for the short relation name
      { href: queryables, rel: "queryables", type: MEDIA.schema, title: "Queryables" },
    ],
  };
}

/** `/collections` (Part 1 §7.13). */
export function collections(base: string, all: readonly FeatureCollection[], extents: (Bbox | null)[], format: Format) {
  return {
    links: selfLinks(base, "/collections", {}, format, MEDIA.json, "collections"),
    collections: all.map((c, i) => collection(base, c, extents[i]!, format)),
  };
}
