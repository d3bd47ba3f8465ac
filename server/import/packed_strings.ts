/** Bytes of one block: larger than any one string (a cell holds ≤ 32,767 characters, ≤ 128 KB as UTF-8). */
const BLOCK = 1 << 20;

/**
 * A list of strings kept as UTF-8 in 1 MB blocks, read back by index: a workbook's shared strings cost
 * their bytes and 8 bytes each — no object per string, and no string left holding on to the larger
 * text it was sliced from — so what they may cost is what the limit on their part's size says.
 */
export class PackedStrings {
  private readonly blocks: Buffer[] = [];
  private used = 0;
  private starts = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  count = 0;

  add(s: string): void {
    const length = Buffer.byteLength(s);
    if (length > BLOCK) throw new Error(`a shared string of ${length} bytes`);
    if (this.blocks.length === 0 || this.used + length > BLOCK) {
      this.blocks.push(Buffer.allocUnsafe(BLOCK));
      this.used = 0;
    }
    if (this.count === this.starts.length) {
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
    }
    this.blocks.at(-1)!.write(s, this.used);
    this.starts[this.count] = (this.blocks.length - 1) * BLOCK + this.used; // < 4 GB: the part's size is limited far below
    this.lengths[this.count++] = length;
    this.used += length;
  }

  get(i: number): string | undefined {
    if (!(Number.isInteger(i) && i >= 0 && i < this.count)) return undefined;
    const start = this.starts[i]!;
    const offset = start % BLOCK;
    return this.blocks[Math.floor(start / BLOCK)]!.toString("utf8", offset, offset + this.lengths[i]!);
  }
}

function grown(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}
