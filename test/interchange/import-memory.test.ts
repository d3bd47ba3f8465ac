import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { benchAuthorization, serveProduct, type Served } from "../../scripts/serve_product.ts";
import { asApp, createTestDatabase, dropTestDatabase } from "../support/world.ts";
import { part, repeatedPart, sharedStringsPart, sheetPart, workbook, SHEET_HEAD, SHEET_TAIL, STRINGS_HEAD, STRINGS_TAIL } from "../support/workbook_zip.ts";

// Issue 14, finding 4: a small workbook made the server grow by hundreds of megabytes (a 656 KB file of
// repeated shared strings: 291 → 613 MB). The real server runs in a process of its own; each hostile
// workbook is posted to it and its resident memory read from /proc: every one is refused with a 413
// naming the limit, and the process's peak (VmHWM, reset before each) stays within a fixed budget above
// what it held before, as does a large workbook within the limits, which imports.

/** What one import may add to the server's resident memory at its peak. */
const BUDGET_MB = 100;

let url: string;
let server: Served;
let authorization: string;
beforeAll(async () => {
  url = await createTestDatabase();
  server = await serveProduct(asApp(url));
  authorization = await benchAuthorization(url, ["clerk"]);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  if (url) await dropTestDatabase(url);
});

const kB = (pid: number, field: "VmRSS" | "VmHWM") => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);

/** Posts a workbook; the answer, and how far the server's peak resident memory rose above where it stood. */
async function post(file: Buffer, query = "dry_run=true"): Promise<{ status: number; body: Record<string, unknown>; growthMb: number }> {
  writeFileSync(`/proc/${server.pid}/clear_refs`, "5"); // VmHWM := VmRSS (Linux ≥ 4.0)
  const before = kB(server.pid, "VmRSS");
  const res = await fetch(`${server.base}/api/v1/layers/shelters/import?format=xlsx&${query}`, {
    method: "POST",
    headers: { authorization, "content-type": "application/octet-stream" },
    body: new Uint8Array(file),
  });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, growthMb: (kB(server.pid, "VmHWM") - before) / 1024 };
}

const HEADER = `<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c><c r="B1" t="inlineStr"><is><t>容纳人数</t></is></c><c r="C1" t="inlineStr"><is><t>经度</t></is></c><c r="D1" t="inlineStr"><is><t>纬度</t></is></c></row>`;
const shelterRow = (r: number, name: string) =>
  `<row r="${r}"><c r="A${r}" t="s"><v>${name}</v></c><c r="B${r}"><v>${100 + r}</v></c><c r="C${r}"><v>${104 + r / 1e6}</v></c><c r="D${r}"><v>30.5</v></c></row>`;
const oneRowSheet = sheetPart(`${HEADER}${shelterRow(2, "0")}`);

const HOSTILE: [string, () => Buffer, string][] = [
  [
    "the issue's: ~650 KB of repeated shared strings (225 MB unpacked)",
    () =>
      workbook(oneRowSheet, repeatedPart("xl/sharedStrings.xml", STRINGS_HEAD, "<si><t>重复的字符串重复的字符串</t></si>".repeat(20_000), 216, STRINGS_TAIL)),
    "partBytes",
  ],
  [
    "the same, its size declared as 1 KB (a lie)",
    () =>
      workbook(oneRowSheet, {
        ...repeatedPart("xl/sharedStrings.xml", STRINGS_HEAD, "<si><t>重复的字符串重复的字符串</t></si>".repeat(20_000), 216, STRINGS_TAIL),
        declaredSize: 1024,
      }),
    "partBytes",
  ],
  [
    "one cell of 800 MB of text (a zip bomb in the sheet)",
    () =>
      workbook(
        repeatedPart(
          "xl/worksheets/sheet1.xml",
          `${SHEET_HEAD}${HEADER}<row r="2"><c r="A2" t="inlineStr"><is><t>`,
          "应急".repeat(200_000),
          700,
          `</t></is></c></row>${SHEET_TAIL}`,
        ),
      ),
    "textChars",
  ],
  [
    "one tag of 800 MB (an attribute)",
    () => workbook(repeatedPart("xl/worksheets/sheet1.xml", `${SHEET_HEAD}${HEADER}<row r="2" x="`, "a".repeat(1 << 20), 800, `"/>${SHEET_TAIL}`)),
    "textChars",
  ],
  [
    "a row of a million cells",
    () => workbook(repeatedPart("xl/worksheets/sheet1.xml", `${SHEET_HEAD}<row r="1">`, "<c><v>1</v></c>".repeat(10_000), 100, `</row>${SHEET_TAIL}`)),
    "columns",
  ],
  ["a cell beyond column XFD", () => workbook(sheetPart(`${HEADER}<row r="2"><c r="ZZZZZZ2"><v>1</v></c></row>`)), "columns"],
  [
    "two million empty rows",
    () => workbook(repeatedPart("xl/worksheets/sheet1.xml", `${SHEET_HEAD}${HEADER}`, "<row/>".repeat(100_000), 20, SHEET_TAIL)),
    "rows",
  ],
  [
    "two million empty shared strings",
    () => workbook(oneRowSheet, repeatedPart("xl/sharedStrings.xml", STRINGS_HEAD, "<si/>".repeat(100_000), 20, STRINGS_TAIL)),
    "sharedStrings",
  ],
];

describe("an XLSX import costs a bounded amount of memory", () => {
  it("warms up: a small valid workbook imports (dry run)", async () => {
    const r = await post(workbook(oneRowSheet, sharedStringsPart(["实验小学操场"])));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dry_run: true, rows: 1, inserted: 1, errors: [] });
  }, 60_000);

  it.each(HOSTILE)(
    "%s → 413 naming the limit, within the budget",
    async (_, make, limit) => {
      const file = make();
      const r = await post(file);
      console.log(`[memory] ${(file.length / 1024).toFixed(0)} KB workbook → ${r.status} ${String(r.body.limit)}; peak growth ${r.growthMb.toFixed(1)} MB`);
      expect(r.status).toBe(413);
      expect(r.body).toMatchObject({ type: "/problems/workbook-too-large", limit });
      expect(String(r.body.detail)).toContain(`limit ${limit}`);
      expect(r.growthMb).toBeLessThan(BUDGET_MB);
    },
    120_000,
  );

  it("a workbook just within the limits (500,000 shared strings, 26 MB; 20,000 shelters) imports within the budget", async () => {
    const names = Array.from({ length: 500_000 }, (_, i) => `应急避难场所第${i}号`);
    const rows = Array.from({ length: 20_000 }, (_, i) => shelterRow(i + 2, String(names.length - 1 - i * 20))).join("");
    const r = await post(workbook(part("xl/worksheets/sheet1.xml", `${SHEET_HEAD}${HEADER}${rows}${SHEET_TAIL}`), sharedStringsPart(names)), "dry_run=false");
    console.log(`[memory] within limits → ${r.status}; peak growth ${r.growthMb.toFixed(1)} MB`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 20_000, inserted: 20_000, errors: [] });
    expect(r.growthMb).toBeLessThan(BUDGET_MB);
    const res = await fetch(`${server.base}/api/v1/layers/shelters/features?q=${encodeURIComponent(names.at(-1 - 20 * 19_999)!)}`, {
      headers: { authorization },
    });
    expect(((await res.json()) as { features: { properties: { capacity: number } }[] }).features.map((f) => f.properties.capacity)).toEqual([100 + 20_001]);
  }, 180_000);

  it("the server is still up", async () => {
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  });
});
