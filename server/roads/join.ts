import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { sqlFile } from "../sql/sql_file.ts";
import type { RoadGraph } from "./graph.ts";
import type { Anchor } from "./search.ts";
import { roadSettings } from "./settings.ts";

export interface Place {
  lon: number;
  lat: number;
}

/** Why a point is not reachable by road: the network has no usable road, or the nearest is beyond reach. */
export interface NotReachable {
  reason: "no_roads" | "beyond_reach";
  /** metres to the nearest usable road (null: none) and the reach it is beyond */
  nearest_road_m: number | null;
  reach_m: number;
}

export type Joined = { anchor: Anchor } | { notReachable: NotReachable };

const joinStatement = new Statement(sqlFile(new URL("./join.sql", import.meta.url)), "road_join");

/** Where each place joins the network (one query for them all), or why it cannot. */
export async function joinPlaces(db: Db, graph: RoadGraph, places: readonly Place[]): Promise<Joined[]> {
  if (places.length === 0) return [];
  const { reachM, offRoadKmh } = roadSettings(db);
  // no roads at all (a county without a network yet): nothing to ask the database
  if (graph.edgeCount === 0) return places.map(() => ({ notReachable: { reason: "no_roads", nearest_road_m: null, reach_m: reachM } }));
  const rows = await joinStatement.run<{ i: number; edge_id: number | null; fraction: number | null; off_road_m: number | null }>(db, {
    lons: places.map((p) => p.lon),
    lats: places.map((p) => p.lat),
  });
  return rows.map((r): Joined => {
    const edge = r.edge_id === null ? undefined : graph.edgeIndex(r.edge_id);
    // an edge the graph does not hold was written after the graph was read: the question runs on the graph
    if (edge === undefined || r.off_road_m === null) return { notReachable: { reason: "no_roads", nearest_road_m: null, reach_m: reachM } };
    if (r.off_road_m > reachM) return { notReachable: { reason: "beyond_reach", nearest_road_m: r.off_road_m, reach_m: reachM } };
    return { anchor: { edge, fraction: r.fraction!, offRoadM: r.off_road_m, offRoadS: r.off_road_m / (offRoadKmh / 3.6) } };
  });
}
