// Move old months of the audit trail out of it: each month ending by --before is written to
// <dir>/audit_YYYY_MM.csv.gz and detached (kept in the database as its own table, never deleted), as the
// schema's owner (DATABASE_OWNER_URL):
//   npx tsx scripts/audit-archive.ts --before 2026-06 [--dir backups]
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../server/config.ts";
import { createOwnerDb } from "../server/owner_db.ts";
import { archiveAuditMonths } from "../server/audit/archive_months.ts";

const { values } = parseArgs({ options: { before: { type: "string" }, dir: { type: "string", default: "backups" } }, strict: true });
if (!values.before || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.before)) {
  process.stderr.write("usage: npx tsx scripts/audit-archive.ts --before YYYY-MM [--dir backups]   (months ending by the 1st of YYYY-MM)\n");
  process.exit(2);
}
const db = createOwnerDb(loadConfig(), "hazmap-audit-archive"); // detaching a month is the owner's
try {
  mkdirSync(values.dir!, { recursive: true });
  const archived = await archiveAuditMonths(db, `${values.before}-01`, values.dir!);
  for (const a of archived) console.log(`[hazmap] ${a.partition}: ${a.rows} rows → ${a.file}; detached (drop the table once the file is kept safe)`);
  if (archived.length === 0) console.log(`[hazmap] no month of the audit trail ends by ${values.before}-01`);
} finally {
  await db.destroy();
}
