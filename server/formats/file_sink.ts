import { closeSync, openSync, writeSync } from "node:fs";

/** A file written front to back through a 1 MB buffer, plus in-place rewrites (headers written last). */
export class FileSink {
  /** Bytes written so far. */
  size = 0;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(bytes: Buffer): void {
    if (this.used + bytes.length > this.buffer.length) this.flush();
    if (bytes.length > this.buffer.length) writeSync(this.fd, bytes);
    else this.used += bytes.copy(this.buffer, this.used);
    this.size += bytes.length;
  }

  writeAt(bytes: Buffer, position: number): void {
    this.flush();
    writeSync(this.fd, bytes, 0, bytes.length, position);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }
}
