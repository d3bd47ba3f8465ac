import { Problem } from "../http/problem.ts";
import { ENCODINGS, NOT_TEXT, type DecodedText } from "./decode_text.ts";

const NAMES: Record<DecodedText["encoding"], string> = {
  "utf-8": "UTF-8",
  gb18030: "GBK/GB18030",
  cp950: "Big5 (CP950)",
  big5hkscs: "Big5-HKSCS",
  "utf-16le": "UTF-16LE",
  "utf-16be": "UTF-16BE",
};

/**
 * A file whose text, read in the encoding detected or given, has a replacement character (bytes that
 * are not text in that encoding) or a private-use one (a glyph of the sender's font, or a wrong
 * guess): refused whole (422), naming the encoding, the first such row and column, and the character.
 */
export class UndecodableText extends Problem {
  constructor(text: Pick<DecodedText, "encoding" | "detected">, row: number, column: string, cell: string) {
    const char = cell.match(NOT_TEXT)![0];
    const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    const what = char === "\uFFFD" ? "bytes that are not text in it" : `${code}, a private-use character that only the sender's font can draw`;
    const how = text.detected ? "detected; if that is wrong, give encoding=" + ENCODINGS.join("|") : "as given";
    super(
      422,
      "undecodable-text",
      "Text cannot be read",
      `read as ${NAMES[text.encoding]} (${how}): row ${row}, ${column} has ${what}; nothing was written`,
      [{ path: ["encoding"], message: `row ${row}, ${column}: ${what}` }],
      {},
      { encoding: text.encoding, detected: text.detected, row, column },
    );
  }
}
