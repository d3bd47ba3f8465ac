import { CsvRecords, type CsvRecord } from "./csv_records.ts";
import { decodeText, type Encoding } from "./decode_text.ts";
import type { SourceRow } from "./row_feature.ts";

/**
 * CSV rows as they stream in, a batch per chunk read, decoded from UTF-8 or GBK/GB18030. The first
 * record is the header; each row is numbered by its line in the file (the header is line 1).
 */
export async function* readCsv(bytes: AsyncIterable<Buffer>, encoding?: Encoding): AsyncGenerator<SourceRow[]> {
  const csv = new CsvRecords();
  let headers: string[] | undefined;
  const rows = (records: CsvRecord[]): SourceRow[] => {
    const out: SourceRow[] = [];
    for (const record of records) {
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
  for await (const text of decodeText(bytes, encoding)) yield rows(csv.push(text));
  yield rows(csv.end());
}
