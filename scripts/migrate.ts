import { loadConfig } from "../server/config.ts";
import { createOwnerDb } from "../server/owner_db.ts";
import { migrate } from "../server/migrate.ts";

const db = createOwnerDb(loadConfig(), "hazmap-migrate");
try {
  await migrate(db);
  console.error("[hazmap] database is up to date");
} finally {
  await db.destroy();
}
