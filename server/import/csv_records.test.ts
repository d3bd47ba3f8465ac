import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { CsvRecords } from "./csv_records.ts";

/** csv-parse, the reference: its records, each with its line counted as the report numbers rows. */
function reference(text: string, delimiter: "," | "\t" = ","): { line: number; cells: string[] }[] | string {
  try {
    const records = parse(text, { relax_column_count: true, skip_empty_lines: false, delimiter }) as string[][];
    let line = 1;
    return records.map((cells) => {
      const r = { line, cells };
      line += 1 + cells.join("").split("\n").length - 1;
      return r;
    });
  } catch (e) {
    return (e as Error).message;
  }
}

function ours(text: string, cuts: number[], delimiter: "," | "\t" = ","): { line: number; cells: string[] }[] | string {
  const csv = new CsvRecords(delimiter);
  const out = [];
  try {
    let from = 0;
    for (const at of [...cuts.filter((c) => c < text.length)].sort((a, b) => a - b)) {
      out.push(...csv.push(text.slice(from, at)));
      from = at;
    }
    out.push(...csv.push(text.slice(from)), ...csv.end());
    return out;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("CsvRecords reads CSV as csv-parse does", () => {
  it.each([
    ["plain lines", "a,b\n1,2\n"],
    ["no final line ending", "a,b\n1,2"],
    ["Windows line endings", "a,b\r\n1,2\r\n"],
    ["old Mac line endings", "a,b\r1,2\r"],
    ["blank lines", "a,b\n\n1,2\n\n"],
    ["quoted cells with commas, quotes and line breaks", 'a,b\n"x, ""y""","1\n2"\n3,4\n'],
    ["an empty quoted cell", 'a,""\n'],
    ["a \\r inside a cell of a \\n file", "a,b\r\n1,2\n"],
    ["a quote inside a cell", 'a,b\n1,x"y\n'],
    ["a character after a closing quote", 'a,b\n"1"x,2\n'],
    ["an unclosed quote", 'a,b\n"1,2\n3,4\n'],
    ["Chinese", '名称,经度\n"避难所,甲",110.5\n'],
  ])("%s", (_, text) => {
    expect(ours(text, [])).toEqual(reference(text));
    for (let cut = 1; cut < text.length; cut++) expect(ours(text, [cut])).toEqual(reference(text));
  });

  it.each([",", "\t"] as const)("for any text of the characters that matter, cut anywhere, delimited by %j", (delimiter) => {
    const text = fc.array(fc.constantFrom("a", "b", ",", "\t", '"', "\n", "\r", "\r\n", " ", "中"), { maxLength: 40 }).map((a) => a.join(""));
    fc.assert(
      fc.property(text, fc.array(fc.nat(40), { maxLength: 4 }), (t, cuts) => {
        const want = reference(t, delimiter);
        const got = ours(t, cuts, delimiter);
        // csv-parse counts a \r\n inside a quoted cell as two lines in its messages, and names a character after a
        // closing quote by its first UTF-8 byte; the records and the reason agree
        const reason = (m: string) => m.replace(/line \d+/, "").replace(/got "[^"]+"/, "got _");
        if (typeof want === "string" && typeof got === "string") expect(reason(got)).toBe(reason(want));
        else expect(got).toEqual(want);
      }),
      { numRuns: 5000 },
    );
  });
});
