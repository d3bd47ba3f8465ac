import type { Db } from "../db.ts";
import { Statement } from "../sql/statement.ts";
import { sqlFile } from "../sql/sql_file.ts";
import type { RoadGraph } from "./graph.ts";

/**
 * Where the edges of a graph run, held beside it in memory: the points of edge e (lon, lat degrees,
 * EPSG:4326, source to target) are `coords[2 * i], coords[2 * i + 1]` for i in offsets[e] .. offsets[e + 1] - 1.
 * For drawing what a search reached (service areas) without asking the database per question.
 */
export interface EdgeLines {
  offsets: Int32Array;
  coords: Float64Array;
}

const readLines = new Statement(sqlFile(new URL("./edge_lines.sql", import.meta.url)));
const held = new WeakMap<RoadGraph, Promise<EdgeLines>>();

/**
 * The lines of this graph's edges, read once per graph. road_edges ids are never reused (an identity
 * column), so lines read after the graph are the graph's; an edge deleted in between (the network moved
 * on during the question) has no points, and the next question reads a new graph anyway.
 */
export function edgeLines(db: Db, graph: RoadGraph): Promise<EdgeLines> {
  let found = held.get(graph);
  if (!found) {
    found = loadLines(db, graph);
    held.set(graph, found);
    found.catch(() => held.delete(graph));
  }
  return found;
}

async function loadLines(db: Db, graph: RoadGraph): Promise<EdgeLines> {
  const [row] = await readLines.run<{ id: number[]; points: number[]; wkb: Buffer }>(db);
  const { id, points, wkb } = row!;
  const at = new Map<number, [start: number, count: number]>();
  let offset = 0;
  id.forEach((edgeId, k) => {
    // LineString WKB: byte order (1), type (4), number of points (4), then x, y as float64
    at.set(edgeId, [offset + 9, points[k]!]);
    offset += 9 + 16 * points[k]!;
  });
  const offsets = new Int32Array(graph.edgeCount + 1);
  for (let e = 0; e < graph.edgeCount; e++) offsets[e + 1] = offsets[e]! + (at.get(graph.edgeId[e]!)?.[1] ?? 0);
  const coords = new Float64Array(2 * offsets[graph.edgeCount]!);
  for (let e = 0; e < graph.edgeCount; e++) {
    const [start, count] = at.get(graph.edgeId[e]!) ?? [0, 0];
    for (let i = 0; i < 2 * count; i++) coords[2 * offsets[e]! + i] = wkb.readDoubleLE(start + 8 * i);
  }
  return { offsets, coords };
}
