import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startWorld, type World } from "../support/world.ts";
import { SAMPLES } from "../fixtures/features.ts";

/**
 * The JSON Schema each layer publishes (`GET /api/v1/layers`, `schema`) and what POST and PATCH accept
 * must agree: property documents generated from the published schema are accepted (201 / 200), and a
 * near miss — one property made to break the schema — is refused with 400 naming that property.
 * The schema is read as a client reads it, by a small validator written here for the keywords it uses
 * (an unknown keyword fails the test rather than pass unchecked). What JSON Schema cannot say comes from
 * the database's own catalog: a value referring to another table must exist there (villages'
 * township_code; township_name names a township), and a unique value taken by another feature is a
 * 409 naming it. `FUZZ_RUNS` scales the number of documents per layer (default 150).
 */
const RUNS = Math.max(20, Math.round(Number(process.env.FUZZ_RUNS === "full" ? 1500 : (process.env.FUZZ_RUNS ?? 150))));

type Schema = Record<string, unknown>;
interface LayerInfo {
  name: string;
  read_only: boolean;
  accepts: string[];
  schema: { properties: Record<string, Schema>; required?: string[] };
}

let w: World;
let layers: LayerInfo[];
/** Single-column unique constraints and references, by table, from pg_catalog. */
let unique: Map<string, Set<string>>;
const TOWNSHIPS = [
  { name: "青山镇", admin_code: "510199101000", written: ["青山镇", "青山鎮", " 青山 镇 "] },
  { name: "埔里鎮", admin_code: "10008020", written: ["埔里鎮", "埔里镇"] },
  { name: "白石乡", admin_code: "510199201", written: ["白石乡", "白石鄉", "510199201"] },
];

beforeAll(async () => {
  w = await startWorld();
  for (const t of TOWNSHIPS) {
    const res = await w.fetch(`${w.base}/api/v1/layers/townships/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ geometry: SAMPLES.townships!.feature.geometry, properties: { name: t.name, admin_code: t.admin_code } }),
    });
    expect(res.status, await res.text()).toBe(201);
  }
  layers = (await (await w.fetch(`${w.base}/api/v1/layers`)).json()).layers;
  const { rows } = await w.db.raw(`
    SELECT c.conrelid::regclass::text AS t, a.attname AS c
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'u' AND array_length(c.conkey, 1) = 1 AND c.connamespace = 'public'::regnamespace`);
  unique = new Map();
  for (const r of rows as { t: string; c: string }[]) unique.set(r.t, (unique.get(r.t) ?? new Set()).add(r.c));
});
afterAll(() => w?.close());

// ---- the schema, read as a client reads it ----

const KNOWN = new Set([
  "type",
  "anyOf",
  "allOf",
  "enum",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "format",
  "items",
  "maxItems",
  "minItems",
  "default",
  "writeOnly",
  "x-label",
  "x-value-labels",
  "x-default-by",
  "$schema",
  "description",
  "title",
]);

/** The alternatives a value may take, each of one type, with the keywords that apply to it. */
function alternatives(s: Schema): Schema[] {
  for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`keyword ${k} is not understood by this test`);
  const { anyOf, type, ...rest } = s;
  if (Array.isArray(anyOf)) return (anyOf as Schema[]).flatMap((a) => alternatives({ ...rest, ...a }));
  if (Array.isArray(type)) return type.map((t) => ({ ...rest, type: t }));
  if (type === undefined && Array.isArray(rest.enum)) return [{ ...rest, type: "string" }];
  return [{ ...rest, type }];
}

const patternsOf = (s: Schema): RegExp[] => [
  ...(typeof s.pattern === "string" ? [new RegExp(s.pattern, "u")] : []),
  ...((s.allOf as Schema[] | undefined) ?? []).map((a) => {
    if (Object.keys(a).some((k) => k !== "pattern")) throw new Error(`allOf holds more than patterns: ${JSON.stringify(a)}`);
    return new RegExp(a.pattern as string, "u");
  }),
];
const codePoints = (v: string) => [...v].length;

/** Whether a value is valid against one property's schema (JSON Schema 2020-12 semantics, for these keywords). */
function valid(v: unknown, s: Schema): boolean {
  return alternatives(s).some((a) => {
    switch (a.type) {
      case "null":
        return v === null;
      case "boolean":
        return typeof v === "boolean";
      case "string":
        return (
          typeof v === "string" &&
          (!a.enum || (a.enum as unknown[]).includes(v)) &&
          codePoints(v) <= ((a.maxLength as number | undefined) ?? Infinity) &&
          codePoints(v) >= ((a.minLength as number | undefined) ?? 0) &&
          patternsOf(a).every((p) => p.test(v)) &&
          (a.format !== "date" || !Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
        );
      case "integer":
      case "number":
        return (
          typeof v === "number" &&
          Number.isFinite(v) &&
          (a.type === "number" || Number.isInteger(v)) &&
          v >= ((a.minimum as number | undefined) ?? -Infinity) &&
          v <= ((a.maximum as number | undefined) ?? Infinity)
        );
      case "array":
        return (
          Array.isArray(v) &&
          v.length <= ((a.maxItems as number | undefined) ?? Infinity) &&
          v.length >= ((a.minItems as number | undefined) ?? 0) &&
          v.every((x) => valid(x, a.items as Schema))
        );
      default:
        throw new Error(`type ${String(a.type)} is not understood by this test`);
    }
  });
}

// ---- documents from the schema ----

const texts = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: "grapheme", maxLength: Math.min(max, 30) }) },
    { weight: 2, arbitrary: fc.constantFrom("应急避难场所", " 两头有空格 ", "\t制表符", "𠮷野家", "O'Brien; --", "a\u00A0b") },
    // as long as allowed, in characters beyond the BMP (two UTF-16 units each) and in plain ones
    { weight: 1, arbitrary: fc.constantFrom("𠮷".repeat(max), "字".repeat(max), "x".repeat(max)) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  );

/** Values valid against one property's schema. */
function arbitraryOf(s: Schema): fc.Arbitrary<unknown> {
  const arbs = alternatives(s).map((a): fc.Arbitrary<unknown> => {
    switch (a.type) {
      case "null":
        return fc.constant(null);
      case "boolean":
        return fc.boolean();
      case "string": {
        if (a.enum) return fc.constantFrom(...(a.enum as string[]));
        const patterns = patternsOf(a);
        const max = (a.maxLength as number | undefined) ?? 2000;
        // the most specific pattern generates; the others (and the length) filter
        const specific = patterns.filter((p) => p.source !== "\\S" && p.source !== "^[^\\u0000]*$");
        const base = specific.length > 0 ? fc.stringMatching(specific[0]!) : texts(max);
        return base.filter((v) => valid(v, a));
      }
      case "integer":
        return fc.integer({ min: Math.max((a.minimum as number) ?? -(2 ** 31), -(2 ** 31)), max: Math.min((a.maximum as number) ?? 2 ** 31 - 1, 2 ** 31 - 1) });
      case "number": {
        const min = (a.minimum as number | undefined) ?? -1e300;
        const max = (a.maximum as number | undefined) ?? 1e300;
        return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(min, max, (min + max) / 2));
      }
      case "array":
        return fc.array(arbitraryOf(a.items as Schema), { maxLength: Math.min((a.maxItems as number | undefined) ?? 100, 5) });
      default:
        throw new Error(`type ${String(a.type)} is not understood by this test`);
    }
  });
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

/** Values one property's schema refuses: of another type, out of bounds, too long, off the pattern, off the list. */
function nearMisses(s: Schema): unknown[] {
  const misses: unknown[] = [{ nested: "object" }, true, [["nested"]]];
  const alts = alternatives(s);
  if (!alts.some((a) => a.type === "null")) misses.push(null);
  for (const a of alts) {
    switch (a.type) {
      case "string":
        misses.push(12345);
        if (a.enum) misses.push("not_one_of_them", String((a.enum as unknown[])[0]).toUpperCase() + "_");
        if (a.maxLength !== undefined) misses.push("x".repeat((a.maxLength as number) + 1), "𠮷".repeat((a.maxLength as number) + 1));
        for (const p of patternsOf(a))
          misses.push(...["x", "  ", "1234", "１２３４５６７８", "12345678901234", "2027-02-30", "a\u0000b"].filter((v) => !p.test(v)));
        break;
      case "integer":
        misses.push("12", 1.5);
        if (a.minimum !== undefined) misses.push((a.minimum as number) - 1);
        if (a.maximum !== undefined) misses.push((a.maximum as number) + 1);
        break;
      case "number":
        misses.push("12.5");
        if (a.minimum !== undefined) misses.push((a.minimum as number) - 0.001);
        if (a.maximum !== undefined) misses.push((a.maximum as number) + 0.001);
        break;
      case "array":
        misses.push("a,b", [12345]);
        if (a.maxItems !== undefined)
          misses.push(Array.from({ length: (a.maxItems as number) + 1 }, () => ((a.items as Schema).enum ? ((a.items as Schema).enum as unknown[])[0] : "x")));
        break;
    }
  }
  return misses.filter((v) => !valid(v, s));
}

/** A document of a layer's properties: the required ones always, each other one given, null or left out. */
function documentOf(layer: LayerInfo, mode: "create" | "patch"): fc.Arbitrary<Record<string, unknown>> {
  const { properties, required = [] } = layer.schema;
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, s] of Object.entries(properties)) shape[name] = arbitraryOf(s);
  const requiredKeys = mode === "create" ? required : [];
  return fc.record(shape, { requiredKeys }).map((d) => withReferences(layer.name, d));
}

/**
 * What JSON Schema cannot say, from the database: a township_code must be a township's, township_name
 * must name one (and the same one when both are given).
 */
function withReferences(layer: string, d: Record<string, unknown>): Record<string, unknown> {
  if (layer !== "villages") return d;
  const pick = (v: unknown) => TOWNSHIPS[Math.abs(hash(String(v))) % TOWNSHIPS.length]!;
  const out = { ...d };
  if (typeof out.township_code === "string") out.township_code = pick(out.township_code).admin_code;
  if (typeof out.township_name === "string") {
    const t = typeof out.township_code === "string" ? TOWNSHIPS.find((x) => x.admin_code === out.township_code)! : pick(out.township_name);
    out.township_name = t.written[Math.abs(hash(String(d.township_name))) % t.written.length];
  }
  return out;
}
const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.codePointAt(0)!) | 0, 7);

// ---- the API ----

/** Values of unique columns already taken, by layer and column (as stored: trimmed), with the feature holding them. */
const taken = new Map<string, Map<string, number>>();
const takenIn = (layer: string, column: string) => {
  const key = `${layer}.${column}`;
  if (!taken.has(key)) taken.set(key, new Map());
  return taken.get(key)!;
};

/** The unique column a document would clash on (a value another feature holds), or undefined. */
function clash(layer: LayerInfo, table: string, d: Record<string, unknown>, self?: number): string | undefined {
  for (const c of unique.get(table) ?? []) {
    const v = d[c];
    if (typeof v !== "string") continue;
    const holder = takenIn(layer.name, c).get(v.trim());
    if (holder !== undefined && holder !== self) return c;
  }
  return undefined;
}
function remember(layer: LayerInfo, table: string, id: number, before: Record<string, unknown>, d: Record<string, unknown>) {
  for (const c of unique.get(table) ?? []) {
    if (!(c in d)) continue;
    if (typeof before[c] === "string") takenIn(layer.name, c).delete((before[c] as string).trim());
    if (typeof d[c] === "string") takenIn(layer.name, c).set((d[c] as string).trim(), id);
  }
}

const geometryOf = (layer: LayerInfo) => SAMPLES[layer.name]!.feature.geometry;

async function send(method: "POST" | "PATCH", layer: LayerInfo, properties: Record<string, unknown>, id?: number, geometry?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (method === "PATCH") {
    const current = await w.fetch(`${w.base}/api/v1/layers/${layer.name}/features/${id}`);
    await current.arrayBuffer();
    headers["If-Match"] = current.headers.get("etag")!;
  }
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer.name}/features${id === undefined ? "" : `/${id}`}`, {
    method,
    headers,
    body: JSON.stringify({ type: "Feature", ...(method === "POST" ? { geometry: geometry ?? geometryOf(layer) } : {}), properties }),
  });
  return { status: res.status, body: await res.json() };
}

/** 400 with an error whose path is the property (or inside it: a list's item). */
function expectRefused(res: { status: number; body: { errors?: { path: unknown[] }[] } }, miss: unknown, property: string) {
  const why = JSON.stringify({ miss, got: res.body });
  expect(res.status, why).toBe(400);
  expect(
    res.body.errors!.some((e) => e.path[0] === "properties" && e.path[1] === property),
    why,
  ).toBe(true);
}

const tableOf = (layer: LayerInfo) => layer.name.replace(/-/g, "_");

describe("the published JSON Schema of each layer and what create and update accept agree", () => {
  it("every writable layer publishes a schema this test understands", () => {
    const writable = layers.filter((l) => !l.read_only);
    expect(writable.map((l) => l.name).sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const l of writable) for (const s of Object.values(l.schema.properties)) expect(alternatives(s).length).toBeGreaterThan(0);
    // the fixtures' own features are valid against the published schema
    for (const l of writable) {
      for (const [k, v] of Object.entries(SAMPLES[l.name]!.feature.properties)) expect(valid(v, l.schema.properties[k]!), `${l.name}.${k}`).toBe(true);
    }
  });

  for (const name of Object.keys(SAMPLES)) {
    it(`${name}: POST accepts the documents the schema allows, and refuses each near miss naming the property`, async () => {
      const layer = layers.find((l) => l.name === name)!;
      const property = fc.constantFrom(...Object.keys(layer.schema.properties));
      await fc.assert(
        fc.asyncProperty(documentOf(layer, "create"), property, fc.nat(), async (doc, broken, k) => {
          for (const [p, v] of Object.entries(doc)) expect(valid(v, layer.schema.properties[p]!), `generated ${p}: ${JSON.stringify(v)}`).toBe(true);
          const clashing = clash(layer, tableOf(layer), doc);
          const ok = await send("POST", layer, doc);
          if (clashing) {
            expect(ok.status, JSON.stringify({ doc, got: ok.body })).toBe(409);
            expect(ok.body.errors).toEqual([{ path: ["properties", clashing], message: expect.any(String) }]);
          } else {
            expect(ok.status, JSON.stringify({ doc, got: ok.body })).toBe(201);
            remember(layer, tableOf(layer), ok.body.id, {}, doc);
          }

          const misses = nearMisses(layer.schema.properties[broken]!);
          const miss = { ...doc, [broken]: misses[k % misses.length] };
          const refused = await send("POST", layer, miss);
          expectRefused(refused, miss, broken);
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 13) },
      );
    });

    it(`${name}: POST refuses a document without a required property, or with one the schema does not have`, async () => {
      const layer = layers.find((l) => l.name === name)!;
      const sample = SAMPLES[name]!.feature.properties;
      for (const r of layer.schema.required ?? []) {
        const { [r]: _, ...rest }: Record<string, unknown> = { ...sample, code: undefined, admin_code: undefined };
        const res = await send("POST", layer, rest);
        expect(res.status).toBe(400);
        expect(res.body.errors).toContainEqual({ path: ["properties", r], message: expect.any(String) });
      }
      const res = await send("POST", layer, { ...sample, code: undefined, admin_code: undefined, not_in_the_schema: 1 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: ["properties", "not_in_the_schema"], message: expect.any(String) }]);
    });

    it(`${name}: PATCH accepts any part of a document the schema allows, and refuses each near miss naming the property`, async () => {
      const layer = layers.find((l) => l.name === name)!;
      const base = { ...SAMPLES[name]!.feature.properties, code: undefined, admin_code: undefined };
      const created = await send("POST", layer, base);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id: number = created.body.id;
      let current: Record<string, unknown> = {};
      const property = fc.constantFrom(...Object.keys(layer.schema.properties));
      await fc.assert(
        fc.asyncProperty(
          documentOf(layer, "patch").filter((d) => Object.keys(d).length > 0),
          property,
          fc.nat(),
          async (doc, broken, k) => {
            const clashing = clash(layer, tableOf(layer), doc, id);
            const ok = await send("PATCH", layer, doc, id);
            if (clashing) {
              expect(ok.status, JSON.stringify({ doc, got: ok.body })).toBe(409);
            } else {
              expect(ok.status, JSON.stringify({ doc, got: ok.body })).toBe(200);
              remember(layer, tableOf(layer), id, current, doc);
              current = { ...current, ...doc };
            }
            const misses = nearMisses(layer.schema.properties[broken]!);
            const miss = { [broken]: misses[k % misses.length] };
            const refused = await send("PATCH", layer, miss, id);
            expectRefused(refused, miss, broken);
          },
        ),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 13) },
      );
    });
  }
});
