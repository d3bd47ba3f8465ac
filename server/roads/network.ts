import type pg from "pg";
import type { Db } from "../db.ts";
import { withConnection } from "../sql/connection.ts";
import { Statement } from "../sql/statement.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { render, sql } from "../sql/template.ts";
import { RoadGraph, type EdgeRows } from "./graph.ts";

/** The generations of road_network (migration 016): bumped by every write to road_edges, and to hazards. */
export interface Generations {
  roads: bigint;
  hazards: bigint;
}

const readGenerations = new Statement("SELECT roads_generation::text AS roads, hazards_generation::text AS hazards FROM road_network", "road_generations");
const networkTemplate = sqlFile(new URL("./network.sql", import.meta.url));
const readPage = new Statement(render(networkTemplate, { edges: sql`id > :after::bigint`, limit: sql`LIMIT :page::int` }), "road_network_page");
// no LIMIT: with one, PostgreSQL walked the whole primary key in id order, looking for the changed roads' edges
const readChanged = new Statement(
  render(networkTemplate, { edges: sql`road_id IN (SELECT road_id FROM road_network_changes WHERE generation > :held::bigint)`, limit: sql`` }),
  "road_network_changes",
);
/** A generation no network reaches: a whole load reads no change log. */
const NO_CHANGES = "9223372036854775807";

/** Edges read a page at a time: a province's million edges in one row would be a string too long for V8. */
const PAGE = 200_000;
/** Beyond this share of the network's edges changed, reading it whole is as cheap as patching it. */
const PATCH_AT_MOST = 0.2;

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
 * The network of this database as of `generation` or later: the graph held in memory, brought up to date
 * when roads_generation has moved past it — the edges of the roads changed since replaced (the change log
 * of migration 020), or the whole network read again when the log does not reach back that far. Questions
 * that find it stale at the same time share one update.
 */
export async function roadGraph(db: Db, generation: bigint): Promise<RoadGraph> {
  const current = held.get(db);
  if (current && current.generation >= generation) return current.graph;
  const load = current
    ? current.graph.then(
        (older) => update(db, older, current.generation),
        () => loadGraph(db),
      )
    : loadGraph(db);
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

interface Page {
  generation: string;
  complete: boolean;
  road_ids: number[];
  edges: number;
  id: Buffer;
  road_id: Buffer;
  source: Buffer;
  target: Buffer;
  cost: Buffer;
  reverse_cost: Buffer;
  length_m: Buffer;
  points: Buffer;
  lines: Buffer;
}

/** Reads statements in one snapshot: every page of one generation. */
function inOneSnapshot<T>(db: Db, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return withConnection(db, async (client) => {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  });
}

async function loadGraph(db: Db): Promise<{ graph: RoadGraph; generation: bigint }> {
  return inOneSnapshot(db, async (client) => {
    const pages: Page[] = [];
    let after = 0;
    for (;;) {
      const [page] = await readPage.on<Page>(client, { after, page: PAGE, held: NO_CHANGES });
      if (!page) throw new Error("road_network has no row (migration 016)");
      pages.push(page);
      if (page.edges < PAGE) break;
      after = page.id.readDoubleBE(page.id.length - 8);
    }
    return { graph: new RoadGraph(edgeRows(pages)), generation: BigInt(pages[0]!.generation) };
  });
}

/** `older` (of generation `from`) brought up to the network now: only the edges of the roads changed since read (one statement, one snapshot). */
async function update(db: Db, older: RoadGraph, from: bigint): Promise<{ graph: RoadGraph; generation: bigint }> {
  const most = Math.floor(older.edgeCount * PATCH_AT_MOST);
  const [page] = await readChanged.run<Page>(db, { held: from.toString() });
  if (!page?.complete || page.edges > most) return loadGraph(db);
  return { graph: older.withRoadsReplaced(new Set(page.road_ids), edgeRows([page])), generation: BigInt(page.generation) };
}

/** Pages of edges as the graph takes them: columns unpacked from float8send / int4send, lines from WKB (LineString: 1 + 4 + 4 bytes, then x y doubles). */
function edgeRows(pages: Page[]): EdgeRows {
  const m = pages.reduce((n, p) => n + p.edges, 0);
  const column = (of: (p: Page) => Buffer) => {
    const values = new Float64Array(m);
    let e = 0;
    for (const page of pages) {
      const b = of(page);
      for (let at = 0; at < b.length; at += 8) values[e++] = b.readDoubleBE(at);
    }
    return values;
  };
  const pointStart = new Int32Array(m + 1);
  let e = 0;
  for (const page of pages) for (let at = 0; at < page.points.length; at += 4, e++) pointStart[e + 1] = pointStart[e]! + page.points.readInt32BE(at);
  const coords = new Float64Array(2 * pointStart[m]!);
  let c = 0;
  for (const page of pages) {
    const wkb = page.lines;
    for (let at = 0; at < wkb.length; ) {
      const n = wkb.readUInt32LE(at + 5);
      at += 9;
      for (let k = 0; k < 2 * n; k++, at += 8) coords[c++] = wkb.readDoubleLE(at);
    }
  }
  return {
    id: column((p) => p.id),
    roadId: column((p) => p.road_id),
    source: column((p) => p.source),
    target: column((p) => p.target),
    cost: column((p) => p.cost),
    reverseCost: column((p) => p.reverse_cost),
    lengthM: column((p) => p.length_m),
    geometry: { pointStart, coords },
  };
}
