import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LAYERS } from "../layers/index.ts";
import type { Field } from "../layers/fields.ts";
import { allFields } from "../layers/layer.ts";
import { schemasOf } from "../features/schemas.ts";
import { plainlyValid } from "./plainly_valid.ts";

/** Values of a field's kind near every edge its schema draws, valid ones often, and values of other kinds. */
function value(f: Field): fc.Arbitrary<unknown> {
  const other = fc.constantFrom<unknown>(null, true, 1.5, "", " x ", [], {}, NaN, Infinity, -0);
  const own = (() => {
    switch (f.kind) {
      case "text":
        return fc.oneof(
          { weight: 4, arbitrary: fc.stringMatching(/^[0-9]{12}$/) },
          fc.string({ minLength: 1, maxLength: 5 }),
          fc.constantFrom("避难所", "x".repeat(200), "x".repeat(201), "x".repeat(2001)),
        );
      case "integer":
        return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 1000 }) }, fc.constantFrom(-1, 2147483647, 2147483648, 2 ** 53, -(2 ** 53)));
      case "number":
        return fc.oneof(fc.double(), fc.integer({ min: -1, max: 1000 }));
      case "enum":
        return fc.constantFrom(...Object.keys(f.values), "开放", "constructor", "x");
      case "boolean":
        return fc.constantFrom(true, false, "true");
      case "date":
        return fc.constantFrom("2026-11-29", "2026-02-30", "2026-1-1", "29/11/2026");
      case "text_list":
        return fc.array(f.values ? fc.constantFrom(...Object.keys(f.values), " x ", "") : fc.constantFrom("水", " 电 ", "", "x".repeat(201)), { maxLength: 3 });
    }
  })();
  return fc.oneof({ weight: 30, arbitrary: own }, { weight: 1, arbitrary: other });
}

const coordinate = (limit: number) => fc.oneof(fc.double({ min: -limit - 1, max: limit + 1, noNaN: true }), fc.constantFrom(-limit, limit, NaN, Infinity, "1"));
const geometry = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(coordinate(180), coordinate(90)).map((c) => ({ type: "Point", coordinates: c })) },
  {
    weight: 1,
    arbitrary: fc.tuple(coordinate(180), coordinate(90), fc.oneof(fc.double(), fc.constant("1"))).map((c) => ({ type: "Point", coordinates: c, bbox: [1, 2] })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      "POINT(1 2)",
      { type: "Point" },
      { type: "Point", coordinates: [1] },
      {
        type: "LineString",
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      },
    ),
  },
);

describe("plainlyValid accepts only what the create schema accepts, with the schema's result", () => {
  for (const layer of LAYERS.filter((l) => !l.readOnly)) {
    it(layer.name, () => {
      const fields = allFields(layer);
      const properties = fc.record(Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, value(f)])), { requiredKeys: [] });
      const plain = plainlyValid(layer);
      let accepted = 0;
      fc.assert(
        fc.property(geometry, properties, (g, p) => {
          const ours = plain(g, p);
          if (!ours) return;
          accepted++;
          const zod = schemasOf(layer).create.safeParse({ geometry: g, properties: p });
          expect(zod.success).toBe(true);
          expect(ours).toEqual(zod.data);
        }),
        { numRuns: 10_000 },
      );
      if (layer.geometryTypes.includes("Point")) expect(accepted).toBeGreaterThan(0); // the property was put to the test
    });
  }
});
