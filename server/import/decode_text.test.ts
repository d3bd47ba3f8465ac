import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import iconv from "iconv-lite";
import * as OpenCC from "opencc-js/t2cn";
import { decodeText, detectEncoding, NOT_TEXT, type Encoding } from "./decode_text.ts";
import { readCsv } from "./read_csv.ts";
import { UndecodableText } from "./undecodable_text.ts";

// real Taiwanese government sheets, beside the clone (never copied into the repo)
const REAL = new URL("../../../shared/data/real/", import.meta.url);
const simplified = OpenCC.Converter({ from: "twp", to: "cn" });

async function* chunked(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
async function text(bytes: Buffer, size = 7) {
  const d = await decodeText(chunked(bytes, size));
  let s = "";
  for await (const c of d.chunks) s += c;
  return { encoding: d.encoding, text: s };
}

describe("detectEncoding", () => {
  it("believes a BOM: UTF-8, UTF-16LE, UTF-16BE (Excel's Unicode text)", () => {
    const s = "名稱,經度\n";
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)]))).toBe("utf-8");
    expect(detectEncoding(iconv.encode(s, "utf-16le", { addBOM: true }))).toBe("utf-16le");
    expect(detectEncoding(iconv.encode(s, "utf-16be", { addBOM: true }))).toBe("utf-16be");
  });

  it("reads UTF-16 without a BOM by where its NUL bytes fall", () => {
    expect(detectEncoding(iconv.encode("name,lon,lat\n避難所,120.1,23.9\n", "utf-16le"))).toBe("utf-16le");
    expect(detectEncoding(iconv.encode("name,lon,lat\n避難所,120.1,23.9\n", "utf-16be"))).toBe("utf-16be");
  });

  it("takes valid UTF-8 as UTF-8, and a sample cut inside a character too", () => {
    const bytes = Buffer.from("名稱,南投縣");
    expect(detectEncoding(bytes)).toBe("utf-8");
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1))).toBe("utf-8");
  });

  it("tells a Traditional header line in Big5 from a Simplified one in GBK", () => {
    expect(detectEncoding(iconv.encode("名稱,經度,緯度,容納人數,地址,電話", "cp950"))).toBe("cp950");
    expect(detectEncoding(iconv.encode("名称,经度,纬度,容纳人数,地址,电话", "gbk"))).toBe("gb18030");
  });

  // Every line of the national shelter list (5,973 rows, all of Taiwan) alone, and in blocks of 20:
  // in Big5 as Taiwan writes it, and turned Simplified (OpenCC) in GBK as the mainland would.
  it.each([1, 20])("real sheets both ways, %i line(s) at a time: Big5 is Big5, GBK is GB18030", async (size) => {
    const lines = (await readFile(new URL("taiwan-shelters-national/shelters_tw_all.csv", REAL), "utf8")).split("\n");
    let blocks = 0;
    const wrong: string[] = [];
    for (let i = 1; i < lines.length; i += size) {
      const block = lines.slice(i, i + size).join("\n");
      if (!/[^\x00-\x7f]/.test(block)) continue;
      blocks++;
      if (detectEncoding(iconv.encode(block, "cp950")) !== "cp950") wrong.push(`big5: ${block}`);
      if (detectEncoding(iconv.encode(simplified(block), "gbk")) !== "gb18030") wrong.push(`gbk: ${simplified(block)}`);
    }
    expect(blocks).toBeGreaterThan(size === 1 ? 5900 : 290);
    expect(wrong).toEqual([]);
  });

  it("Traditional text saved as GBK (its extension holds the Traditional characters) is still GBK", async () => {
    const lines = (await readFile(new URL("taiwan-nantou-county/shelters.csv", REAL), "utf8")).split("\n");
    for (let i = 1; i < lines.length; i += 20) expect(detectEncoding(iconv.encode(lines.slice(i, i + 20).join("\n"), "gbk"))).toBe("gb18030");
  });
});

describe("decodeText", () => {
  it("decodes Big5 and UTF-16 cut at every few bytes, and drops the BOM", async () => {
    const s = "名稱,經度,緯度\r\n竹山鎮集會所,120.6758,23.7469\r\n";
    expect(await text(iconv.encode(s, "cp950"))).toEqual({ encoding: "cp950", text: s });
    expect(await text(iconv.encode(s, "utf-16le", { addBOM: true }))).toEqual({ encoding: "utf-16le", text: s });
    expect(await text(iconv.encode(s, "utf-16be", { addBOM: true }), 3)).toEqual({ encoding: "utf-16be", text: s });
  });

  it("reads an explicit utf-16 by its BOM, else as little-endian", async () => {
    const be = await decodeText(chunked(iconv.encode("a", "utf-16be", { addBOM: true }), 100), "utf-16");
    const le = await decodeText(chunked(iconv.encode("a", "utf-16le"), 100), "utf-16");
    expect([be.encoding, le.encoding, be.detected]).toEqual(["utf-16be", "utf-16le", false]);
  });
});

describe("readCsv refuses text that is not text", () => {
  const rows = async (bytes: Buffer, encoding?: Encoding) => {
    const out = [];
    for await (const batch of readCsv(chunked(bytes, 16), encoding)) out.push(...batch);
    return out;
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e) => (e instanceof UndecodableText ? { detail: e.detail, ...e.extensions } : e),
    );

  it("UTF-8 read as the Big5 it was said to be: the first row with a replacement character", async () => {
    const r = await refusal(rows(Buffer.from("name,lon,lat\nabc,1,2\n避難所,1,2\n"), "big5"));
    expect(r).toEqual({
      encoding: "cp950",
      detected: false,
      row: 3,
      column: "name",
      detail: expect.stringMatching(/^read as Big5 \(CP950\) \(as given\): row 3, name has bytes that are not text/),
    });
  });

  it("a private-use character (a glyph of the sender's font) in a UTF-8 file is named with its code", async () => {
    const r = await refusal(rows(Buffer.from("名稱,經度,緯度\n甲,1,2\n\uE000下社區活動中心,1,2\n")));
    expect(r).toMatchObject({ encoding: "utf-8", detected: true, row: 3, column: "名稱", detail: expect.stringContaining("U+E000") });
  });

  it("a character an office put in Big5's user-defined area is refused, not read as the Hong Kong one there", async () => {
    const body = Buffer.concat([iconv.encode("名稱,經度,緯度\r\n", "cp950"), Buffer.from([0xfa, 0x40]), iconv.encode("下村集會所,120.6,23.8\r\n", "cp950")]);
    expect(await refusal(rows(body))).toMatchObject({ encoding: "cp950", detected: true, row: 2, column: "名稱" });
    expect((await rows(body, "big5-hkscs"))[0]!.cells["名稱"]).toBe("𠕇下村集會所"); // when the sender says it is HKSCS
  });

  it("a file that is clean past the sample but not after it is refused at that row", async () => {
    const body = Buffer.concat([Buffer.from("name,lon,lat\n" + "abc,1,2\n".repeat(10_000)), iconv.encode("避難所,1,2\n", "gbk")]);
    expect(await refusal(rows(body))).toMatchObject({ encoding: "utf-8", detected: true, row: 10_002, column: "name" });
  });

  it("passes clean text: no false alarm on the real Nantou villages sheet in Big5", async () => {
    const original = await readFile(new URL("taiwan-nantou-county/villages_points.csv", REAL), "utf8");
    // 硘磘里 and 廍下村 have no CP950 code; a Taiwanese office would have typed them some other way
    const encodable = original
      .split("\n")
      .filter((l) => iconv.decode(iconv.encode(l, "cp950"), "cp950") === l)
      .join("\n");
    expect(NOT_TEXT.test(encodable)).toBe(false);
    const read = await rows(iconv.encode(encodable, "cp950"));
    expect(read.length).toBe(encodable.trim().split("\n").length - 1);
    expect(read.map((r) => r.cells.village_name)).toEqual(
      encodable
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",")[7]),
    );
  });
});
