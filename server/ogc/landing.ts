import { MEDIA, href, selfLinks, type Format, type Link } from "./links.ts";

export const API_TITLE = "hazmap 应急资源一张图 — OGC API Features";

/** The landing page (Part 1 §7.2): where the API definition, the conformance list and the collections are. */
export function landingPage(base: string, format: Format): { title: string; description: string; links: Link[] } {
  return {
    title: API_TITLE,
    description: "县级应急管理局的危险源与应急资源图层 · A county emergency bureau's hazards and emergency resources, as OGC API – Features",
    links: [
      ...selfLinks(base, "", {}, format, MEDIA.json, "this page"),
      { href: href(base, "/api"), rel: "service-desc", type: MEDIA.openapi, title: "API definition (OpenAPI 3.0)" },
      { href: href(base, "/api", { f: "html" }), rel: "service-doc", type: MEDIA.html, title: "API documentation" },
      { href: href(base, "/conformance"), rel: "conformance", type: MEDIA.json, title: "Conformance classes" },
      { href: href(base, "/collections"), rel: "data", type: MEDIA.json, title: "Collections" },
    ],
  };
}
