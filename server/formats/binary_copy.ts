/** Turns the bytes of one field into a value; `bytes` is a view valid only until the next chunk. */
export type Decode = (buf: Buffer, start: number, end: number) => unknown;

/** Decoders for the representations columnSql produces, plus raw bytes (text to pass on, WKB). */
export const decode = {
  int8: ((b, s) => Number(b.readBigInt64BE(s))) as Decode,
  float8: ((b, s) => b.readDoubleBE(s)) as Decode,
  bool: ((b, s) => b[s] === 1) as Decode,
  text: ((b, s, e) => b.toString("utf8", s, e)) as Decode,
  bytes: ((b, s, e) => b.subarray(s, e)) as Decode,
};

/**
 * Reads PostgreSQL's binary COPY format chunk by chunk (a 19-byte header and its extension, then per row
 * an int16 field count and per field an int32 length, -1 for NULL, and the bytes; -1 ends the data),
 * keeping a row cut between chunks for the next one.
 */
export class BinaryCopyReader {
  rows = 0;
  private pending: Buffer | null = null;
  private started = false;

  constructor(private readonly decoders: readonly Decode[]) {}

  /** Calls onRow for every row completed by this chunk, in order. */
  push(chunk: Buffer, onRow: (row: unknown[]) => void): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    if (!this.started) {
      if (buf.length < 19 || buf.length < 19 + buf.readInt32BE(15)) {
        this.pending = buf;
        return;
      }
      pos = 19 + buf.readInt32BE(15);
      this.started = true;
    }
    rows: while (pos + 2 <= buf.length) {
      const count = buf.readInt16BE(pos);
      if (count === -1) {
        pos = buf.length;
        break;
      }
      const row = new Array<unknown>(count);
      let p = pos + 2;
      for (let i = 0; i < count; i++) {
        if (p + 4 > buf.length) break rows;
        const length = buf.readInt32BE(p);
        p += 4;
        if (length === -1) {
          row[i] = null;
          continue;
        }
        if (p + length > buf.length) break rows;
        row[i] = this.decoders[i]!(buf, p, p + length);
        p += length;
      }
      pos = p;
      this.rows++;
      onRow(row);
    }
    this.pending = pos < buf.length ? buf.subarray(pos) : null;
  }
}
