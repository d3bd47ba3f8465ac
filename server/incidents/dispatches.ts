import { z } from "zod";
import type { Knex } from "knex";
import type { Db } from "../db.ts";
import { conflict, notFound, preconditionFailed, Problem } from "../http/problem.ts";
import { assertItemsExist } from "../supplies/items.ts";
import { quantity } from "../supplies/quantity.ts";
import { currentActor, writeTransaction } from "../write_transaction.ts";
import { assertIncident } from "./incidents.ts";

export const NewDispatch = z.strictObject({
  depot_id: z.number().int().positive(),
  items: z
    .array(z.strictObject({ item: z.string().trim().min(1).max(100), quantity: quantity(1, 1_000_000_000) }))
    .min(1)
    .max(100)
    .refine((items) => new Set(items.map((i) => i.item)).size === items.length, "each item may appear once"),
});
export const DispatchChange = z.strictObject({ status: z.enum(["delivered", "cancelled"]) });

export interface Dispatch {
  id: number;
  incident_id: number;
  depot_id: number;
  depot_name: string;
  status: "sent" | "delivered" | "cancelled";
  sent_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  items: { item: string; quantity: number; name_zh: string; unit_zh: string; unit_en: string }[];
}

const DISPATCH = `
  SELECT d.id::int, d.incident_id::int, d.depot_id::int, p.name AS depot_name, d.status, d.sent_by, d.created_at, d.updated_at, d.version,
         (SELECT json_agg(json_build_object('item', di.item_code, 'quantity', di.quantity, 'name_zh', i.name_zh, 'unit_zh', i.unit_zh, 'unit_en', i.unit_en)
                          ORDER BY di.item_code)
            FROM dispatch_items di JOIN items i ON i.code = di.item_code WHERE di.dispatch_id = d.id) AS items
  FROM dispatches d JOIN depots p ON p.id = d.depot_id`;

export async function listDispatches(db: Knex, incidentId: number): Promise<Dispatch[]> {
  await assertIncident(db, incidentId, { open: false });
  return (await db.raw(`${DISPATCH} WHERE d.incident_id = ? ORDER BY d.id`, [incidentId])).rows;
}

async function getDispatch(db: Knex, incidentId: number, id: number): Promise<Dispatch> {
  const { rows } = await db.raw(`${DISPATCH} WHERE d.incident_id = ? AND d.id = ?`, [incidentId, id]);
  if (!rows[0]) throw notFound(`incident ${incidentId} has no dispatch ${id}`);
  return rows[0];
}

/**
 * Send stock from a depot to an incident: all of it leaves the depot or none does. The depot's row is
 * locked first (as a stock PUT locks it), so dispatches from one depot queue instead of deadlocking;
 * each item's stock is taken only where it is enough, and the CHECK (quantity ≥ 0) stands behind that.
 */
export async function sendDispatch(db: Db, incidentId: number, input: { depot_id: number; items: { item: string; quantity: number }[] }): Promise<Dispatch> {
  return writeTransaction(db, async (trx) => {
    await assertIncident(trx, incidentId, { open: true });
    // stock is part of the depot: taking it bumps the depot's version (a stale stock PUT then fails)
    const depot = await trx("depots").where({ id: input.depot_id }).update({ updated_at: trx.fn.now() }).returning("name");
    if (depot.length === 0)
      throw new Problem(422, "unknown-depot", "Unprocessable request", `depot ${input.depot_id} does not exist`, [
        { path: ["depot_id"], message: "names no depot" },
      ]);
    const codes = input.items.map((i) => i.item);
    const units = await assertItemsExist(trx, codes, (i) => ["items", i, "item"]);
    const { rows: taken } = await trx.raw(
      `UPDATE depot_stock s SET quantity = s.quantity - r.quantity, updated_at = now()
         FROM json_to_recordset(:items::json) AS r(item text, quantity int)
        WHERE s.depot_id = :depot AND s.item_code = r.item AND s.quantity >= r.quantity
       RETURNING s.item_code`,
      { items: JSON.stringify(input.items), depot: input.depot_id },
    );
    if (taken.length < input.items.length) {
      const { rows: held } = await trx.raw("SELECT item_code, quantity FROM depot_stock WHERE depot_id = ? AND item_code = ANY(?)", [input.depot_id, codes]);
      const has = new Map<string, number>(held.map((h: { item_code: string; quantity: number }) => [h.item_code, h.quantity]));
      const gotten = new Set(taken.map((t: { item_code: string }) => t.item_code));
      const short = input.items.flatMap((it, i) =>
        gotten.has(it.item)
          ? []
          : [
              {
                path: ["items", i, "quantity"],
                message: `${depot[0].name} holds ${has.get(it.item) ?? 0} ${units.get(it.item)!.unit_en} of ${it.item}, not ${it.quantity}`,
              },
            ],
      );
      throw conflict(`not enough stock at ${depot[0].name}: ${short.map((s) => s.message).join("; ")}; nothing was sent`, short);
    }
    const [row] = await trx("dispatches")
      .insert({ incident_id: incidentId, depot_id: input.depot_id, sent_by: currentActor()?.username ?? null })
      .returning("id");
    await trx("dispatch_items").insert(input.items.map((i) => ({ dispatch_id: row.id, item_code: i.item, quantity: i.quantity })));
    return getDispatch(trx, incidentId, Number(row.id));
  });
}

/** Mark a sent dispatch delivered, or cancel it (its stock returns to the depot). Either is final. */
export async function changeDispatch(db: Db, incidentId: number, id: number, version: number, change: z.output<typeof DispatchChange>): Promise<Dispatch> {
  return writeTransaction(db, async (trx) => {
    const current = await getDispatch(trx, incidentId, id);
    if (current.version !== version)
      throw preconditionFailed(`dispatch ${id} is now at version ${current.version}, not ${version}: someone else changed it; reload`);
    if (current.status !== "sent") throw conflict(`dispatch ${id} is already ${current.status}`, [{ path: ["status"], message: `already ${current.status}` }]);
    if (change.status === "cancelled") {
      await trx("depots").where({ id: current.depot_id }).update({ updated_at: trx.fn.now() });
      await trx.raw(
        `INSERT INTO depot_stock (depot_id, item_code, quantity)
         SELECT :depot, di.item_code, di.quantity FROM dispatch_items di WHERE di.dispatch_id = :id
         ON CONFLICT (depot_id, item_code) DO UPDATE SET quantity = depot_stock.quantity + EXCLUDED.quantity, updated_at = now()`,
        { depot: current.depot_id, id },
      );
    }
    await trx("dispatches").where({ id }).update({ status: change.status });
    return getDispatch(trx, incidentId, id);
  });
}
