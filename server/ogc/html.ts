import { allFields, type Layer } from "../layers/layer.ts";
import type { CollectionDoc } from "./collections.ts";
import type { FeatureCollection } from "./feature_collections.ts";
import type { Link } from "./links.ts";

/** Server-rendered HTML for people browsing the API (Part 1 /req/html): small, no external assets, everything escaped. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (v: unknown): string => String(v ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const a = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

/** Served as /ogc/style.css: the security policy allows stylesheets from this origin only, not inline. */
export const STYLESHEET =
  "body{font:14px/1.5 system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}nav{margin-bottom:1em}code{font-size:90%}";

function page(title: string, root: string, body: string, links: Link[] = []): string {
  const alternates = links.filter((l) => l.rel === "alternate" || l.rel === "prev" || l.rel === "next");
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="${escapeHtml(root)}/style.css"></head>` +
    `<body><nav>${a(root, "OGC API 首页 Home")} · ${a(`${root}/collections`, "图层 Collections")}</nav><h1>${escapeHtml(title)}</h1>${body}` +
    (alternates.length ? `<p>${alternates.map((l) => a(l.href, `${l.rel}: ${l.title ?? l.type}`)).join(" · ")}</p>` : "") +
    "</body></html>"
  );
}

const list = (links: Link[]) =>
  `<ul>${links.map((l) => `<li>${a(l.href, l.title ?? l.href)} <small>(${escapeHtml(l.rel)}, ${escapeHtml(l.type)})</small></li>`).join("")}</ul>`;

export function landingHtml(root: string, doc: { title: string; description: string; links: Link[] }): string {
  return page(doc.title, root, `<p>${escapeHtml(doc.description)}</p>${list(doc.links.filter((l) => l.rel !== "self"))}`);
}

export function conformanceHtml(root: string, classes: readonly string[], links: Link[]): string {
  return page("一致性 Conformance", root, `<ul>${classes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join("")}</ul>`, links);
}

const extentText = (c: CollectionDoc) => (c.extent ? c.extent.spatial.bbox[0]!.map((n) => n.toFixed(5)).join(", ") : "—");

export function collectionsHtml(root: string, docs: CollectionDoc[], links: Link[]): string {
  const rows = docs.map(
    (c) =>
      `<tr><td>${a(`${root}/collections/${c.id}`, c.title)}</td><td><code>${escapeHtml(c.id)}</code></td><td>${escapeHtml(c.description)}</td><td>${extentText(c)}</td><td>${a(`${root}/collections/${c.id}/items?f=html`, "要素 items")}</td></tr>`,
  );
  return page(
    "图层 Collections",
    root,
    `<table><tr><th>名称</th><th>id</th><th>Description</th><th>范围 Extent (lon/lat)</th><th></th></tr>${rows.join("")}</table>`,
    links,
  );
}

export function collectionHtml(root: string, doc: CollectionDoc, layer: Layer): string {
  const fields = Object.entries(allFields(layer)).map(
    ([n, f]) =>
      `<tr><td><code>${escapeHtml(n)}</code></td><td>${escapeHtml(f.label.zh)}</td><td>${escapeHtml(f.label.en)}</td><td>${escapeHtml(f.kind)}</td></tr>`,
  );
  return page(
    doc.title,
    root,
    `<p>${escapeHtml(doc.description)}</p><p>范围 Extent: ${extentText(doc)} · CRS: <code>${escapeHtml(doc.crs[0])}</code></p>` +
      `${list(doc.links.filter((l) => l.rel !== "self" && l.rel !== "alternate"))}<h2>属性 Properties</h2><table><tr><th>name</th><th>中文</th><th>English</th><th>kind</th></tr>${fields.join("")}</table>`,
    doc.links,
  );
}

interface Feature {
  id: number;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  return escapeHtml(Array.isArray(v) ? v.join("、") : typeof v === "object" ? JSON.stringify(v) : v);
}

function geometryText(g: Feature["geometry"]): string {
  if (!g) return "";
  return g.type === "Point" ? (g.coordinates as number[]).map((n) => n.toFixed(6)).join(", ") : g.type;
}

export function itemsHtml(root: string, c: FeatureCollection, features: Feature[], numberMatched: number | undefined, links: Link[]): string {
  const names = Object.keys(allFields(c.layer));
  const labels = allFields(c.layer);
  const head = `<tr><th>id</th>${names.map((n) => `<th>${escapeHtml(labels[n]!.label.zh)}</th>`).join("")}<th>几何 Geometry</th></tr>`;
  const rows = features.map(
    (f) =>
      `<tr><td>${a(`${root}/collections/${c.id}/items/${f.id}?f=html`, String(f.id))}</td>${names.map((n) => `<td>${cell(f.properties[n])}</td>`).join("")}<td>${escapeHtml(geometryText(f.geometry))}</td></tr>`,
  );
  const count = `${features.length} 个要素 features${numberMatched !== undefined ? ` / 共 ${numberMatched} matched` : ""}`;
  return page(`${c.title} · 要素 Items`, root, `<p>${escapeHtml(count)}</p><table>${head}${rows.join("")}</table>`, links);
}

export function itemHtml(root: string, c: FeatureCollection, feature: Feature, links: Link[]): string {
  const rows = Object.entries(allFields(c.layer)).map(
    ([n, f]) => `<tr><th>${escapeHtml(f.label.zh)} <small>${escapeHtml(n)}</small></th><td>${cell(feature.properties[n])}</td></tr>`,
  );
  const geometry = `<tr><th>几何 Geometry</th><td><code>${escapeHtml(JSON.stringify(feature.geometry))}</code></td></tr>`;
  return page(`${c.title} ${feature.id}: ${String(feature.properties.name ?? "")}`, root, `<table>${rows.join("")}${geometry}</table>`, links);
}

export function queryablesHtml(root: string, c: FeatureCollection, properties: Record<string, Record<string, unknown>>, links: Link[]): string {
  const rows = Object.entries(properties).map(
    ([n, s]) =>
      `<tr><td><code>${escapeHtml(n)}</code></td><td>${escapeHtml(s.title)}</td><td>${escapeHtml(s.type)}${s.enum ? `: ${escapeHtml((s.enum as string[]).join(", "))}` : ""}</td></tr>`,
  );
  return page(
    `${c.title} · 可查询属性 Queryables`,
    root,
    `<p>Use as <code>?name=value</code> on the items.</p><table><tr><th>name</th><th>中文</th><th>type</th></tr>${rows.join("")}</table>`,
    links,
  );
}

/** service-doc: the OpenAPI document read as a list of operations and their parameters. */
export function apiHtml(
  root: string,
  doc: { paths: Record<string, { get: { summary: string; parameters: { name?: string; $ref?: string; description?: string }[] } }> },
): string {
  const items = Object.entries(doc.paths).map(([path, { get }]) => {
    const params = get.parameters.map((p) => escapeHtml(p.name ?? p.$ref?.split("/").pop())).join(", ");
    return `<tr><td><code>GET ${escapeHtml(path)}</code></td><td>${escapeHtml(get.summary)}</td><td>${params}</td></tr>`;
  });
  return page(
    "API 文档 Documentation",
    root,
    `<p>${a(`${root}/api?f=json`, "OpenAPI 3.0 (JSON)")}</p><table><tr><th>path</th><th>summary</th><th>parameters</th></tr>${items.join("")}</table>`,
  );
}
