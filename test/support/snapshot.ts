import type { Knex } from "knex";
import type { LonLat } from "./truth.ts";

/** Everything the truth computations need, read as plain rows: coordinates and attributes, no geometry work. */
export interface Snapshot {
  villages: { id: number; at: LonLat; population: number; township_code: string | null }[];
  shelters: { id: number; at: LonLat; capacity: number; occupancy: number; status: string; effective_area_m2: number | null; site_kind: string | null }[];
  depots: { id: number; at: LonLat; stock: Map<string, number> }[];
  teams: { id: number; at: LonLat; specialties: string[]; status: string }[];
  townships: { admin_code: string; name: string }[];
}

const at = "ST_X(geom) AS x, ST_Y(geom) AS y";
const lonLat = (r: { x: number; y: number }): LonLat => [r.x, r.y];

export async function snapshot(db: Knex): Promise<Snapshot> {
  const [villages, shelters, depots, stock, teams, townships] = await Promise.all([
    db.raw(`SELECT id::int, ${at}, population, township_code FROM villages`),
    db.raw(`SELECT id::int, ${at}, capacity, occupancy, status, effective_area_m2, site_kind FROM shelters`),
    db.raw(`SELECT id::int, ${at} FROM depots`),
    db.raw(`SELECT depot_id::int, item_code, quantity FROM depot_stock`),
    db.raw(`SELECT id::int, ${at}, specialties, status FROM teams`),
    db.raw(`SELECT admin_code, name FROM townships WHERE admin_code IS NOT NULL`),
  ]);
  const stockOf = new Map<number, Map<string, number>>();
  for (const s of stock.rows) {
    if (!stockOf.has(s.depot_id)) stockOf.set(s.depot_id, new Map());
    stockOf.get(s.depot_id)!.set(s.item_code, s.quantity);
  }
  return {
    villages: villages.rows.map((r: never) => ({ ...(r as object), at: lonLat(r) })),
    shelters: shelters.rows.map((r: never) => ({ ...(r as object), at: lonLat(r) })),
    depots: depots.rows.map((r: { id: number; x: number; y: number }) => ({ id: r.id, at: lonLat(r), stock: stockOf.get(r.id) ?? new Map() })),
    teams: teams.rows.map((r: never) => ({ ...(r as object), at: lonLat(r) })),
    townships: townships.rows,
  };
}
