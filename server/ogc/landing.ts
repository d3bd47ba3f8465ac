import { FEATURE_COLLECTIONS } from "./feature_collections.ts";
import { MEDIA, href, selfLinks, type Format, type Link } from "./links.ts";

export const API_TITLE = "hazmap 应急资源一张图 — OGC API Features";

/** The landing page (Part 1 §7.2): where the API definition, the conformance list and the collections are. */
/** The collections holding one geometry type of a mixed layer, named on the landing page. */
const SPLIT = FEATURE_COLLECTIONS.filter((c) => c.dimension !== undefined)
  .map((c) => c.id)
  .join(", ");

export function landingPage(base: string, format: Format): { title: string; description: string; links: Link[] } {
  return {
    title: API_TITLE,
    description:
      `县级应急管理局的危险源与应急资源图层；每个集合只含一种几何类型，混合图层按点、线、面分为多个集合（${SPLIT}）。` +
      " · A county emergency bureau's hazards and emergency resources, as OGC API – Features. Every collection holds one geometry type" +
      ` (QGIS and GDAL type a collection from its first page), so a layer mixing points, lines and areas is split: ${SPLIT}.` +
      " Read-only; sign in with an API token as the password of HTTP Basic auth (any user name) or as Authorization: Bearer.",
    links: [
      ...selfLinks(base, "", {}, format, MEDIA.json, "this page"),
      { href: href(base, "/api"), rel: "service-desc", type: MEDIA.openapi, title: "API definition (OpenAPI 3.0)" },
      { href: href(base, "/api", { f: "html" }), rel: "service-doc", type: MEDIA.html, title: "API documentation" },
      { href: href(base, "/conformance"), rel: "conformance", type: MEDIA.json, title: "Conformance classes" },
      { href: href(base, "/collections"), rel: "data", type: MEDIA.json, title: "Collections" },
    ],
  };
}
