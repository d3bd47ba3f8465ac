import { z } from "zod";
import type { Db } from "../db.ts";
import { preparedQuery } from "../prepared.ts";
import { findLayer } from "../layers/index.ts";
import { featureJson } from "../features/sql.ts";
import { sqlFile } from "../sql_file.ts";
import { ewktPoint, lonLat, metres } from "./params.ts";
import { assertItemsExist } from "../supplies/items.ts";

export const NearestQuery = z
  .strictObject({
    ...lonLat,
    layer: z.enum(["depots", "shelters", "teams", "hazards"]),
    limit: z.coerce.number().int().min(1).max(100).default(5),
    max_distance_m: metres.optional(),
    item: z.string().trim().min(1).max(100).optional(),
    min_quantity: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
    specialty: z.string().trim().min(1).max(100).optional(),
    status: z.string().trim().min(1).max(20).optional(),
    min_free_capacity: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  })
  .superRefine((q, ctx) => {
    const only = (field: keyof typeof q, layers: string[]) => {
      if (q[field] !== undefined && !layers.includes(q.layer)) ctx.addIssue({ code: "custom", path: [field], message: `applies to layer ${layers.join(" or ")}` });
    };
    only("item", ["depots"]);
    only("min_quantity", ["depots"]);
    only("specialty", ["teams"]);
    only("status", ["teams", "shelters"]);
    only("min_free_capacity", ["shelters"]);
    if (q.min_quantity !== undefined && q.item === undefined) ctx.addIssue({ code: "custom", path: ["min_quantity"], message: "needs item" });
  });
export type NearestQuery = z.output<typeof NearestQuery>;

/** Each layer's filter, over `t` (the layer's row). Unused parameters are NULL. */
const FILTERS: Record<NearestQuery["layer"], string> = {
  // a scalar subquery per candidate (primary-key lookup): the KNN scan visits only a few depots, so
  // this beats EXISTS, which PostgreSQL would hash over every depot holding the item
  depots: `(:item::text IS NULL OR (SELECT s.quantity FROM depot_stock s
                                     WHERE s.depot_id = t.id AND s.item_code = :item) >= :min_quantity)`,
  teams: `(:specialty::text IS NULL OR t.specialties @> ARRAY[:specialty::text])
          AND (:status::text IS NULL OR t.status = :status)`,
  shelters: `(:status::text IS NULL OR t.status = :status)
             AND (:min_free_capacity::int IS NULL OR (t.status = 'open' AND t.capacity - t.occupancy >= :min_free_capacity))`,
  hazards: "TRUE",
};
/** Depots carry the stock row that matched the item filter. */
const DEPOT_STOCK = `, (SELECT json_build_object('item', s.item_code, 'quantity', s.quantity) FROM depot_stock s
                        WHERE s.depot_id = t.id AND s.item_code = :item) AS stock`;

const template = sqlFile(new URL("./nearest.sql", import.meta.url));
const queries = new Map(
  Object.entries(FILTERS).map(([layer, filter]) => [
    layer,
    template
      .replaceAll("{{table}}", layer)
      .replaceAll("{{filter}}", filter)
      .replace("{{feature}}", featureJson(findLayer(layer)!))
      .replace("{{extra}}", layer === "depots" ? DEPOT_STOCK : ""),
  ]),
);

export interface NearestFeature { type: "Feature"; id: number; geometry: unknown; properties: Record<string, unknown> }

/** `omit`: attributes left out (those the asker may not see). */
export async function nearest(db: Db, q: NearestQuery, omit: ReadonlySet<string> = new Set()): Promise<NearestFeature[]> {
  const rows = await preparedQuery<{ distance_m: number; bearing_deg: number | null; feature: string; stock?: unknown }>(db, `nearest_${q.layer}`, queries.get(q.layer)!, {
    here: ewktPoint(q.lon, q.lat), limit: q.limit, max_distance_m: q.max_distance_m ?? null,
    item: q.item ?? null, min_quantity: q.min_quantity ?? 0, specialty: q.specialty ?? null,
    status: q.status ?? null, min_free_capacity: q.min_free_capacity ?? null,
  });
  // stock rows refer to catalogue items, so only an empty answer can hide an unknown item code
  if (rows.length === 0 && q.item) await assertItemsExist(db, [q.item], () => ["item"]);
  return rows.map((r) => {
    const f = JSON.parse(r.feature) as NearestFeature;
    for (const name of omit) delete f.properties[name];
    f.properties.distance_m = r.distance_m;
    f.properties.bearing_deg = r.bearing_deg;
    if (q.item) f.properties.stock = r.stock;
    return f;
  });
}
