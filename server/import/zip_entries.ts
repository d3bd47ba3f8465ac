import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline, Readable, Transform } from "node:stream";
import { createInflateRaw } from "node:zlib";

/** A file of a ZIP archive, as its central directory lists it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** As declared: a hostile archive may lie, so what is read is counted, never trusted. */
  declaredSize: number;
  localHeaderOffset: number;
}

/** More than any workbook's list of parts (~80 bytes an entry). */
const MAX_CENTRAL_DIRECTORY_BYTES = 1024 ** 2;
const EOCD_SIGNATURE = 0x06054b50;
const ENTRY_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/**
 * The entries of a ZIP file on disk, by name, read from its central directory (APPNOTE 4.3.12–16) —
 * what every ZIP reader takes as the archive's contents; local headers not listed there are never read.
 * Zip64 and encrypted entries are refused: no workbook this product reads needs them.
 */
export async function zipEntries(path: string): Promise<Map<string, ZipEntry>> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, 22 + 0xffff); // the end record, then a comment of up to 64 KB
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0 && eocd === -1; i--) if (tail.readUInt32LE(i) === EOCD_SIGNATURE) eocd = i;
    if (eocd === -1) throw new Error("not a ZIP archive (no end of central directory)");
    const count = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || directoryOffset === 0xffffffff) throw new Error("Zip64 archives are not read");
    if (directorySize > MAX_CENTRAL_DIRECTORY_BYTES || directoryOffset + directorySize > size)
      throw new Error("the central directory is too large or outside the file");
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    const entries = new Map<string, ZipEntry>();
    for (let at = 0, n = 0; n < count; n++) {
      if (at + 46 > directorySize || directory.readUInt32LE(at) !== ENTRY_SIGNATURE) throw new Error("a broken central directory");
      const nameLength = directory.readUInt16LE(at + 28);
      const next = at + 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
      if (next > directorySize) throw new Error("a broken central directory");
      if (directory.readUInt16LE(at + 8) & 1) throw new Error("encrypted entries are not read");
      const name = directory.toString("utf8", at + 46, at + 46 + nameLength);
      const entry = {
        name,
        method: directory.readUInt16LE(at + 10),
        compressedSize: directory.readUInt32LE(at + 20),
        declaredSize: directory.readUInt32LE(at + 24),
        localHeaderOffset: directory.readUInt32LE(at + 42),
      };
      if ([entry.compressedSize, entry.declaredSize, entry.localHeaderOffset].includes(0xffffffff)) throw new Error("Zip64 archives are not read");
      if (!entries.has(name)) entries.set(name, entry);
      at = next;
    }
    return entries;
  } finally {
    await file.close();
  }
}

/**
 * The bytes of an entry, inflated, failing with `tooLarge()` as soon as more than `limit` bytes come
 * out, whatever the entry declares (a zip bomb inflates a thousandfold): memory stays one chunk deep.
 */
export async function entryStream(path: string, entry: ZipEntry, limit: number, tooLarge: () => Error): Promise<Readable> {
  if (entry.declaredSize > limit) throw tooLarge();
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`${entry.name}: compression method ${entry.method} is not read`);
  const header = Buffer.alloc(30);
  const file = await open(path);
  try {
    await file.read(header, 0, 30, entry.localHeaderOffset);
  } finally {
    await file.close();
  }
  if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Error(`${entry.name}: no local header where the directory says`);
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = entry.compressedSize === 0 ? Readable.from([]) : createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? tooLarge() : null, chunk);
    },
  });
  // pipeline: an error or an early stop anywhere destroys every stage, closing the file
  const stages = entry.method === 8 ? [raw, createInflateRaw(), counted] : [raw, counted];
  pipeline(stages, () => undefined);
  return counted;
}
