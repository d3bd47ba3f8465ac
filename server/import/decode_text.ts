import iconv from "iconv-lite";

/**
 * Text encodings accepted for CSV. GBK files are read as GB18030, its superset; Big5 as CP950 (what
 * Windows in Taiwan and Hong Kong writes; its user-defined area, where offices put rare characters,
 * is not text), Big5-HKSCS when asked for (Hong Kong's extra characters, which take that same area);
 * UTF-16 by its BOM (Excel's "Unicode text"), else little-endian.
 */
export const ENCODINGS = ["utf-8", "gbk", "gb18030", "big5", "big5-hkscs", "utf-16"] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** The encoding a file was read in, as detected (with its byte order for UTF-16) or as given. */
export type ReadAs = "utf-8" | "gb18030" | "cp950" | "big5hkscs" | "utf-16le" | "utf-16be";

/** How much of the file decides the encoding when none is given. */
const SNIFF_BYTES = 64 * 1024;

/** What no sheet means to say: a replacement character (bytes that are not text in the encoding) or a private-use one (a font's own glyphs, or a wrong guess). */
export const NOT_TEXT = /[\uFFFD\uE000-\uF8FF]|[\uDB80-\uDBFF][\uDC00-\uDFFF]/;
const NOT_TEXT_ALL = new RegExp(NOT_TEXT.source, "g");

/**
 * How plausibly `head` is text in `encoding`: the share of its double-byte characters whose bytes lie
 * in the block (lead, trail) of the encoding's most frequent hanzi, less the share that decode to no
 * text (replacement or private-use characters).
 */
function plausibility(head: Buffer, encoding: ReadAs, frequent: (lead: number, trail: number) => boolean): number {
  let pairs = 0,
    hits = 0;
  for (let i = 0; i + 1 < head.length; ) {
    const lead = head[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    pairs++;
    if (frequent(lead, head[i + 1]!)) hits++;
    i += 2;
  }
  const notText = iconv.getDecoder(encoding).write(head).match(NOT_TEXT_ALL)?.length ?? 0;
  return pairs === 0 ? 0 : (hits - notText) / pairs;
}
/** GB2312 level 1: its 3755 most frequent hanzi, B0A1–D7FE. */
const gb2312Level1 = (lead: number, trail: number) => lead >= 0xb0 && lead <= 0xd7 && trail >= 0xa1 && trail <= 0xfe;
/** Big5 常用字: its 5401 frequently used hanzi, A440–C67E. */
const big5Frequent = (lead: number, trail: number) =>
  lead >= 0xa4 && lead <= 0xc6 && ((trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && trail <= 0xfe && lead < 0xc6));

/**
 * The encoding of a file from its first bytes: a BOM (UTF-8, UTF-16LE/BE) first; then NUL bytes,
 * which only UTF-16 text has, in the half of the positions that ASCII's zero high byte takes; then
 * valid UTF-8. Otherwise GB18030 (Excel's "CSV" on mainland Windows) or Big5 (Taiwan, Hong Kong):
 * the one in which more characters fall in its standard's block of most frequent hanzi, less those
 * that decode to replacement or private-use characters (see plausibility). Big5 bytes
 * read as GBK are valid but nonsense, and land mostly outside GB2312 level 1 (Big5's most frequent
 * hanzi sort first, lead A4–AF, which GB2312 gives to kana, Greek and box drawing); GBK read as Big5
 * lands on C7–D7 leads, which Big5 reserves, or on its less frequent block.
 */
export function detectEncoding(head: Buffer): ReadAs {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  let evenNul = 0,
    oddNul = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++;
  if (evenNul + oddNul > head.length / 8) return oddNul >= evenNul ? "utf-16le" : "utf-16be";
  try {
    // streaming mode: a character cut at the end of the sample is not an error
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return "utf-8";
  } catch {
    return plausibility(head, "cp950", big5Frequent) > plausibility(head, "gb18030", gb2312Level1) ? "cp950" : "gb18030";
  }
}

/** What an explicitly given encoding is read as. */
function readAs(encoding: Encoding, head: Buffer): ReadAs {
  switch (encoding) {
    case "gbk":
      return "gb18030";
    case "big5":
      return "cp950";
    case "big5-hkscs":
      return "big5hkscs";
    case "utf-16":
      return head[0] === 0xfe && head[1] === 0xff ? "utf-16be" : "utf-16le";
    default:
      return encoding;
  }
}

/** A file's text as it streams in, and the encoding it is read in. */
export interface DecodedText {
  encoding: ReadAs;
  detected: boolean;
  chunks: AsyncGenerator<string>;
}

/** The bytes of a file as text, decoded as `encoding` or as detected from its first 64 KB; a BOM is dropped. */
export async function decodeText(bytes: AsyncIterable<Buffer>, encoding?: Encoding): Promise<DecodedText> {
  const it = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    length += next.value.length;
  }
  const first = Buffer.concat(head);
  const as = encoding ? readAs(encoding, first) : detectEncoding(first);
  const decoder = iconv.getDecoder(as);
  async function* chunks() {
    yield decoder.write(first);
    if (!ended) for (let next = await it.next(); !next.done; next = await it.next()) yield decoder.write(next.value);
    yield decoder.end() ?? "";
  }
  return { encoding: as, detected: !encoding, chunks: chunks() };
}
