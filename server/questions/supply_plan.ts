import { z } from "zod";
import type { Db } from "../db.ts";
import { assertItemsExist } from "../supplies/items.ts";
import { sqlFile } from "../sql_file.ts";
import { ewktPoint, lonLat, metres } from "./params.ts";

export const SupplyPlanBody = z.strictObject({
  ...lonLat,
  items: z
    .array(z.strictObject({ item: z.string().trim().min(1).max(100), quantity: z.number().int().min(1).max(1_000_000_000) }))
    .min(1)
    .max(100)
    .refine((items) => new Set(items.map((i) => i.item)).size === items.length, "each item may appear once"),
  max_distance_m: metres.optional(),
});
export type SupplyPlanBody = z.output<typeof SupplyPlanBody>;

const sql = sqlFile(new URL("./supply_plan.sql", import.meta.url));

export interface SupplyPick { depot_id: number; name: string; item: string; quantity: number; available: number; distance_m: number; lon: number; lat: number }

export async function supplyPlan(db: Db, q: SupplyPlanBody): Promise<{ picks: SupplyPick[]; shortfall: { item: string; quantity: number }[] }> {
  await assertItemsExist(db, q.items.map((i) => i.item), (i) => ["items", i, "item"]);
  const { rows } = await db.raw(sql, { here: ewktPoint(q.lon, q.lat), needs: JSON.stringify(q.items), max_distance_m: q.max_distance_m ?? null });
  const picks = (rows as SupplyPick[]).map((r) => ({ ...r, depot_id: Number(r.depot_id) }));
  const shortfall = q.items
    .map(({ item, quantity }) => ({ item, quantity: quantity - picks.filter((p) => p.item === item).reduce((s, p) => s + p.quantity, 0) }))
    .filter((s) => s.quantity > 0);
  return { picks, shortfall };
}
