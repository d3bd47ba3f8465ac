import type pg from "pg";
import { Statement } from "../sql/statement.ts";

const SET_ASIDE = new Statement("SELECT hazmap_set_aside(:table::regclass, :spatial_only)");
const PUT_BACK = new Statement("SELECT hazmap_put_back(:table::regclass)");

/**
 * What a bulk load builds afterwards, in one pass each, instead of row by row, set aside in the load's
 * transaction: `spatial` its GiST indexes; `all` (a load into the empty table) its indexes and unique and
 * foreign-key constraints but those the table cannot do without. Only the table's owner may drop and
 * add them, so the owner does, through two functions of migration 029 that take the layer's name and
 * nothing else: the server connects without that right. A commit with anything still set aside is refused.
 */
export async function setAside(client: pg.ClientBase, table: string, what: "spatial" | "all"): Promise<void> {
  await SET_ASIDE.on(client, { table, spatial_only: what === "spatial" });
}

/** Builds back what setAside set aside (unique values first, then references, then indexes); a file that breaks one is refused here. */
export async function putBack(client: pg.ClientBase, table: string): Promise<void> {
  await PUT_BACK.on(client, { table });
}
