import { z } from "zod";
import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { findLayer } from "../layers/index.ts";
import { featureJson } from "../sql/feature_json.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { bareIdent, ident, render, sql, type Sql } from "../sql/template.ts";
import { ewktPoint, lat, lon, metres } from "./params.ts";
import { assertItemsExist } from "../supplies/items.ts";
import { notFound } from "../http/problem.ts";
import { incidentId, oneSubject } from "./incident_subject.ts";

export const NearestQuery = z
  .strictObject({
    lon: lon.optional().describe("degrees EPSG:4326; with lat, unless hazard_id or incident_id is given"),
    lat: lat.optional().describe("degrees EPSG:4326; with lon, unless hazard_id or incident_id is given"),
    hazard_id: z.coerce
      .number()
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe(
        "ask from this hazard instead of lon, lat: distances from its geometry (0 inside it); shelters inside its influence zone are never answered. An unknown hazard is a 404",
      ),
    incident_id: incidentId.optional(),
    layer: z.enum(["depots", "shelters", "teams", "hazards"]),
    limit: z.coerce.number().int().min(1).max(100).default(5),
    max_distance_m: metres.optional(),
    item: z.string().trim().min(1).max(100).optional(),
    min_quantity: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
    specialty: z.string().trim().min(1).max(100).optional(),
    status: z.string().trim().min(1).max(20).optional(),
    min_free_capacity: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
    by: z
      .enum(["road", "straight"])
      .optional()
      .describe(
        "road: the k nearest by travel time on the road network (travel_time_s, road_distance_m, route); straight: by geodesic distance. Default: road where the point joins the network within reach (ROAD_REACH_M), else straight; the answer says which in `by`. Layer hazards: straight only",
      ),
    direction: z
      .enum(["to_point", "from_point"])
      .optional()
      .describe(
        "by road, which way travel goes: to_point (the resource travels to the point: teams and depots by default) or from_point (from the point to the resource: shelters by default, people going to shelter)",
      ),
    avoid_hazards: z.coerce
      .number()
      .int()
      .min(1)
      .max(4)
      .optional()
      .describe(
        "by road: routes keep out of the zones of hazards with risk_level ≤ this (1 = 重大 only … 4 = all), except that a route may use the roads inside the zone the point lies in, to leave (or reach) it",
      ),
    include_unusable: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional()
      .describe(
        "shelters: also answer those that are not usable (closed, full, no free places), marked usable: false with unusable_reason. By default only usable shelters (open, capacity > occupancy) are answered",
      ),
  })
  .superRefine((q, ctx) => {
    const only = (field: keyof typeof q, layers: string[]) => {
      if (q[field] !== undefined && !layers.includes(q.layer))
        ctx.addIssue({ code: "custom", path: [field], message: `applies to layer ${layers.join(" or ")}` });
    };
    only("item", ["depots"]);
    only("min_quantity", ["depots"]);
    only("specialty", ["teams"]);
    only("status", ["teams", "shelters"]);
    only("min_free_capacity", ["shelters"]);
    only("include_unusable", ["shelters"]);
    only("hazard_id", ["shelters", "depots", "teams"]);
    if (q.hazard_id !== undefined && (q.lon !== undefined || q.lat !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["hazard_id"], message: "give either hazard_id or lon and lat, not both" });
    }
    oneSubject(q, ["lon", "lat", "hazard_id"], ctx);
    if (q.hazard_id === undefined && q.incident_id === undefined) {
      for (const field of ["lon", "lat"] as const) {
        if (q[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: "required, unless hazard_id or incident_id is given" });
      }
    }
    // a shelter that is not open is never usable: the default would answer nothing, silently
    if (q.layer === "shelters" && q.status !== undefined && q.status !== "open" && !q.include_unusable) {
      ctx.addIssue({ code: "custom", path: ["status"], message: "only open shelters are usable: add include_unusable=true to ask for others" });
    }
    if (q.min_quantity !== undefined && q.item === undefined) ctx.addIssue({ code: "custom", path: ["min_quantity"], message: "needs item" });
    if (q.layer === "hazards" && q.by === "road") ctx.addIssue({ code: "custom", path: ["by"], message: "layer hazards is answered straight only" });
    for (const field of ["direction", "avoid_hazards"] as const) {
      if (q[field] !== undefined && (q.by === "straight" || q.layer === "hazards"))
        ctx.addIssue({ code: "custom", path: [field], message: "applies by road only" });
    }
  });
export type NearestQuery = z.output<typeof NearestQuery>;

/**
 * Every shelter answered says whether it is usable (the usable_shelters view), why not, and which hazard
 * zones it lies in (in_zone, migration 019). Hazards are found by hazards_geog_gist within the widest zone
 * of all (found once per query, by hazards_influence_radius), then each hazard's own radius decides.
 */
export const SHELTER_MARKS: Sql[] = [
  sql`EXISTS (SELECT 1 FROM usable_shelters u WHERE u.id = t.id) AS usable`,
  sql`CASE WHEN EXISTS (SELECT 1 FROM usable_shelters u WHERE u.id = t.id) THEN NULL
        WHEN t.status <> 'open' THEN t.status ELSE 'no_free_places' END AS unusable_reason`,
  sql`(SELECT coalesce(json_agg(json_build_object('id', h.id, 'name', h.name, 'risk_level', h.risk_level) ORDER BY h.risk_level, h.id), '[]')
    FROM hazards h
    WHERE in_zone(h.geom::geography, (SELECT max(influence_radius_m) FROM hazards), t.geom::geography)
      AND in_zone(h.geom::geography, h.influence_radius_m, t.geom::geography)) AS in_hazard_zones`,
];
/** With an item filter, depots carry the matching stock row. */
export const DEPOT_STOCK = sql`(SELECT json_build_object('item', s.item_code, 'quantity', s.quantity, 'unit_zh', i.unit_zh, 'unit_en', i.unit_en) FROM depot_stock s JOIN items i ON i.code = s.item_code
                      WHERE s.depot_id = t.id AND s.item_code = :item) AS stock`;
/**
 * How many candidates the index search takes for k: the step at or above k, a constant in the SQL, so
 * that PostgreSQL costs its generic plan as cheaply as a plan for the actual k and keeps it (a
 * `LIMIT :k` on the index search is costed as a tenth of the table, and every run is planned afresh).
 */
const STEPS = [5, 10, 25, 50, 100];

const template = sqlFile(new URL("./nearest.sql", import.meta.url));
const statements = new Map<string, Statement>();

/** The prepared statement for a question's layer, k, item filter, usable-only, hazard zone and hidden attributes. */
function statement(q: NearestQuery, omit: ReadonlySet<string>): Statement {
  const candidates = STEPS.find((step) => step >= q.limit)!;
  const withStock = q.layer === "depots" && q.item !== undefined;
  const layer = findLayer(q.layer)!;
  // the rows nearest_exact_<source> (migration 019) ranks, with the layer's filters (item, status…) it applies;
  // shelters by default: only the usable ones (the view of migration 011). Asked from a hazard, shelters
  // within its influence zone (in_zone, migration 019) are left out: a constant, not a parameter: as an
  // optional filter (`:zone_radius_m IS NULL OR …`) it made PostgreSQL expect few rows to pass, cost the
  // KNN scan at the whole index and never keep the generic plan.
  const { source, outsideZone } = candidateSource(q);
  const name = ["nearest", source, candidates, withStock ? "stock" : "", outsideZone ? "zone" : "", ...[...omit].sort()].join("_");
  let found = statements.get(name);
  if (!found) {
    const extra = [sql`a.distance_m`, sql`a.bearing_deg`, sql`'straight' AS "by"`, ...layerMarks(q)];
    found = new Statement(
      render(template, {
        source: bareIdent(source),
        table: ident(source),
        candidates,
        outside_zone: outsideZone ? sql`true` : sql`false`,
        feature: featureJson(layer, omit, extra),
      }),
      name,
    );
    statements.set(name, found);
  }
  return found;
}

/** The properties a layer's answers carry besides distance: a depot's matching stock, a shelter's marks. */
export function layerMarks(q: NearestQuery): Sql[] {
  return [...(q.layer === "depots" && q.item !== undefined ? [DEPOT_STOCK] : []), ...(q.layer === "shelters" ? SHELTER_MARKS : [])];
}

/** The source nearest_exact_<source> ranks for this question, and whether it leaves out the hazard's zone. */
export function candidateSource(q: NearestQuery): { source: string; outsideZone: boolean } {
  const layer = findLayer(q.layer)!;
  return {
    source: q.layer === "shelters" && !q.include_unusable ? "usable_shelters" : layer.table,
    outsideZone: q.layer === "shelters" && q.hazard_id !== undefined,
  };
}

/** The filters' bindings of nearest.sql and nearest_candidates.sql. */
export function filterBindings(q: NearestQuery) {
  return {
    max_distance_m: q.max_distance_m ?? null,
    item: q.item ?? null,
    min_quantity: q.min_quantity ?? 0,
    specialty: q.specialty ?? null,
    status: q.status ?? null,
    min_free_capacity: q.min_free_capacity ?? null,
  };
}

/** Where the question asks from: the point, or the hazard's geometry (hex EWKB, exact) and its influence radius. */
export async function origin(db: Db, q: NearestQuery): Promise<{ here: string; zone_radius_m: number | null }> {
  if (q.hazard_id === undefined) return { here: ewktPoint(q.lon!, q.lat!), zone_radius_m: null };
  const hazard = await db("hazards").where({ id: q.hazard_id }).first(db.raw("geom::text AS geom"), "influence_radius_m");
  if (!hazard) throw notFound(`hazard ${q.hazard_id} does not exist`);
  return { here: hazard.geom, zone_radius_m: hazard.influence_radius_m };
}

/** The nearest features as GeoJSON Feature texts, nearest first. `omit`: attributes the asker may not see. */
export async function nearest(db: Db, q: NearestQuery, omit: ReadonlySet<string> = new Set()): Promise<string[]> {
  const rows = await statement(q, omit).run<{ feature: string }>(db, {
    ...(await origin(db, q)),
    limit: q.limit,
    max_distance_m: q.max_distance_m ?? null,
    item: q.item ?? null,
    min_quantity: q.min_quantity ?? 0,
    specialty: q.specialty ?? null,
    status: q.status ?? null,
    min_free_capacity: q.min_free_capacity ?? null,
  });
  // stock rows refer to catalogue items, so only an empty answer can hide an unknown item code
  if (rows.length === 0 && q.item) await assertItemsExist(db, [q.item], () => ["item"]);
  return rows.map((r) => r.feature);
}
