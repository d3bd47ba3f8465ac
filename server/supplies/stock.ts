import type { Db } from "../db.ts";
import { notFound, preconditionFailed } from "../http/problem.ts";
import { assertItemsExist } from "./items.ts";
import { writeTransaction } from "../write_transaction.ts";
import { assertInside } from "../auth/jurisdiction.ts";
import type { Jurisdiction } from "../auth/permissions.ts";

/** A depot's stock of one catalogue item. `low` when at or below its reorder level. */
export interface StockRow {
  item: string;
  quantity: number;
  reorder_level: number;
  expires_on: string | null;
}

const STOCK_COLUMNS = `s.item_code AS item, i.name_zh, i.name_en, i.unit_zh, i.unit_en, s.quantity, s.reorder_level,
  to_char(s.expires_on, 'YYYY-MM-DD') AS expires_on, s.quantity <= s.reorder_level AS low, s.updated_at`;

export async function getStock(db: Db, depotId: number) {
  const depot = await db("depots").where({ id: depotId }).first("id", "name", "version");
  if (!depot) throw notFound(`depot ${depotId} does not exist`);
  const { rows } = await db.raw(`SELECT ${STOCK_COLUMNS} FROM depot_stock s JOIN items i ON i.code = s.item_code WHERE s.depot_id = ? ORDER BY s.item_code`, [
    depotId,
  ]);
  return { depot_id: Number(depot.id), name: depot.name as string, version: depot.version as number, rows };
}

/** Stock across depots that needs attention: at or below reorder level, or expiring before a date. */
export async function listStock(db: Db, q: { item?: string; low?: boolean; expires_before?: string }) {
  const { rows } = await db.raw(
    `SELECT s.depot_id::int, d.name AS depot_name, ${STOCK_COLUMNS}
       FROM depot_stock s JOIN items i ON i.code = s.item_code JOIN depots d ON d.id = s.depot_id
      WHERE (?::text IS NULL OR s.item_code = ?)
        AND (NOT ?::boolean OR s.quantity <= s.reorder_level)
        AND (?::date IS NULL OR s.expires_on < ?::date)
      ORDER BY s.expires_on NULLS LAST, s.depot_id, s.item_code`,
    [q.item ?? null, q.item ?? null, q.low ?? false, q.expires_before ?? null, q.expires_before ?? null],
  );
  return rows;
}

/**
 * Replace a depot's stock with `rows`, only if the depot is still at `version` (stock is part of the
 * depot: a stock write bumps the depot's version). Rows that did not change keep their updated_at.
 */
export async function putStock(db: Db, depotId: number, version: number, rows: StockRow[], within: Jurisdiction = "all") {
  await writeTransaction(db, async (trx) => {
    await assertInside(trx, within, "depots", depotId, "before");
    const codes = rows.map((r) => r.item);
    await assertItemsExist(trx, codes, (i) => ["rows", i, "item"]);

    const n = await trx("depots").where({ id: depotId, version }).update({ updated_at: trx.fn.now() });
    if (n === 0) {
      const depot = await trx("depots").where({ id: depotId }).first("version");
      if (!depot) throw notFound(`depot ${depotId} does not exist`);
      throw preconditionFailed(`depot ${depotId} is now at version ${depot.version}, not ${version}: someone else changed it; reload`);
    }
    await trx("depot_stock").where({ depot_id: depotId }).whereNotIn("item_code", codes).delete();
    if (rows.length) {
      await trx.raw(
        `INSERT INTO depot_stock (depot_id, item_code, quantity, reorder_level, expires_on)
         SELECT ?, r.item, r.quantity, r.reorder_level, r.expires_on
           FROM json_to_recordset(?::json) AS r(item text, quantity int, reorder_level int, expires_on date)
         ON CONFLICT (depot_id, item_code) DO UPDATE
            SET quantity = EXCLUDED.quantity, reorder_level = EXCLUDED.reorder_level,
                expires_on = EXCLUDED.expires_on, updated_at = now()
          WHERE (depot_stock.quantity, depot_stock.reorder_level, depot_stock.expires_on)
                IS DISTINCT FROM (EXCLUDED.quantity, EXCLUDED.reorder_level, EXCLUDED.expires_on)`,
        [depotId, JSON.stringify(rows)],
      );
    }
  });
  return getStock(db, depotId);
}
