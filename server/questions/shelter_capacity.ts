import { z } from "zod";
import type { Db } from "../db.ts";
import { sqlFile } from "../sql_file.ts";
import { metres } from "./params.ts";
import { township } from "./coverage_gaps.ts";

export const ShelterCapacityQuery = z.strictObject({
  radius_m: metres,
  township: township.optional(),
});
export type ShelterCapacityQuery = z.output<typeof ShelterCapacityQuery>;

const sql = sqlFile(new URL("./shelter_capacity.sql", import.meta.url));

export interface TownshipCapacity {
  township: string;
  name: string;
  villages: number;
  population: number;
  shelters: number;
  capacity: number;
  effective_capacity: number;
  ratio: number | null;
  deficit: number;
  effective_deficit: number;
  shelters_below_area_standard: number;
  below_area_standard_ids: number[];
}

/** Townships, least covered first (lowest capacity/population ratio). */
export async function shelterCapacity(db: Db, q: ShelterCapacityQuery): Promise<TownshipCapacity[]> {
  const { rows } = await db.raw(sql, { radius_m: q.radius_m, township: q.township ?? null });
  return rows;
}
