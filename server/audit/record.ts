import type { Knex } from "knex";
import type { Db } from "../db.ts";
import { currentActor } from "../write_transaction.ts";

/** jsonb refuses a lone surrogate and NUL (an import's warnings quote the file's column names): U+FFFD instead. */
const storable = (_key: string, value: unknown) =>
  typeof value === "string" ? value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\0/g, "\uFFFD") : value;

/**
 * An audit entry for something that writes no row of its own (an export, an import's summary),
 * attributed like the triggers' entries.
 */
export async function recordAudit(
  db: Db | Knex.Transaction,
  entry: { action: string; entity: string; entity_id?: string; detail: Record<string, unknown> },
): Promise<void> {
  const actor = currentActor();
  await db("audit").insert({
    actor_id: actor?.id ?? null,
    actor: actor?.username ?? db.raw("session_user"),
    via: actor?.via ?? "database",
    ip: actor?.ip ?? null,
    request: actor?.request ?? null,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entity_id ?? null,
    detail: JSON.stringify(entry.detail, storable),
  });
}
