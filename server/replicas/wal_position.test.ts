import { describe, expect, it } from "vitest";
import { formatWalPosition, parseWalPosition } from "./wal_position.ts";

describe("WAL positions", () => {
  it("compare as PostgreSQL compares pg_lsn, not as text", () => {
    // as text "9/FFFFFFFF" > "E/62000000" > "10/0"; as positions the other way round
    const [a, b, c] = ["9/FFFFFFFF", "E/62000000", "10/0"].map((t) => parseWalPosition(t)!) as [bigint, bigint, bigint];
    expect(a < b && b < c).toBe(true);
    expect(parseWalPosition("0/1")! - parseWalPosition("0/0")!).toBe(1n);
    expect(parseWalPosition("1/0")! - parseWalPosition("0/FFFFFFFF")!).toBe(1n);
  });

  it("write back as PostgreSQL writes them", () => {
    for (const t of ["0/0", "E/62000000", "16/B374D848", "FFFFFFFF/FFFFFFFF"]) expect(formatWalPosition(parseWalPosition(t)!)).toBe(t);
  });

  it("are not taken from anything else a client may send", () => {
    for (const t of ["", "16", "16/", "/B374D848", "16/B374D848; x", "G/0", "123456789/0", "0/123456789", " 0/1", undefined, null]) {
      expect(parseWalPosition(t)).toBeUndefined();
    }
  });
});
