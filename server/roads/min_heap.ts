/**
 * A binary min-heap of (key, item) pairs in growing typed arrays. An item may be pushed again with a
 * smaller key; the search skips the stale copy when it pops it (cheaper than decrease-key here).
 */
export class MinHeap {
  private keys = new Float64Array(64);
  private items = new Int32Array(64);
  size = 0;

  push(key: number, item: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const items = new Int32Array(this.size * 2);
      items.set(this.items);
      this.items = items;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.items[i] = this.items[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.items[i] = item;
  }

  /** The smallest key (Infinity when empty). */
  peekKey(): number {
    return this.size === 0 ? Infinity : this.keys[0]!;
  }

  /** Removes the pair with the smallest key and returns its item. */
  pop(): number {
    const top = this.items[0]!;
    const last = --this.size;
    const key = this.keys[last]!;
    const item = this.items[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.items[i] = this.items[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.items[i] = item;
    return top;
  }
}
