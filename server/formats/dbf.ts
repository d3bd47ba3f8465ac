import { FileSink } from "./file_sink.ts";

/** A dBase III field: C text (UTF-8 bytes, see the .cpg), N number, D date YYYYMMDD, L logical. */
export interface DbfField {
  name: string;
  type: "C" | "N" | "D" | "L";
  length: number;
  decimals: number;
}

/**
 * dBase field names hold at most 10 characters. The mapping, as GDAL's: a longer name is cut to its
 * first 10; a name already taken gets its end replaced by _1, _2, … (e.g. nearest_open_shelter_m → nearest_op).
 */
export function dbfNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let short = name.slice(0, 10);
    for (let i = 1; taken.has(short); i++) short = name.slice(0, 10 - `_${i}`.length) + `_${i}`;
    taken.add(short);
    return short;
  });
}

/** The longest prefix of UTF-8 bytes that fits `length` without cutting a character. */
function fitUtf8(bytes: Buffer, length: number): Buffer {
  if (bytes.length <= length) return bytes;
  let end = length;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/** A .dbf written record by record; the header, which counts the records, is written on close. */
export class DbfWriter {
  private records = 0;
  private readonly sink: FileSink;
  private readonly record: Buffer;
  private readonly offsets: number[] = [];

  constructor(
    path: string,
    private readonly fields: readonly DbfField[],
  ) {
    this.sink = new FileSink(path);
    let offset = 1; // the deletion flag
    for (const f of fields) {
      this.offsets.push(offset);
      offset += f.length;
    }
    this.record = Buffer.alloc(offset);
    this.sink.write(Buffer.alloc(32 + 32 * fields.length + 1));
  }

  /** One record; values in field order: Buffer or string (C), number (N), "YYYY-MM-DD" (D), boolean (L), null. */
  add(values: readonly unknown[]): void {
    const rec = this.record;
    rec.fill(0x20);
    for (let i = 0; i < this.fields.length; i++) {
      const f = this.fields[i]!;
      const v = values[i];
      const at = this.offsets[i]!;
      if (f.type === "L")
        rec[at] = v === null ? 0x3f : v ? 0x54 : 0x46; // ? T F
      else if (v === null) continue;
      else if (f.type === "C") fitUtf8(typeof v === "string" ? Buffer.from(v) : (v as Buffer), f.length).copy(rec, at);
      else if (f.type === "D") rec.write((v as string).replaceAll("-", ""), at, "latin1");
      else {
        const s = String(v);
        if (s.length > f.length)
          rec.fill(0x2a, at, at + f.length); // does not fit: asterisks, as dBase does
        else rec.write(s, at + f.length - s.length, "latin1");
      }
    }
    this.sink.write(rec);
    this.records++;
  }

  close(): void {
    this.sink.write(Buffer.from([0x1a]));
    const head = Buffer.alloc(32 + 32 * this.fields.length + 1);
    const now = new Date();
    head.writeUInt8(0x03, 0);
    head.writeUInt8(now.getFullYear() - 1900, 1);
    head.writeUInt8(now.getMonth() + 1, 2);
    head.writeUInt8(now.getDate(), 3);
    head.writeUInt32LE(this.records, 4);
    head.writeUInt16LE(head.length, 8);
    head.writeUInt16LE(this.record.length, 10);
    this.fields.forEach((f, i) => {
      const at = 32 + 32 * i;
      head.write(f.name, at, 10, "latin1");
      head.write(f.type, at + 11, "latin1");
      head.writeUInt8(f.length, at + 16);
      head.writeUInt8(f.decimals, at + 17);
    });
    head.writeUInt8(0x0d, head.length - 1);
    this.sink.writeAt(head, 0);
    this.sink.close();
  }
}
