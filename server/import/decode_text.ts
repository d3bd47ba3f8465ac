import iconv from "iconv-lite";

/** Text encodings accepted for CSV; GBK files are read as GB18030, its superset. */
export const ENCODINGS = ["utf-8", "gbk", "gb18030"] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** How much of the file decides the encoding when none is given. */
const SNIFF_BYTES = 64 * 1024;

/** UTF-8 when the file says so (BOM) or reads as valid UTF-8, otherwise GB18030 (what Excel saves as "CSV" on Chinese Windows). */
export function detectEncoding(head: Buffer): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  try {
    // streaming mode: a character cut at the end of the sample is not an error
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return "utf-8";
  } catch {
    return "gb18030";
  }
}

/** The bytes of a file as text, decoded as `encoding` or as detected from its first 64 KB; a BOM is dropped. */
export async function* decodeText(bytes: AsyncIterable<Buffer>, encoding?: Encoding): AsyncGenerator<string> {
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
  const decoder = iconv.getDecoder(encoding === "gbk" ? "gb18030" : (encoding ?? detectEncoding(first)));
  yield decoder.write(first);
  if (!ended) for (let next = await it.next(); !next.done; next = await it.next()) yield decoder.write(next.value);
  yield decoder.end() ?? "";
}
