import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * What `read` yields from the body kept in a temporary file, for the formats that are read from their
 * end or at random (a ZIP's central directory, SQLite's pages); the file is removed when reading ends.
 */
export async function* fromSpooledFile<T>(bytes: AsyncIterable<Buffer>, name: string, read: (path: string) => AsyncIterable<T>): AsyncGenerator<T> {
  const dir = await mkdtemp(join(tmpdir(), "hazmap-import-"));
  try {
    const path = join(dir, name);
    await pipeline(Readable.from(bytes), createWriteStream(path));
    yield* read(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
