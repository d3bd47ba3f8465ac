import type { Field } from "../layers/fields.ts";
import { allFields, type Layer } from "../layers/layer.ts";
import type { FeatureCollection } from "./feature_collections.ts";
import { MEDIA, href, selfLinks, type Format, type Link } from "./links.ts";

/** JSON Schema of one field's value, as a client filtering on it needs it (Part 3 §6.2). */
function valueType(field: Field): Record<string, unknown> {
  switch (field.kind) {
    case "text":
      return { type: "string", ...(field.max ? { maxLength: field.max } : {}), ...(field.pattern ? { pattern: field.pattern.source } : {}) };
    case "integer":
    case "number":
      return { type: field.kind, ...(field.min !== undefined ? { minimum: field.min } : {}), ...(field.max !== undefined ? { maximum: field.max } : {}) };
    case "date":
      return { type: "string", format: "date" };
    case "boolean":
      return { type: "boolean" };
    case "enum":
      return { type: "string", enum: Object.keys(field.values) };
    case "text_list":
      return { type: "array", items: field.values ? { type: "string", enum: Object.keys(field.values) } : { type: "string" } };
  }
}

/** The properties usable as `?name=value` filters on a collection's items: every attribute of the layer. */
export function queryableProperties(layer: Layer): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(allFields(layer)).map(([name, f]) => [name, { title: f.label.zh, description: f.label.en, ...valueType(f) }]));
}

/** `/collections/:id/queryables` as JSON Schema 2019-09 (Part 3 /req/queryables). */
export function queryables(base: string, c: FeatureCollection, format: Format): Record<string, unknown> & { links: Link[] } {
  const path = `/collections/${c.id}/queryables`;
  return {
    $schema: "https://json-schema.org/draft/2019-09/schema",
    $id: href(base, path),
    type: "object",
    title: c.title,
    description: `${c.description}: properties usable as query parameters on /collections/${c.id}/items`,
    properties: queryableProperties(c.layer),
    additionalProperties: false,
    links: selfLinks(base, path, {}, format, MEDIA.schema, "queryables"),
  };
}
