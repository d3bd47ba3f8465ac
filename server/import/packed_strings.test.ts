import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PackedStrings } from "./packed_strings.ts";

describe("PackedStrings", () => {
  it("gives back every string added, by index, across blocks (against a plain array)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), fc.constantFrom("", "应急".repeat(100_000))), { maxLength: 60 }),
        (strings) => {
          const packed = new PackedStrings();
          for (const s of strings) packed.add(s);
          expect(packed.count).toBe(strings.length);
          expect(Array.from({ length: strings.length + 1 }, (_, i) => packed.get(i))).toEqual([...strings, undefined]);
          for (const i of [-1, 0.5, NaN, Infinity]) expect(packed.get(i)).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });
});
