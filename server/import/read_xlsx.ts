import { posix } from "node:path";
import { SaxesParser } from "saxes";
import { Problem } from "../http/problem.ts";
import { PackedStrings } from "./packed_strings.ts";
import type { SourceRow } from "./row_feature.ts";
import { fromSpooledFile } from "./spooled_file.ts";
import { entryStream, zipEntries, type ZipEntry } from "./zip_entries.ts";

/**
 * What reading a workbook may cost, whatever its parts declare: past any of these the import is refused
 * (413 naming the limit). Memory stays within a few times `partBytes` (the shared strings are kept,
 * packed); the sheet streams, a row at a time.
 */
export const XLSX_LIMITS = {
  /** Uncompressed bytes of the first sheet's XML. */
  sheetBytes: 1024 ** 3,
  /** Uncompressed bytes of each other part read: the shared strings, the workbook, their relationships. */
  partBytes: 32 * 1024 ** 2,
  /** Excel's own sheet size. */
  rows: 1_048_576,
  columns: 16_384,
  cells: 20_000_000,
  /** Distinct texts of a workbook (each costs 8 bytes besides its own). */
  sharedStrings: 1_000_000,
  /** Characters of one text or tag in the XML (a cell holds ≤ 32,767; escapes such as &amp; add more). */
  textChars: 256 * 1024,
} as const;
type Limit = keyof typeof XLSX_LIMITS;

const UNITS: Record<Limit, string> = {
  sheetBytes: "bytes unpacked",
  partBytes: "bytes unpacked",
  rows: "rows",
  columns: "columns",
  cells: "cells",
  sharedStrings: "shared strings",
  textChars: "characters",
};

/** A 413 naming the limit passed and where. */
export function workbookTooLarge(limit: Limit, where: string): Problem {
  const value = XLSX_LIMITS[limit];
  return new Problem(
    413,
    "workbook-too-large",
    "Workbook too large",
    `${where}: more than ${value.toLocaleString("en")} ${UNITS[limit]} (limit ${limit})`,
    undefined,
    {},
    { limit, limit_value: value },
  );
}

const local = (name: string) => name.slice(name.indexOf(":") + 1);

/**
 * Streams an entry's XML through a parser with the given handlers, yielding after each chunk (so that a
 * caller can pass on what the chunk completed). No DTD is accepted, so no entity is ever expanded.
 */
async function* parseXml(
  path: string,
  entry: ZipEntry,
  limit: Limit,
  on: { open?(name: string, attributes: Record<string, string>): void; close?(name: string): void; text?(text: string): void },
): AsyncGenerator<void> {
  const parser = new SaxesParser();
  let failed: Error | undefined;
  parser.on("error", (e) => (failed ??= e));
  parser.on("doctype", () => (failed ??= new Error("a DTD is not accepted")));
  if (on.open) parser.on("opentag", (t) => on.open!(local(t.name), t.attributes as Record<string, string>));
  if (on.close) parser.on("closetag", (t) => on.close!(local(t.name)));
  if (on.text) {
    parser.on("text", on.text);
    parser.on("cdata", on.text);
  }
  const stream = await entryStream(path, entry, XLSX_LIMITS[limit], () => workbookTooLarge(limit, entry.name));
  stream.setEncoding("utf8");
  let sinceTag = 0; // characters since the last "<", across chunks: one text or tag, which the parser holds whole
  for await (const chunk of stream as AsyncIterable<string>) {
    for (let i = 0, next; i < chunk.length; i = next + 1) {
      next = chunk.indexOf("<", i);
      if (next === -1) next = chunk.length;
      sinceTag = i === 0 ? sinceTag + next : next - i;
      if (sinceTag > XLSX_LIMITS.textChars) throw workbookTooLarge("textChars", entry.name);
      if (next < chunk.length) sinceTag = 0;
    }
    parser.write(chunk);
    if (failed) throw failed;
    yield;
  }
  parser.close();
  if (failed) throw failed;
}

async function drain(parts: AsyncGenerator<void>): Promise<void> {
  for await (const _ of parts);
}

/** A package's relationships (`_rels/*.rels`): id → target path in the archive, and type. */
async function relationships(path: string, entries: Map<string, ZipEntry>, of: string): Promise<{ id: string; type: string; target: string }[]> {
  const name = posix.join(posix.dirname(of), "_rels", `${posix.basename(of)}.rels`);
  const entry = entries.get(name);
  if (!entry) throw new Error(`${name} is missing`);
  const rels: { id: string; type: string; target: string }[] = [];
  await drain(
    parseXml(path, entry, "partBytes", {
      open(tag, a) {
        if (tag !== "Relationship" || !a.Target) return;
        const target = a.Target.startsWith("/") ? a.Target.slice(1) : posix.join(posix.dirname(of), a.Target);
        rels.push({ id: a.Id ?? "", type: a.Type ?? "", target });
      },
    }),
  );
  return rels;
}

/** The first sheet's part and the shared strings' part (if any), found as Excel finds them. */
async function partsOf(path: string, entries: Map<string, ZipEntry>): Promise<{ sheet: ZipEntry; sharedStrings?: ZipEntry }> {
  const workbookName = (await relationships(path, entries, "")).find((r) => r.type.endsWith("/officeDocument"))?.target;
  const workbook = workbookName ? entries.get(workbookName) : undefined;
  if (!workbookName || !workbook) throw new Error("no workbook part");
  let firstSheetId: string | undefined;
  await drain(
    parseXml(path, workbook, "partBytes", {
      open(tag, a) {
        if (tag === "sheet" && firstSheetId === undefined) firstSheetId = Object.entries(a).find(([k]) => k !== "sheetId" && local(k) === "id")?.[1];
      },
    }),
  );
  const rels = await relationships(path, entries, workbookName);
  const sheet = entries.get(rels.find((r) => r.id === firstSheetId)?.target ?? "");
  if (!sheet) throw new Error("the workbook has no sheet");
  const sharedStringsName = rels.find((r) => r.type.endsWith("/sharedStrings"))?.target;
  return { sheet, sharedStrings: sharedStringsName ? entries.get(sharedStringsName) : undefined };
}

/** The shared strings (`<si>`: its `<t>` texts, phonetic runs `<rPh>` left out). */
async function sharedStringsOf(path: string, entry: ZipEntry | undefined): Promise<PackedStrings> {
  const strings = new PackedStrings();
  if (!entry) return strings;
  const { name } = entry;
  let text: string[] | undefined;
  let inT = false;
  let inPhonetic = false;
  await drain(
    parseXml(path, entry, "partBytes", {
      open(tag) {
        if (tag === "si") {
          if (strings.count === XLSX_LIMITS.sharedStrings) throw workbookTooLarge("sharedStrings", name);
          text = [];
        } else if (tag === "rPh") inPhonetic = true;
        else if (tag === "t") inT = !inPhonetic;
      },
      close(tag) {
        if (tag === "si" && text) {
          strings.add(text.join(""));
          text = undefined;
        } else if (tag === "rPh") inPhonetic = false;
        else if (tag === "t") inT = false;
      },
      text(t) {
        if (inT && text) text.push(t);
      },
    }),
  );
  return strings;
}

/** A cell reference's column from 1 (A1 → 1, XFD9 → 16384); undefined when it has none. */
function columnOf(ref: string | undefined): number | undefined {
  const letters = ref ? /^[A-Z]+/i.exec(ref)?.[0] : undefined;
  if (!letters || letters.length > 4) return letters ? Infinity : undefined;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

/** A cell's value: shared and inline strings, formulas by their last result, numbers, booleans; errors are empty. */
function cellValue(type: string | undefined, v: string | undefined, inline: string | undefined, strings: PackedStrings): unknown {
  switch (type) {
    case "s": {
      const s = strings.get(Number(v));
      if (v !== undefined && s === undefined) throw new Error(`a cell refers to shared string "${v}", which does not exist`);
      return s;
    }
    case "inlineStr":
      return inline;
    case "str":
    case "d":
      return v;
    case "b":
      return v === undefined ? undefined : v.trim() !== "0";
    case "e":
      return undefined;
    default: {
      if (v === undefined || v.trim() === "") return undefined;
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    }
  }
}

/** The first sheet's rows: row 1 is the header; rows keep the sheet's numbers. */
async function* sheetRows(path: string, sheet: ZipEntry, strings: PackedStrings): AsyncGenerator<SourceRow[]> {
  let headers: string[] | undefined;
  let rows = 0;
  let cells = 0;
  let rowNumber = 0;
  let values: unknown[] = [];
  let column = 0;
  let cell: { type?: string; v?: string[]; inline?: string[] } | undefined;
  let into: "v" | "inline" | undefined;
  let inPhonetic = false;
  let done: SourceRow[] = [];
  const where = `the first sheet (${sheet.name})`;
  const parts = parseXml(path, sheet, "sheetBytes", {
    open(tag, a) {
      if (tag === "row") {
        if (++rows > XLSX_LIMITS.rows) throw workbookTooLarge("rows", where);
        rowNumber = a.r !== undefined && /^\d+$/.test(a.r) ? Number(a.r) : rowNumber + 1;
        values = [];
        column = 0;
      } else if (tag === "c") {
        if (++cells > XLSX_LIMITS.cells) throw workbookTooLarge("cells", where);
        column = columnOf(a.r) ?? column + 1;
        if (column > XLSX_LIMITS.columns) throw workbookTooLarge("columns", where);
        cell = { type: a.t };
      } else if (cell && tag === "v") {
        cell.v = [];
        into = "v";
      } else if (cell && tag === "is") cell.inline = [];
      else if (cell?.inline && tag === "rPh") inPhonetic = true;
      else if (cell?.inline && tag === "t" && !inPhonetic) into = "inline";
    },
    close(tag) {
      if (tag === "v" || tag === "t") into = undefined;
      else if (tag === "rPh") inPhonetic = false;
      else if (tag === "c" && cell) {
        values[column] = cellValue(cell.type, cell.v?.join(""), cell.inline?.join(""), strings);
        cell = undefined;
      } else if (tag === "row") {
        if (!headers) {
          headers = Array.from(values, (v) => String(v ?? ""));
          return;
        }
        if (values.every((v) => v === undefined || v === "")) return; // an empty row (Excel keeps formatted ones), as CSV's blank line
        const byHeader: Record<string, unknown> = {};
        for (let i = 1; i < headers.length; i++) if (headers[i]) byHeader[headers[i]!] = values[i];
        done.push({ row: rowNumber, cells: byHeader });
      }
    },
    text(t) {
      if (into && cell) cell[into]!.push(t);
    },
  });
  for await (const _ of parts) {
    if (done.length === 0) continue;
    yield done;
    done = [];
  }
}

/**
 * The first sheet of a workbook, a batch of rows at a time. The body is kept in a temporary file, as a
 * workbook can only be read from its central directory (at the end) and Excel writes the shared strings
 * after the sheets; every part is then inflated and parsed as a stream, within XLSX_LIMITS.
 */
export function readXlsx(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRow[]> {
  return fromSpooledFile(bytes, "workbook.xlsx", async function* (path) {
    const { sheet, sharedStrings } = await partsOf(path, await zipEntries(path));
    yield* sheetRows(path, sheet, await sharedStringsOf(path, sharedStrings));
  });
}
