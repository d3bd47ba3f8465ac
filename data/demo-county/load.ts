import type { Db } from "../../server/db.ts";
import { findLayer } from "../../server/layers/index.ts";
import { schemasOf } from "../../server/features/schemas.ts";
import { createFeature } from "../../server/features/repository.ts";
import { parse } from "../../server/http/parse.ts";
import type { DemoCounty } from "./generate.ts";

/** Layers in the order their references need (villages refer to townships). */
const ORDER = ["townships", "villages", "hazards", "shelters", "depots", "teams", "roads", "waterways", "water_areas", "built_up", "places"] as const;

/**
 * Load a generated county through the same validation and storage as the API, in one transaction:
 * the demo data obeys the HTTP contract, and a failure leaves the database as it was.
 */
export async function loadDemoCounty(db: Db, county: DemoCounty): Promise<Record<string, number>> {
  const loaded: Record<string, number> = {};
  await db.transaction(async (trx) => {
    for (const name of ORDER) {
      const layer = findLayer(name)!;
      for (const f of county[name]) {
        const { id } = await createFeature(trx, layer, parse(schemasOf(layer).create, f) as never);
        if ("stock" in f && f.stock.length) {
          await trx("depot_stock").insert(
            f.stock.map((s) => ({ depot_id: id, item_code: s.item, quantity: s.quantity, reorder_level: s.reorder_level, expires_on: s.expires_on })),
          );
        }
      }
      loaded[name] = county[name].length;
    }
  });
  return loaded;
}
