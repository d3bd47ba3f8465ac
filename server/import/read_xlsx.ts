import ExcelJS from "exceljs";
import { Readable } from "node:stream";
import type { SourceRow } from "./row_feature.ts";

/** A cell as plain data: formulas by their result, rich text and hyperlinks by their text. */
function plain(v: ExcelJS.CellValue): unknown {
  if (v === null || typeof v !== "object" || v instanceof Date) return v;
  if ("result" in v) return plain(v.result as ExcelJS.CellValue);
  if ("richText" in v) return v.richText.map((t) => t.text).join("");
  if ("text" in v) return plain(v.text as ExcelJS.CellValue);
  if ("error" in v) return undefined;
  return String(v);
}

/** The first sheet of a workbook, streamed (exceljs), a row at a time: row 1 is the header, rows keep the sheet's numbers. */
export async function* readXlsx(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRow[]> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), { sharedStrings: "cache", worksheets: "emit", styles: "ignore", hyperlinks: "ignore", entries: "ignore" });
  for await (const sheet of workbook) {
    let headers: string[] | undefined;
    for await (const row of sheet) {
      const values = row.values as ExcelJS.CellValue[]; // 1-based: values[1] is column A
      if (!headers) {
        headers = values.map((v) => String(plain(v) ?? ""));
        continue;
      }
      const cells: Record<string, unknown> = {};
      for (let i = 1; i < headers.length; i++) if (headers[i]) cells[headers[i]!] = plain(values[i]);
      yield [{ row: row.number, cells }];
    }
    return; // the first sheet only
  }
}
