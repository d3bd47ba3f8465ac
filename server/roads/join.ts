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

/** Where a point joins the graph: the nearest usable edge (an index of the graph), the fraction along it and the metres off road; none: no usable road. */
type Nearest = { edge: number; fraction: number; offRoadM: number } | null;

/**
 * The joins already found on each graph, by position: the places questions ask about (shelters, teams,
 * depots, villages) are the same again and again, and where a point joins depends only on the network,
 * which a graph holds as of one generation (a later generation is another graph, with joins of its own).
 */
const found = new WeakMap<RoadGraph, Map<string, Nearest>>();
/** Positions remembered per graph at most (then forgotten all at once): points asked from are endless. */
const REMEMBERED = 100_000;

type JoinRow = { i: number; edge_id: number | null; fraction: number | null; off_road_m: number | null };
const key = (p: Place) => `${p.lon} ${p.lat}`;
const askJoins = (db: Db, places: readonly Place[]) => joinStatement.run<JoinRow>(db, { lons: places.map((p) => p.lon), lats: places.map((p) => p.lat) });

function knownOn(graph: RoadGraph): Map<string, Nearest> {
  let known = found.get(graph);
  if (!known || known.size > REMEMBERED) found.set(graph, (known = new Map()));
  return known;
}

/**
 * The join rows of `places` remembered as found on `graph`; unless `evenIfOther`, not when a row names an
 * edge the graph does not hold (it was read from another generation of the network than the graph's).
 */
function remember(graph: RoadGraph, places: readonly Place[], rows: readonly JoinRow[], evenIfOther: boolean): boolean {
  const nearest = rows.map((r): Nearest | undefined => {
    if (r.edge_id === null || r.off_road_m === null) return null;
    const edge = graph.edgeIndex(r.edge_id);
    return edge === undefined ? undefined : { edge, fraction: r.fraction!, offRoadM: r.off_road_m };
  });
  if (!evenIfOther && nearest.includes(undefined)) return false;
  const known = knownOn(graph);
  // an edge the graph does not hold was written after the graph was read: the question runs on the graph
  nearest.forEach((n, i) => known.set(key(places[i]!), n ?? null));
  return true;
}

/**
 * The join of `places` asked of the database at once, before the network the question runs on is known
 * (it is found meanwhile): then `on(graph)` answers as joinPlaces does — asking again if the rows came
 * from another generation of the network than the graph's.
 */
export function joinSoon(db: Db, places: readonly Place[]): { on(graph: RoadGraph): Promise<Joined[]> } {
  const rows = askJoins(db, places);
  rows.catch(() => {}); // awaited by on()
  return {
    async on(graph) {
      if (graph.edgeCount > 0) remember(graph, places, await rows, false);
      return joinPlaces(db, graph, places);
    },
  };
}

/** Where each place joins the network (one query for those not joined on this graph before), or why it cannot. */
export async function joinPlaces(db: Db, graph: RoadGraph, places: readonly Place[]): Promise<Joined[]> {
  if (places.length === 0) return [];
  const { reachM, offRoadKmh } = roadSettings(db);
  // no roads at all (a county without a network yet): nothing to ask the database
  if (graph.edgeCount === 0) return places.map(() => ({ notReachable: { reason: "no_roads", nearest_road_m: null, reach_m: reachM } }));
  const known = knownOn(graph);
  const missing = [...new Map(places.filter((p) => !known.has(key(p))).map((p) => [key(p), p])).values()];
  if (missing.length > 0) remember(graph, missing, await askJoins(db, missing), true);
  return places.map((p): Joined => {
    const nearest = known.get(key(p));
    if (!nearest) return { notReachable: { reason: "no_roads", nearest_road_m: null, reach_m: reachM } };
    if (nearest.offRoadM > reachM) return { notReachable: { reason: "beyond_reach", nearest_road_m: nearest.offRoadM, reach_m: reachM } };
    return { anchor: { edge: nearest.edge, fraction: nearest.fraction, offRoadM: nearest.offRoadM, offRoadS: nearest.offRoadM / (offRoadKmh / 3.6) } };
  });
}
