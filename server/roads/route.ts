import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { sqlFile } from "../sql/sql_file.ts";
import type { RoadGraph } from "./graph.ts";
import type { Place } from "./join.ts";
import type { Piece } from "./search.ts";

/** A route as travelled: from a place, along pieces of road, to a place. */
export interface Route {
  from: Place;
  pieces: readonly Piece[];
  to: Place;
}

const routeStatement = new Statement(sqlFile(new URL("./route.sql", import.meta.url)), "road_routes");

/** Each route's line as GeoJSON LineString text (one query for them all): off-road legs, partial and whole edges, in travel order. */
export async function routeLines(db: Db, graph: RoadGraph, routes: readonly Route[]): Promise<string[]> {
  if (routes.length === 0) return [];
  const pieces = routes.flatMap((r, i) => r.pieces.map((p) => ({ r: i + 1, ...p })));
  const rows = await routeStatement.run<{ r: number; route: string }>(db, {
    start_lons: routes.map((r) => r.from.lon),
    start_lats: routes.map((r) => r.from.lat),
    end_lons: routes.map((r) => r.to.lon),
    end_lats: routes.map((r) => r.to.lat),
    route_no: pieces.map((p) => p.r),
    edge_ids: pieces.map((p) => graph.edgeId[p.edge]),
    froms: pieces.map((p) => p.from),
    tos: pieces.map((p) => p.to),
  });
  return rows.map((row) => row.route);
}
