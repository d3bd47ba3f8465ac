import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { sqlFile } from "../sql/sql_file.ts";
import type { RoadGraph } from "./graph.ts";
import type { Generations } from "./network.ts";

/** avoid_hazards=L: keep routes out of the zones of hazards with risk_level ≤ L (1 = 重大 only … 4 = all). */
export type HazardLevel = 1 | 2 | 3 | 4;

const readBarriers = new Statement(sqlFile(new URL("./barriers.sql", import.meta.url)), "road_barriers");

interface Held {
  key: string;
  edges: Promise<Set<number>>;
}
const held = new WeakMap<Db, Map<HazardLevel, Held>>();

/**
 * The edges (ids) a route must not use for hazards of level ≤ `level`, kept per database and level until
 * either generation moves.
 */
async function blockedEdgeIds(db: Db, level: HazardLevel, at: Generations): Promise<Set<number>> {
  const key = `${at.roads}/${at.hazards}`;
  let byLevel = held.get(db);
  if (!byLevel) held.set(db, (byLevel = new Map()));
  const current = byLevel.get(level);
  if (current?.key === key) return current.edges;
  const entry: Held = {
    key,
    edges: readBarriers.run<{ roads: string; hazards: string; edge_ids: number[] }>(db, { level }).then(([row]) => {
      // the set is labelled by the generations it was read at, which may be later than those asked for
      entry.key = `${row!.roads}/${row!.hazards}`;
      return new Set(row!.edge_ids);
    }),
  };
  byLevel.set(level, entry);
  entry.edges.catch(() => byLevel.get(level) === entry && byLevel.delete(level));
  return entry.edges;
}

/** The blocked edges as the search takes them: 1 per edge index of `graph`. */
export async function blockedEdges(db: Db, graph: RoadGraph, level: HazardLevel, at: Generations): Promise<Uint8Array> {
  const blocked = new Uint8Array(graph.edgeCount);
  for (const id of await blockedEdgeIds(db, level, at)) {
    const e = graph.edgeIndex(id);
    if (e !== undefined) blocked[e] = 1;
  }
  return blocked;
}
