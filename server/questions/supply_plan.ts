import { z } from "zod";
import type { Db } from "../db.ts";
import { assertItemsExist } from "../supplies/items.ts";
import { inItemUnits, quantity } from "../supplies/quantity.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { ewktPoint, lonLat, metres } from "./params.ts";

export const SupplyPlanBody = z.strictObject({
  ...lonLat,
  items: z
    .array(z.strictObject({ item: z.string().trim().min(1).max(100), quantity: quantity(1, 1_000_000_000) }))
    .min(1)
    .max(100)
    .refine((items) => new Set(items.map((i) => i.item)).size === items.length, "each item may appear once"),
  max_distance_m: metres.optional(),
});
export type SupplyPlanBody = z.output<typeof SupplyPlanBody>;

const plan = new Statement(sqlFile(new URL("./supply_plan.sql", import.meta.url)));

/** A draw from a depot; quantities are in the item's unit, named beside them. */
export interface SupplyPick {
  depot_id: number;
  name: string;
  item: string;
  quantity: number;
  unit_zh: string;
  unit_en: string;
  available: number;
  distance_m: number;
  lon: number;
  lat: number;
}
export interface Shortfall {
  item: string;
  quantity: number;
  unit_zh: string;
  unit_en: string;
}

export async function supplyPlan(db: Db, q: SupplyPlanBody): Promise<{ picks: SupplyPick[]; shortfall: Shortfall[] }> {
  const catalogue = await assertItemsExist(
    db,
    q.items.map((i) => i.item),
    (i) => ["items", i, "item"],
  );
  const needs = await inItemUnits(db, q.items, ["quantity"], (i) => ["items", i, "quantity"]);
  const unit = (item: string) => ({ unit_zh: catalogue.get(item)!.unit_zh, unit_en: catalogue.get(item)!.unit_en });
  const rows = await plan.run<Omit<SupplyPick, "unit_zh" | "unit_en">>(db, {
    here: ewktPoint(q.lon, q.lat),
    needs: JSON.stringify(needs),
    max_distance_m: q.max_distance_m ?? null,
  });
  const picks = rows.map(({ depot_id, name, item, quantity, ...rest }) => ({ depot_id: Number(depot_id), name, item, quantity, ...unit(item), ...rest }));
  const shortfall = needs
    .map(({ item, quantity }) => ({ item, quantity: quantity - picks.filter((p) => p.item === item).reduce((s, p) => s + p.quantity, 0), ...unit(item) }))
    .filter((s) => s.quantity > 0);
  return { picks, shortfall };
}
