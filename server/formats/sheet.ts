import { Writable } from "node:stream";
import yazl from "yazl";
import { formulaSafeText } from "./csv.ts";

/** A small table written as a download (a plan's rows): headers, then rows of texts and numbers (null: empty). */
export interface Sheet {
  /** The worksheet's name (Excel allows 31 characters, none of : \ / ? * [ ]). */
  name: string;
  headers: string[];
  rows: (string | number | null)[][];
}

/** csv and xlsx are written here; pdf, the plan printed as an order (调度单), by server/paper/order_pdf.ts. */
export const SHEET_FORMATS = ["csv", "xlsx", "pdf"] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

export const SHEET_CONTENT_TYPES: Record<SheetFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

/** A CSV cell (RFC 4180): texts formula-safe as the layer exports write them, quoted when they must be. */
function csvCell(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  const text = formulaSafeText(v);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The sheet as CSV, UTF-8 with the byte order mark Excel needs to read Chinese right, CRLF lines. */
export function sheetCsv(sheet: Sheet): Buffer {
  const lines = [sheet.headers, ...sheet.rows].map((r) => r.map(csvCell).join(","));
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`);
}

const xml = (s: string) =>
  // characters XML 1.0 cannot hold at all are dropped; the rest escaped
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/[<>&"]/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot" }[c]};`);

/** A1-style column letters of a 0-based column. */
const column = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : column(Math.floor(i / 26) - 1) + column(i % 26));

/** One cell: numbers as numbers, texts inline (never formulas, so nothing to make safe), null left out. */
function xlsxCell(v: string | number | null, ref: string, style: number): string {
  if (v === null) return "";
  if (typeof v === "number") return `<c r="${ref}" s="${style}"><v>${v}</v></c>`;
  return `<c r="${ref}" t="inlineStr" s="${style}"><is><t xml:space="preserve">${xml(v)}</t></is></c>`;
}

/**
 * The sheet as an Office Open XML workbook (ECMA-376): one worksheet, its header row bold and frozen,
 * columns wide enough for Chinese headers. Written directly (a handful of parts), zipped with yazl.
 */
export async function sheetXlsx(sheet: Sheet): Promise<Buffer> {
  const rows = [sheet.headers, ...sheet.rows]
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => xlsxCell(v, `${column(j)}${i + 1}`, i === 0 ? 1 : 0)).join("")}</row>`)
    .join("");
  const widths = sheet.headers
    .map((h, j) => {
      const longest = Math.max(
        ...[h, ...sheet.rows.map((r) => r[j])].map((v) => [...String(v ?? "")].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e7f ? 2 : 1), 0)),
      );
      return `<col min="${j + 1}" max="${j + 1}" width="${Math.min(60, Math.max(8, longest + 2))}" customWidth="1"/>`;
    })
    .join("");
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const parts: [string, string][] = [
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    ],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="${xml(sheet.name.replace(/[:\\/?*[\]]/g, " ").slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
    ],
    [
      "xl/styles.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet ${ns}><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>`,
    ],
    [
      "xl/worksheets/sheet1.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${ns}><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>${widths}</cols><sheetData>${rows}</sheetData></worksheet>`,
    ],
  ];
  const zip = new yazl.ZipFile();
  for (const [name, text] of parts) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) =>
    zip.outputStream
      .pipe(new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }))
      .on("finish", resolve)
      .on("error", reject),
  );
  return Buffer.concat(chunks);
}

/** The sheet in the format asked for. */
export const writeSheet = (sheet: Sheet, format: Exclude<SheetFormat, "pdf">): Promise<Buffer> =>
  format === "csv" ? Promise.resolve(sheetCsv(sheet)) : sheetXlsx(sheet);
