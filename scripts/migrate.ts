import { loadConfig } from "../server/config.ts";
import { createDb } from "../server/db.ts";
import { migrate } from "../server/migrate.ts";

const db = createDb(loadConfig());
try {
  await migrate(db);
  console.error("[hazmap] database is up to date");
} finally {
  await db.destroy();
}
