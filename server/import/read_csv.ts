import { CsvRecords, type CsvRecord } from "./csv_records.ts";
import { decodeText, NOT_TEXT, type Encoding } from "./decode_text.ts";
import { UndecodableText } from "./undecodable_text.ts";
import type { FileFacts, SourceRow } from "./row_feature.ts";

/**
 * CSV rows (or tab-separated) as they stream in, a batch per chunk read, decoded from UTF-8, GBK/GB18030, Big5 or UTF-16.
 * The first record is the header; each row is numbered by its line in the file (the header is line 1).
 * Text with replacement or private-use characters is refused at its first row (UndecodableText):
 * a wrong encoding, or a glyph only the sender's font has, is never stored.
 */
export async function* readCsv(bytes: AsyncIterable<Buffer>, encoding?: Encoding, facts: FileFacts = {}): AsyncGenerator<SourceRow[]> {
  const text = await decodeText(bytes, encoding);
  facts.encoding = { name: text.encoding, detected: text.detected };
  let csv: CsvRecords | undefined;
  let headers: string[] | undefined;
  let suspect = false; // a chunk had a character that is not text: look for its record
  const check = (record: CsvRecord) => {
    const column = record.cells.findIndex((c) => NOT_TEXT.test(c));
    if (column !== -1) throw new UndecodableText(text, record.line, headers?.[column] ?? `column ${column + 1}`, record.cells[column]!);
  };
  const rows = (records: CsvRecord[]): SourceRow[] => {
    const out: SourceRow[] = [];
    for (const record of records) {
      if (suspect) check(record);
      if (record.cells.length === 1 && record.cells[0] === "") continue; // a blank line
      if (!headers) {
        headers = record.cells.map((h) => h.trim());
        continue;
      }
      const cells: Record<string, unknown> = {};
      for (let i = 0; i < headers.length; i++) cells[headers[i]!] = record.cells[i];
      out.push({ row: record.line, cells });
    }
    return out;
  };
  for await (const chunk of text.chunks) {
    suspect ||= NOT_TEXT.test(chunk);
    csv ??= new CsvRecords(delimiterOf(chunk));
    yield rows(csv.push(chunk));
  }
  if (csv) yield rows(csv.end());
}

/** A tab when the header line has tabs and no comma (Excel's "Unicode text" and other TSV), else a comma. */
function delimiterOf(text: string): "," | "\t" {
  const header = text.slice(0, text.search(/[\r\n]|$/));
  return header.includes("\t") && !header.includes(",") ? "\t" : ",";
}
