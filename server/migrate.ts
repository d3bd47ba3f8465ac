import { fileURLToPath } from "node:url";
import type { Db } from "./db.ts";
import { ITEMS } from "../data/items.ts";

const directory = fileURLToPath(new URL("../migrations", import.meta.url));

/** Bring a database to the current schema and item catalogue. Safe to run again. */
export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ directory, loadExtensions: [".ts"] });
  await db("items").insert(ITEMS).onConflict("code").merge();
}
