import { z } from "zod";
import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { ewktPoint, lonLat } from "./params.ts";

export const PlaceQuery = z.strictObject(lonLat);
export type PlaceQuery = z.output<typeof PlaceQuery>;

const placeSql = new Statement(sqlFile(new URL("./place.sql", import.meta.url)), "place");

export interface Place {
  /** The nearest village (geodesic metres), null when there are none. */
  village: { id: number; name: string; township_code: string | null; lon: number; lat: number; distance_m: number } | null;
  /** The township whose area holds the point, null when none does (outside the county, or no boundaries). */
  township: { id: number; admin_code: string | null; name: string } | null;
}

/** Where a point is, as people name it: the nearest village and the township containing it. */
export async function place(db: Db, q: PlaceQuery): Promise<Place> {
  const [row] = await placeSql.run<Place>(db, { here: ewktPoint(q.lon, q.lat) });
  return { village: row?.village ?? null, township: row?.township ?? null };
}
