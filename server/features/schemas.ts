import { z } from "zod";
import { filterSchema, valueLabels, valueSchema, type Field, type Label } from "../layers/fields.ts";
import { allFields, inputFields, SYSTEM_PROPERTIES, type Layer } from "../layers/layer.ts";
import { geometrySchema } from "../layers/geometry.ts";

/** The schemas generic over the registry, built once per layer. */
export interface LayerSchemas {
  create: z.ZodType<{ geometry?: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> }>;
  patch: z.ZodType<{ geometry?: { type: string; coordinates: unknown } | null; properties?: Record<string, unknown> }>;
  list: z.ZodType<ListQuery>;
  /** JSON Schema of a feature's properties, each with its zh/en label (and code labels). */
  properties: { properties: Record<string, AttributeSchema> } & Record<string, unknown>;
}

/** One attribute as JSON Schema (zod's; an optional one is `anyOf` it and null), with its labels. */
export interface AttributeSchema {
  type?: string | string[];
  enum?: string[];
  format?: string;
  anyOf?: AttributeSchema[];
  items?: unknown;
  default?: unknown;
  /** Taken on create and update, never answered (a village's township_name). */
  writeOnly?: boolean;
  "x-label": Label;
  /** The words for its codes: all of them (an enum), or the known ones (risk levels, a team's specialties). */
  "x-value-labels"?: Record<string, Label>;
  /** When absent, the value taken from another attribute's (a road's speed from its class). */
  "x-default-by"?: { field: string; values: Record<string, number> };
}

export interface ListQuery {
  bbox?: [number, number, number, number];
  limit: number;
  offset: number;
  /** Substring of the name (Chinese or Latin, case-insensitive). */
  q?: string;
  filters: Record<string, unknown[]>;
}

const coord = (min: number, max: number) => z.coerce.number().refine(Number.isFinite, "must be a number").pipe(z.number().min(min).max(max));

/** `bbox=minLon,minLat,maxLon,maxLat` in EPSG:4326 degrees. */
export const bboxSchema = z
  .preprocess(
    (s) => (typeof s === "string" ? s.split(",") : s),
    z.tuple([coord(-180, 180), coord(-90, 90), coord(-180, 180), coord(-90, 90)], { error: "must be minLon,minLat,maxLon,maxLat" }),
  )
  .refine(([x0, y0, x1, y1]) => x0 <= x1 && y0 <= y1, "min must not exceed max (minLon,minLat,maxLon,maxLat)");

/** Properties sent by clients that the server owns; ignored on input so a fetched feature can be sent back. */
function withoutSystemProperties(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const k of SYSTEM_PROPERTIES) delete copy[k];
  return copy;
}

/** A field's value as a request body may give it: required, or optional and nullable (null stands for the
 * column's default where it has one). */
function bodyValue(f: Field, mode: "create" | "patch"): z.ZodType {
  const value = valueSchema(f);
  if (f.required) return mode === "create" ? value : value.optional();
  const fallback = "default" in f ? f.default : undefined;
  return fallback === undefined
    ? value.nullable().optional()
    : value
        .nullable()
        .optional()
        .transform((v) => (v === null ? fallback : v));
}

function propertiesSchema(layer: Layer, mode: "create" | "patch") {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, f] of Object.entries(inputFields(layer))) shape[name] = bodyValue(f, mode);
  return z.preprocess(
    withoutSystemProperties,
    z.strictObject(shape, { error: (i) => (i.code === "unrecognized_keys" ? "not an attribute of this layer" : "must be an object") }),
  );
}

/**
 * The JSON Schema of a feature's properties as create accepts them, each with its zh/en label (and code
 * labels): what zod says, plus the default null stands for, and input-only attributes marked writeOnly.
 */
function publishedSchema(layer: Layer): LayerSchemas["properties"] {
  const fields = inputFields(layer);
  const json = z.toJSONSchema(z.strictObject(Object.fromEntries(Object.entries(fields).map(([n, f]) => [n, bodyValue(f, "create")]))), {
    io: "input",
    unrepresentable: "any",
  }) as { properties: Record<string, Omit<AttributeSchema, "x-label">> };
  const properties: Record<string, AttributeSchema> = {};
  for (const [n, f] of Object.entries(fields)) {
    properties[n] = {
      ...json.properties[n],
      ...("default" in f && f.default !== undefined ? { default: f.default } : {}),
      ...(n in (layer.inputOnly ?? {}) ? { writeOnly: true } : {}),
      "x-label": f.label,
      ...(valueLabels(f) ? { "x-value-labels": valueLabels(f) } : {}),
      ...("defaultBy" in f && f.defaultBy ? { "x-default-by": f.defaultBy } : {}),
    };
  }
  return { ...json, properties };
}

function build(layer: Layer): LayerSchemas {
  const fields = allFields(layer);
  const shape = geometrySchema(layer.geometryTypes);
  // a layer whose geometry is optional takes none, or null (GeoJSON's unlocated feature, RFC 7946 §3.2)
  const geometry = layer.geometryOptional ? shape.nullable().optional() : shape;
  const feature = { type: z.literal("Feature").optional(), id: z.unknown().optional(), bbox: z.unknown().optional() };
  const create = z.object({ ...feature, geometry, properties: propertiesSchema(layer, "create") });
  const patch = z
    .object({ ...feature, geometry: layer.geometryOptional ? geometry : shape.optional(), properties: propertiesSchema(layer, "patch").optional() })
    .refine((p) => p.geometry !== undefined || (p.properties && Object.keys(p.properties).length > 0), "nothing to change: send properties and/or geometry");

  const filters: Record<string, z.ZodType> = {};
  for (const [name, f] of Object.entries(fields)) filters[name] = filterSchema(f).optional();
  const list = z
    .strictObject(
      {
        bbox: bboxSchema.optional(),
        limit: z.coerce.number().int().min(1).max(10_000).default(100),
        offset: z.coerce.number().int().min(0).default(0),
        q: z.string().trim().min(1).max(200).optional(),
        ...filters,
      },
      { error: (i) => (i.code === "unrecognized_keys" ? `unknown parameter; filters are ${Object.keys(fields).join(", ")}` : undefined) },
    )
    .transform(({ bbox, limit, offset, q, ...rest }) => ({
      bbox,
      limit,
      offset,
      q,
      filters: Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, unknown[]>,
    }));

  return {
    create: create as LayerSchemas["create"],
    patch: patch as LayerSchemas["patch"],
    list: list as z.ZodType<ListQuery>,
    properties: publishedSchema(layer),
  };
}

const cache = new Map<Layer, LayerSchemas>();
export function schemasOf(layer: Layer): LayerSchemas {
  let s = cache.get(layer);
  if (!s) cache.set(layer, (s = build(layer)));
  return s;
}
