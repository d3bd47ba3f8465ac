import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startWorld, type World } from "../support/world.ts";
import { part, repeatedPart, sharedStringsPart, sheetPart, workbook, zip, SHEET_HEAD, SHEET_TAIL, xmlText, type Part } from "../support/workbook_zip.ts";

/**
 * Hostile workbooks posted as imports: cells of every type with wrong values and references, broken
 * and truncated archives, lying sizes, DTDs, bombs. Whatever arrives, the answer is a 200 or a 400, 413
 * or 422 problem with a detail, in time; a refused import writes nothing, an accepted one writes what it
 * reports. (What each costs in memory: test/interchange/import-memory.test.ts.) `FUZZ_RUNS=full` runs
 * 10 times as many.
 */
const RUNS = process.env.FUZZ_RUNS === "full" ? 1_000 : 100;
const TIMEOUT_MS = 20_000;

let w: World;
const statuses = new Map<number, number>();
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  console.log(`[fuzz] workbooks: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  await w?.close();
});

const HEADERS = ["名称", "容纳人数", "经度", "纬度", "编码", "状态", "设施"];
const letters = (n: number): string => (n <= 0 ? "" : letters(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));

const value = fc.oneof(
  fc.constantFrom("0", "1", "-1", "104.5", "30.5", "1e309", "NaN", "", " ", "0x10", "99999999999", "-0", "2", "开放", "open", "帐篷;棉被"),
  fc.double().map(String),
  fc.string({ maxLength: 12 }).map(xmlText),
);
const reference = (row: number, column: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(` r="${letters(column)}${row}"`) },
    { weight: 2, arbitrary: fc.constant("") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(` r="XFD${row}"`, ` r="XFE${row}"`, ` r="ZZZZZZZZ${row}"`, ` r="a${row}"`, ` r="${row}"`, ` r=""`, ` r="A-1"`, ` r="&amp;"`),
    },
  );
/** A shared string's index: mostly one of the 6 strings there are, now and then any value. */
const index = fc.oneof({ weight: 30, arbitrary: fc.nat({ max: 5 }).map(String) }, { weight: 1, arbitrary: value });
const cell = (row: number, column: number) =>
  fc
    .tuple(
      reference(row, column),
      fc.constantFrom(undefined, "s", "s", "inlineStr", "str", "n", "b", "e", "d", "x"),
      value,
      index,
      fc.constantFrom(undefined, "1+1", 'HYPERLINK("http://evil.example","x")'),
    )
    .map(([r, t, anyValue, i, f]) => {
      const v = t === "s" ? i : anyValue;
      const type = t ? ` t="${t}"` : "";
      if (t === "inlineStr") return `<c${r}${type}><is><r><t>${v}</t></r><rPh><t>ヨミ</t></rPh></is></c>`;
      return `<c${r}${type}>${f ? `<f>${xmlText(f)}</f>` : ""}<v>${v}</v></c>`;
    });
const row = (r: number) =>
  fc
    .array(fc.nat({ max: 12 }), { maxLength: 9 })
    .chain((cols) => fc.tuple(...cols.map((c, i) => cell(r, c || i + 1))).map((cells) => `<row r="${r}">${cells.join("")}</row>`));
const header = `<row r="1">${HEADERS.map((h, i) => `<c r="${letters(i + 1)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join("")}</row>`;
const strings = fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("104.5", "30.5", "开放", "=1+1", "")), { minLength: 6, maxLength: 6 });

/** A workbook of random cells under a real header. */
const structured = fc
  .tuple(fc.array(fc.integer({ min: 2, max: 40 }), { minLength: 1, maxLength: 6 }), strings)
  .chain(([rows, ss]) => fc.tuple(...rows.map(row)).map((xml) => workbook(sheetPart(header + xml.join("")), sharedStringsPart(ss))));

const valid = workbook(
  sheetPart(`${header}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>300</v></c><c r="C2"><v>104.5</v></c><c r="D2"><v>30.5</v></c></row>`),
  sharedStringsPart(["实验小学操场"]),
);

/** An archive whose central directory entry for `name` says something else. */
function withEntry(name: string, change: (central: Buffer, at: number) => void): Buffer {
  const file = Buffer.from(valid);
  const at = file.lastIndexOf(Buffer.from(name)) - 46; // the directory follows every local header
  change(file, at);
  return file;
}

const containers: fc.Arbitrary<Buffer> = fc.oneof(
  fc.nat().map((cut) => valid.subarray(0, cut % valid.length)),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
    const b = Buffer.from(valid);
    for (const [at, byte] of flips) b[at % b.length] = byte;
    return b;
  }),
  fc.constantFrom(
    Buffer.alloc(0),
    Buffer.from("PK\u0005\u0006" + "\u0000".repeat(18), "latin1"),
    Buffer.from("名称,容纳人数\n甲,1\n"),
    withEntry("xl/worksheets/sheet1.xml", (b, at) => b.writeUInt16LE(99, at + 10)), // compression method 99
    withEntry("xl/worksheets/sheet1.xml", (b, at) => b.writeUInt16LE(b.readUInt16LE(at + 8) | 1, at + 8)), // encrypted
    withEntry("xl/worksheets/sheet1.xml", (b, at) => b.writeUInt32LE(0x7fffffff, at + 42)), // local header beyond the file
    withEntry("xl/sharedStrings.xml", (b, at) => b.writeUInt32LE(0xffffffff, at + 24)), // declared 4 GB
    zip([part("xl/workbook.xml", "<workbook/>")]),
    workbook(
      sheetPart(
        `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${header}<row r="2"><c t="inlineStr"><is><t>&b;</t></is></c></row>`,
      ),
    ),
    workbook(
      part(
        "xl/worksheets/sheet1.xml",
        `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>${header.replace(/<(\/?)/g, "<$1x:")}</x:sheetData></x:worksheet>`,
      ),
    ),
    workbook(sheetPart(`${header}<row r="2"><c r="A2" t="s"><v>7</v></c></row>`), sharedStringsPart(["only one"])),
    workbook(sheetPart(`${header}<row r="2"><c r="A2"><v>1</v>`)),
    workbook(repeatedPart("xl/worksheets/sheet1.xml", `${SHEET_HEAD}<row r="1">`, "<c><v>1</v></c>".repeat(1_000), 20, `</row>${SHEET_TAIL}`)),
    workbook(
      repeatedPart(
        "xl/worksheets/sheet1.xml",
        `${SHEET_HEAD}${header}<row r="2"><c t="inlineStr"><is><t>`,
        "x".repeat(1 << 16),
        8,
        `</t></is></c></row>${SHEET_TAIL}`,
      ),
    ),
    workbook(
      { ...repeatedPart("xl/sharedStrings.xml", "<sst>", "<si><t>炸</t></si>".repeat(50_000), 60, "</sst>"), declaredSize: 100 } as Part,
      sharedStringsPart([]),
    ),
  ),
);

const hostileWorkbook = fc.oneof({ weight: 3, arbitrary: structured }, { weight: 2, arbitrary: containers });

const count = async () => Number((await w.db("shelters").count({ n: "*" }))[0]!.n);

describe("fuzz: hostile workbooks", () => {
  it(`every answer is a 200 or a 4xx problem, all or nothing (${RUNS} workbooks)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileWorkbook, fc.boolean(), async (file, dryRun) => {
        const before = await count();
        const res = await w.fetch(`${w.base}/api/v1/layers/shelters/import?format=xlsx&dry_run=${dryRun}`, {
          method: "POST",
          body: new Uint8Array(file),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([200, 400, 413, 422], text.slice(0, 500)).toContain(res.status);
        const body = JSON.parse(text) as { detail?: string; inserted?: number; updated?: number };
        const after = await count();
        if (res.status === 200) {
          expect(after).toBe(dryRun ? before : before + body.inserted!);
        } else {
          expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
          expect(body.detail).toBeTruthy();
          expect(body.detail).not.toMatch(/\bat .+\.ts:\d+|SELECT|INSERT|Cannot read properties|is not a function/); // no internal error passed off as the file's
          expect(after).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
    expect((await fetch(`${w.base}/healthz`)).status).toBe(200);
  }, 600_000);
});
