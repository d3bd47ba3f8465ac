/**
 * Whether each record of a DBF is marked deleted, in order: dBase keeps a deleted record in the file
 * with `*` in its first byte until the table is packed (QGIS and ArcGIS leave them; GDAL skips them).
 * The shapefile package reads such records as live, so the reader asks this beside it.
 */
export async function* dbfDeleted(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<boolean> {
  let head = Buffer.alloc(0);
  let offset = 0; // of the chunk's first byte in the file
  let next = -1; // of the next record's first byte (-1: the header not read yet)
  let step = 0;
  for await (const chunk of bytes) {
    if (next < 0) {
      head = Buffer.concat([head, chunk.subarray(0, Math.max(0, 12 - head.length))]);
      if (head.length === 12) [next, step] = [head.readUInt16LE(8), head.readUInt16LE(10)];
      if (step === 0 && next >= 0) throw new Error("the .dbf gives a record length of 0");
    }
    for (; next >= 0 && next < offset + chunk.length; next += step) {
      const flag = chunk[next - offset];
      if (flag === END) return;
      yield flag === DELETED;
    }
    offset += chunk.length;
  }
}

const DELETED = 0x2a; // "*"
const END = 0x1a; // the end-of-file mark after the last record
