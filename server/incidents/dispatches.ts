import { z } from "zod";
import type { Knex } from "knex";
import type { Db } from "../db.ts";
import { conflict, type FieldError, type FieldPath, notFound, preconditionFailed, Problem } from "../http/problem.ts";
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

/** What one depot is asked to send: counts in each item's unit. */
export interface DispatchOrder {
  depot_id: number;
  items: { item: string; quantity: number }[];
}

/** Sends from several depots at once (a supply plan sent in one action): all of them or none. */
export const NewDispatches = z.strictObject({
  dispatches: z
    .array(NewDispatch)
    .min(1)
    .max(100)
    .refine((list) => new Set(list.map((d) => d.depot_id)).size === list.length, "each depot may appear once"),
});

/**
 * Send stock from depots to an incident: every item of every order leaves its depot in one transaction,
 * or nothing does (409 naming each item short, under `pathOf(order)`). The depots' rows are locked first,
 * in id order (as a stock PUT locks its depot), so sends that share depots queue instead of deadlocking;
 * each item is taken only where the stock is enough, and the CHECK (quantity ≥ 0) stands behind that.
 */
export async function sendDispatches(db: Db, incidentId: number, orders: DispatchOrder[], pathOf: (order: number) => FieldPath): Promise<Dispatch[]> {
  return writeTransaction(db, async (trx) => {
    await assertIncident(trx, incidentId, { open: true });
    const asked = orders.flatMap((o, n) => o.items.map((i, j) => ({ item: i.item, path: [...pathOf(n), "items", j, "item"] })));
    const units = await assertItemsExist(
      trx,
      asked.map((a) => a.item),
      (k) => asked[k]!.path,
    );
    // stock is part of the depot: taking it bumps the depot's version (a stale stock PUT then fails)
    const ids = orders.map((o) => o.depot_id).sort((a, b) => a - b);
    const locked = await trx("depots").whereIn("id", ids).orderBy("id").forUpdate().select("id", "name");
    const names = new Map<number, string>(locked.map((d) => [Number(d.id), d.name as string]));
    await trx("depots").whereIn("id", ids).update({ updated_at: trx.fn.now() });
    const unknown = orders.flatMap((o, n) => (names.has(o.depot_id) ? [] : [{ path: [...pathOf(n), "depot_id"], message: "names no depot" }]));
    if (unknown.length) throw new Problem(422, "unknown-depot", "Unprocessable request", `no such depot: ${unknown.length} named`, unknown);

    const short: FieldError[] = [];
    for (const [n, order] of orders.entries()) {
      const { rows: taken } = await trx.raw(
        `UPDATE depot_stock s SET quantity = s.quantity - r.quantity, updated_at = now()
           FROM json_to_recordset(:items::json) AS r(item text, quantity int)
          WHERE s.depot_id = :depot AND s.item_code = r.item AND s.quantity >= r.quantity
         RETURNING s.item_code`,
        { items: JSON.stringify(order.items), depot: order.depot_id },
      );
      if (taken.length === order.items.length) continue;
      const codes = order.items.map((i) => i.item);
      const { rows: held } = await trx.raw("SELECT item_code, quantity FROM depot_stock WHERE depot_id = ? AND item_code = ANY(?)", [order.depot_id, codes]);
      const has = new Map<string, number>(held.map((h: { item_code: string; quantity: number }) => [h.item_code, h.quantity]));
      const gotten = new Set(taken.map((t: { item_code: string }) => t.item_code));
      for (const [i, it] of order.items.entries()) {
        if (gotten.has(it.item)) continue;
        const message = `${names.get(order.depot_id)} holds ${has.get(it.item) ?? 0} ${units.get(it.item)!.unit_en} of ${it.item}, not ${it.quantity}`;
        short.push({ path: [...pathOf(n), "items", i, "quantity"], message });
      }
    }
    if (short.length) throw conflict(`not enough stock: ${short.map((s) => s.message).join("; ")}; nothing was sent`, short);

    const sent: Dispatch[] = [];
    for (const order of orders) {
      const [row] = await trx("dispatches")
        .insert({ incident_id: incidentId, depot_id: order.depot_id, sent_by: currentActor()?.username ?? null })
        .returning("id");
      await trx("dispatch_items").insert(order.items.map((i) => ({ dispatch_id: row.id, item_code: i.item, quantity: i.quantity })));
      sent.push(await getDispatch(trx, incidentId, Number(row.id)));
    }
    return sent;
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
