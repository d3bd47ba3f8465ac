import { constants, crc32, deflateRawSync } from "node:zlib";

// Workbooks written byte by byte (APPNOTE 4.3, ECMA-376 part 2), sharing no code with the product's
// reader: hostile ones too — parts that inflate a thousandfold, sizes that lie.

/** A part of the archive: its name and its content, deflated, with the CRC and size of what inflates. */
export interface Part {
  name: string;
  deflated: Buffer;
  crc: number;
  size: number;
  declaredSize?: number;
}

/** A part holding `text`. */
export function part(name: string, text: string): Part {
  const bytes = Buffer.from(text);
  return { name, deflated: deflateRawSync(bytes), crc: crc32(bytes), size: bytes.length };
}

/**
 * A part holding head + unit × times + tail, never held whole: each piece is deflated on its own and
 * flushed to a byte boundary, so the pieces' deflated bytes concatenate into one valid stream (a piece
 * refers back only into itself). A 1 MB unit deflates to ~1 KB: this is how a zip bomb is made.
 */
export function repeatedPart(name: string, head: string, unit: string, times: number, tail: string): Part {
  const [h, u, t] = [head, unit, tail].map((s) => Buffer.from(s)) as [Buffer, Buffer, Buffer];
  const sync = { finishFlush: constants.Z_SYNC_FLUSH };
  const deflatedUnit = deflateRawSync(u, sync);
  let crc = crc32(h);
  for (let i = 0; i < times; i++) crc = crc32(u, crc);
  crc = crc32(t, crc);
  return {
    name,
    deflated: Buffer.concat([deflateRawSync(h, sync), ...Array.from({ length: times }, () => deflatedUnit), deflateRawSync(t)]),
    crc,
    size: h.length + u.length * times + t.length,
  };
}

/** A ZIP archive of the parts, deflated (method 8), names in UTF-8. */
export function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const declared = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.deflated.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.deflated);
    centrals.push(central, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The parts every workbook has, around its one sheet and its shared strings (given as parts, maybe hostile). */
export function workbook(sheet: Part, sharedStrings?: Part): Buffer {
  return zip([
    part(
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${sharedStrings ? `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` : ""}</Types>`,
    ),
    part(
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    part(
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${OFFICE}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    part(
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>${sharedStrings ? `<Relationship Id="rId2" Type="${OFFICE}/sharedStrings" Target="sharedStrings.xml"/>` : ""}</Relationships>`,
    ),
    sheet,
    ...(sharedStrings ? [sharedStrings] : []),
  ]);
}

export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>`;
export const SHEET_TAIL = "</sheetData></worksheet>";
export const STRINGS_HEAD = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}">`;
export const STRINGS_TAIL = "</sst>";

/** A sheet part of the given rows' XML (`<row>…</row>` each). */
export const sheetPart = (rows: string) => part("xl/worksheets/sheet1.xml", `${SHEET_HEAD}${rows}${SHEET_TAIL}`);
/** A shared strings part of the given strings (escaped here). */
export const sharedStringsPart = (strings: string[]) =>
  part("xl/sharedStrings.xml", `${STRINGS_HEAD}${strings.map((s) => `<si><t>${xmlText(s)}</t></si>`).join("")}${STRINGS_TAIL}`);

export const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
