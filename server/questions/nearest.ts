import { z } from "zod";
import type { Db } from "../db.ts";
import { PreparedStatement } from "../prepared.ts";
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
/** With an item filter, depots carry the matching stock row. */
const DEPOT_STOCK = `(SELECT json_build_object('item', s.item_code, 'quantity', s.quantity, 'unit_zh', i.unit_zh, 'unit_en', i.unit_en) FROM depot_stock s JOIN items i ON i.code = s.item_code
                      WHERE s.depot_id = t.id AND s.item_code = :item) AS stock`;
/**
 * How many candidates the index search takes for k: the step at or above k, a constant in the SQL, so
 * that PostgreSQL costs its generic plan as cheaply as a plan for the actual k and keeps it (a
 * `LIMIT :k` on the index search is costed as a tenth of the table, and every run is planned afresh).
 */
const STEPS = [5, 10, 25, 50, 100];

const template = sqlFile(new URL("./nearest.sql", import.meta.url));
const statements = new Map<string, PreparedStatement>();

/** The prepared statement for a question's layer, k, item filter and hidden attributes. */
function statement(q: NearestQuery, omit: ReadonlySet<string>): PreparedStatement {
  const candidates = STEPS.find((step) => step >= q.limit)!;
  const withStock = q.layer === "depots" && q.item !== undefined;
  const name = ["nearest", q.layer, candidates, withStock ? "stock" : "", ...[...omit].sort()].join("_");
  let found = statements.get(name);
  if (!found) {
    const extra = ["a.distance_m", "a.bearing_deg", ...(withStock ? [DEPOT_STOCK] : [])];
    found = new PreparedStatement(name, template
      .replaceAll("{{table}}", q.layer)
      .replaceAll("{{filter}}", FILTERS[q.layer])
      .replaceAll("{{candidates}}", String(candidates))
      .replace("{{feature}}", featureJson(findLayer(q.layer)!, omit, extra)));
    statements.set(name, found);
  }
  return found;
}

/** The nearest features as GeoJSON Feature texts, nearest first. `omit`: attributes the asker may not see. */
export async function nearest(db: Db, q: NearestQuery, omit: ReadonlySet<string> = new Set()): Promise<string[]> {
  const rows = await statement(q, omit).run<{ feature: string }>(db, {
    here: ewktPoint(q.lon, q.lat), limit: q.limit, max_distance_m: q.max_distance_m ?? null,
    item: q.item ?? null, min_quantity: q.min_quantity ?? 0, specialty: q.specialty ?? null,
    status: q.status ?? null, min_free_capacity: q.min_free_capacity ?? null,
  });
  // stock rows refer to catalogue items, so only an empty answer can hide an unknown item code
  if (rows.length === 0 && q.item) await assertItemsExist(db, [q.item], () => ["item"]);
  return rows.map((r) => r.feature);
}
