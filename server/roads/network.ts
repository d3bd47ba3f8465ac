import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { RoadGraph } from "./graph.ts";

/** The generations of road_network (migration 016): bumped by every write to road_edges, and to hazards. */
export interface Generations {
  roads: bigint;
  hazards: bigint;
}

const readGenerations = new Statement("SELECT roads_generation::text AS roads, hazards_generation::text AS hazards FROM road_network", "road_generations");
const readNetwork = new Statement(sqlFile(new URL("./network.sql", import.meta.url)));

/** The one cheap query a question makes to know whether what is held in memory is current. */
export async function generations(db: Db): Promise<Generations> {
  const [row] = await readGenerations.run<{ roads: string; hazards: string }>(db);
  if (!row) throw new Error("road_network has no row (migration 016)");
  return { roads: BigInt(row.roads), hazards: BigInt(row.hazards) };
}

interface Held {
  generation: bigint;
  graph: Promise<RoadGraph>;
}
const held = new WeakMap<Db, Held>();

/**
 * The network of this database as of `generation` or later: the graph held in memory, loaded again when
 * roads_generation has moved past it. Questions that find it stale at the same time share one load.
 */
export async function roadGraph(db: Db, generation: bigint): Promise<RoadGraph> {
  const current = held.get(db);
  if (current && current.generation >= generation) return current.graph;
  const load = loadGraph(db);
  const loading: Held = { generation, graph: load.then((l) => l.graph) };
  held.set(db, loading);
  try {
    const { graph, generation: loaded } = await load;
    // the load may have read a later network than asked for: say so, so that the next question keeps it
    if (held.get(db) === loading) loading.generation = loaded;
    return graph;
  } catch (error) {
    if (held.get(db) === loading) held.delete(db);
    throw error;
  }
}

async function loadGraph(db: Db): Promise<{ graph: RoadGraph; generation: bigint }> {
  const [row] = await readNetwork.run<{
    generation: string;
    id: number[];
    source: number[];
    target: number[];
    cost: number[];
    reverse_cost: number[];
    length_m: number[];
  }>(db);
  if (!row) throw new Error("road_network has no row (migration 016)");
  const graph = new RoadGraph({ id: row.id, source: row.source, target: row.target, cost: row.cost, reverseCost: row.reverse_cost, lengthM: row.length_m });
  return { graph, generation: BigInt(row.generation) };
}
