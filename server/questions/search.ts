import { z } from "zod";
import type { Db } from "../db.ts";
import { LAYERS } from "../layers/index.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { joinSql, literal, render, sql, tableOf } from "../sql/template.ts";

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(100).describe("any part of a name, e.g. 消防 or 石场"),
  limit: z.coerce.number().int().min(1).max(50).default(12),
});
export type SearchQuery = z.output<typeof SearchQuery>;

export interface SearchHit {
  layer: string;
  id: number;
  name: string;
  /** A point on the thing (lon, lat): where its popup opens. */
  lon: number;
  lat: number;
  /** [minLon, minLat, maxLon, maxLat]: what to frame for a line or an area. */
  bbox: [number, number, number, number];
}

/** The layers people look things up in by name: every stored layer (derived ones repeat their sources' names). */
const SEARCHED = LAYERS.filter((l) => !l.readOnly);

/**
 * Among names equally close to what was typed, what a person most likely means: a place (a village, a
 * township, a place name) first, then a resource or hazard, then a road, river or area named after one
 * (石场村 before 石场村通村路 and before 石场村委会院坝 when 石场 is typed).
 */
const RANK: Record<string, number> = { villages: 0, townships: 0, places: 0, roads: 2, waterways: 2, water_areas: 2, built_up: 2 };

const branch = sqlFile(new URL("./search_branch.sql", import.meta.url));
const lineBranch = sqlFile(new URL("./search_line_branch.sql", import.meta.url));
const statement = new Statement(
  render(sqlFile(new URL("./search.sql", import.meta.url)), {
    branches: joinSql(
      SEARCHED.map((layer, i) =>
        render(layer.storedAs === "MultiLineString" ? lineBranch : branch, {
          layer: literal(layer.name),
          layer_order: i,
          rank: RANK[layer.name] ?? 1,
          table: tableOf(layer),
        }),
      ),
      sql`\n  UNION ALL\n  `,
    ),
  }),
  "search",
);

/** Named things whose name holds `q`, the closest matches first, places before resources before roads and the base map among equals. */
export async function search(db: Db, { q, limit }: SearchQuery): Promise<SearchHit[]> {
  return statement.run<SearchHit>(db, { q, limit, per_layer: limit });
}
