import type { z } from "zod";
import { characters, TEXT_MAX, valueSchema, type Field } from "../layers/fields.ts";
import { inputFields, type Layer } from "../layers/layer.ts";
import type { Geometry } from "../layers/geometry.ts";

export interface ValidFeature {
  geometry?: Geometry | null;
  properties: Record<string, unknown>;
}

/** A value's check: what the schema returns for it, or INVALID for anything it might refuse. */
type Check = (v: unknown) => unknown;
const INVALID = Symbol("invalid");

/** The field's own zod schema, read for its bounds so they are stated once (layers/fields.ts). */
function check(field: Field): Check {
  const schema = valueSchema(field);
  switch (field.kind) {
    case "text": {
      const max = field.max ?? TEXT_MAX;
      const min = field.required ? 1 : 0; // a trimmed text that is not empty holds more than blanks
      const pattern = field.pattern;
      return (v) => {
        if (typeof v !== "string" || (v.length > max && characters(v) > max) || v.length < min || v.trim() !== v || v.includes("\u0000")) return INVALID;
        if (pattern) pattern.lastIndex = 0; // as zod does, for a pattern with the g flag
        return !pattern || pattern.test(v) ? v : INVALID;
      };
    }
    case "integer":
    case "number": {
      const { minValue, maxValue } = schema as z.ZodNumber;
      const integer = field.kind === "integer";
      return (v) => (typeof v === "number" && (integer ? Number.isSafeInteger(v) : Number.isFinite(v)) && v >= minValue! && v <= maxValue! ? v : INVALID);
    }
    case "enum":
      return (v) => (typeof v === "string" && Object.hasOwn(field.values, v) ? v : INVALID);
    case "boolean":
      return (v) => (typeof v === "boolean" ? v : INVALID);
    default: // rarer kinds: the field's own schema, whose result may differ from its input (a list's items trimmed)
      return (v) => {
        const r = schema.safeParse(v);
        return r.success ? r.data : INVALID;
      };
  }
}

const inRange = (c: unknown, limit: number) => typeof c === "number" && c >= -limit && c <= limit;

/**
 * What the layer's create schema returns for a feature, worked out directly when the feature is
 * plainly valid — nearly every row of a file — or undefined: then zod decides and explains. It never
 * accepts what the schema refuses (every check is the schema's own, any other shape goes to zod), and
 * the result is the schema's. Points only; other geometries always go to zod.
 */
export function plainlyValid(layer: Layer): (geometry: unknown, properties: Record<string, unknown>) => ValidFeature | undefined {
  const fields = inputFields(layer);
  const checks = new Map(Object.entries(fields).map(([name, f]) => [name, check(f)]));
  const required = Object.keys(fields).filter((name) => fields[name]!.required);
  const points = layer.geometryTypes.includes("Point");
  return (geometry, properties) => {
    const g = geometry as { type?: unknown; coordinates?: unknown } | null;
    if (!points || typeof g !== "object" || g === null || g.type !== "Point") return undefined;
    const c = g.coordinates;
    // a position is [lon, lat] or [lon, lat, elevation], finite numbers
    if (!Array.isArray(c) || c.length < 2 || c.length > 3 || !inRange(c[0], 180) || !inRange(c[1], 90) || (c.length === 3 && !Number.isFinite(c[2])))
      return undefined;
    const valid: Record<string, unknown> = {};
    for (const name in properties) {
      const v = checks.get(name)?.(properties[name]) ?? INVALID;
      if (v === INVALID) return undefined;
      valid[name] = v;
    }
    for (const name of required) if (!(name in valid)) return undefined;
    return { geometry: { type: "Point", coordinates: c }, properties: valid };
  };
}
