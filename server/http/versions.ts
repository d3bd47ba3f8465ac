import type { Request } from "express";
import { Problem, preconditionRequired } from "./problem.ts";

/** ETag of a feature version (strong: versions change on every write). */
export const etag = (version: number) => `"${version}"`;

/**
 * The version the client last saw, from `If-Match: "7"`. A write without it could silently overwrite
 * someone else's edit, so it is refused (428); `*` is refused for the same reason.
 */
export function expectedVersion(req: Request): number {
  const header = req.get("If-Match");
  if (!header) throw preconditionRequired('send If-Match with the ETag of the version you edited (e.g. If-Match: "3")');
  const m = /^\s*"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw new Problem(412, "stale-version", "Precondition failed", `If-Match ${header} is not a version of this resource`);
  return Number(m[1]);
}
