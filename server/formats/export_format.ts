import type { Writable } from "node:stream";
import type { Db } from "../db.ts";
import type { ExportRequest } from "./rows.ts";

/** One file format an export can be written in. */
export interface ExportFormat {
  /** File name extension, without the dot. */
  extension: string;
  contentType: string;
  /** Writes the whole file to `out` and ends it. */
  write(db: Db, r: ExportRequest, out: Writable): Promise<void>;
}
