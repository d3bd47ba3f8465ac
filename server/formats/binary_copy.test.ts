import { describe, expect, it } from "vitest";
import { BinaryCopyReader, decode } from "./binary_copy.ts";

/** A COPY … (FORMAT binary) stream built by hand from PostgreSQL's documented layout. */
function copyStream(rows: (Buffer | null)[][]): Buffer {
  const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const parts: Buffer[] = [Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), int32(0), int32(4), Buffer.from("ext!")];
  for (const row of rows) {
    parts.push(int16(row.length));
    for (const field of row) parts.push(...(field === null ? [int32(-1)] : [int32(field.length), field]));
  }
  parts.push(int16(-1 & 0xffff));
  return Buffer.concat(parts);
}

const int8 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const float8 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(n);
  return b;
};

describe("BinaryCopyReader", () => {
  const rows = [
    [int8(1), Buffer.from("后堡村化工园区"), float8(3486.5), Buffer.from([1])],
    [int8(2 ** 40), null, float8(-0.125), Buffer.from([0])],
    [int8(3), Buffer.from(""), null, null],
  ];
  const expected = [
    [1, "后堡村化工园区", 3486.5, true],
    [2 ** 40, null, -0.125, false],
    [3, "", null, null],
  ];
  const stream = copyStream(rows);

  it("decodes every row whatever the chunks, even a chunk per byte or cuts inside a character", () => {
    for (const size of [1, 2, 3, 7, 19, 20, 64, stream.length]) {
      const reader = new BinaryCopyReader([decode.int8, decode.text, decode.float8, decode.bool]);
      const seen: unknown[][] = [];
      for (let at = 0; at < stream.length; at += size) reader.push(stream.subarray(at, at + size), (row) => seen.push(row));
      expect(seen, `chunks of ${size}`).toEqual(expected);
      expect(reader.rows).toBe(3);
    }
  });

  it("splits a stream cut at every single position", () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const reader = new BinaryCopyReader([decode.int8, decode.text, decode.float8, decode.bool]);
      const seen: unknown[][] = [];
      reader.push(stream.subarray(0, cut), (row) => seen.push(row));
      reader.push(stream.subarray(cut), (row) => seen.push(row));
      expect(seen, `cut at ${cut}`).toEqual(expected);
    }
  });
});
