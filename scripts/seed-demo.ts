// Load the demo county (示范县). With --if-empty, do nothing when the database already holds features.
// Then (re)make the demo accounts, one per role, with a password generated now, and print them — never
// in a production deployment (HAZMAP_ENV=production), whose accounts are its admins' business.
import { loadConfig } from "../server/config.ts";
import { createDb } from "../server/db.ts";
import { LAYERS } from "../server/layers/index.ts";
import { countFeatures } from "../server/features/repository.ts";
import { generateDemoCounty } from "../data/demo-county/generate.ts";
import { loadDemoCounty } from "../data/demo-county/load.ts";
import { seedDemoAccounts } from "../data/demo-county/accounts.ts";

const config = loadConfig();
const db = createDb(config);
try {
  const existing = (await Promise.all(LAYERS.map((l) => countFeatures(db, l)))).reduce((a, b) => a + b, 0);
  if (process.argv.includes("--if-empty") && existing > 0) {
    console.error(`[hazmap] database already holds ${existing} features; demo county not loaded`);
  } else {
    const t0 = Date.now();
    const loaded = await loadDemoCounty(db, generateDemoCounty());
    console.error(`[hazmap] demo county loaded in ${Date.now() - t0} ms:`, loaded);
  }
  if (config.HAZMAP_ENV === "production") {
    console.error("[hazmap] production: no demo accounts made");
  } else {
    const { password, accounts } = await seedDemoAccounts(db);
    console.error(`[hazmap] demo accounts — sign in with any of these names and the password ${password}`);
    for (const a of accounts) console.error(`[hazmap]   ${a.username.padEnd(10)} ${a.roles.join(", ")}${a.note ? ` (${a.note})` : ""}`);
  }
} finally {
  await db.destroy();
}
