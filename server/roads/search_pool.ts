import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Arcs, RoadGraph, SearchArrays } from "./graph.ts";
import { search, timedRoadOf, type Anchor, type Piece, type SearchInput, type SearchResult } from "./search.ts";

/**
 * Many searches on one graph at once, over the machine's cores: an evacuation searches once per shelter
 * (hundreds of whole-county searches), which on one thread is most of its time. Each worker thread holds
 * the graph's arrays shared (SharedArrayBuffer, copied once per graph) and answers a share of the
 * searches with the very same search(), so the answers are those of search() one after another. Few
 * searches, or one core, are answered here. Only times, metres, starts and routes are answered.
 *
 * The workers start on first use (~0.5 s, TypeScript compiled in each) and stay, idle, for the next.
 */
export async function searchMany(graph: RoadGraph, inputs: readonly SearchInput[]): Promise<SearchResult[]> {
  for (const input of inputs) if (input.timed || input.reachedWithin) throw new Error("searchMany answers no timed or reached road");
  const threads = Math.min(MAX_THREADS, availableParallelism());
  if (threads < 2 || inputs.length < 2 * threads) return inputs.map((input) => search(graph, input));
  const shared = sharedArrays(graph);
  // worker w answers searches w, w + threads, …: neighbours cost alike, so the shares do too
  const shares = await Promise.all(
    Array.from({ length: threads }, (_, w) =>
      workerAt(w).answer(
        shared,
        inputs.filter((_, i) => i % threads === w),
      ),
    ),
  );
  return inputs.map((_, i) => shares[i % threads]![Math.floor(i / threads)]!);
}

/** Threads at most: the searches are CPU only, one per core. */
const MAX_THREADS = 4;

// ---- the graph, shared

interface Shared {
  id: number;
  arrays: SearchArrays;
}
const sharedOf = new WeakMap<RoadGraph, Shared>();
let sharedCount = 0;

function sharedArrays(graph: RoadGraph): Shared {
  let shared = sharedOf.get(graph);
  if (!shared) {
    const a = graph.searchArrays();
    const arcs = (x: Arcs): Arcs => ({ offsets: share(x.offsets), node: share(x.node), edge: share(x.edge), forward: share(x.forward), cost: share(x.cost) });
    const arrays: SearchArrays = {
      ...a,
      edgeSource: share(a.edgeSource),
      edgeTarget: share(a.edgeTarget),
      cost: share(a.cost),
      reverseCost: share(a.reverseCost),
      lengthM: share(a.lengthM),
      out: arcs(a.out),
      in: arcs(a.in),
    };
    sharedOf.set(graph, (shared = { id: ++sharedCount, arrays }));
  }
  return shared;
}

function share<T extends Int32Array | Float64Array | Uint8Array>(a: T): T {
  const copy = new (a.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

// ---- searches packed for a thread: anchors as numbers, the barrier arrays once each

export interface PackedSearches {
  /** per search: starts' first anchor, count, targets' first anchor, count, travel (1: to_starts), k (-1: all), maxSeconds, blocked (-1: none), barriersAt (1: targets), routes (0/1) */
  meta: Float64Array;
  /** edge, fraction, offRoadS, offRoadM of each anchor */
  anchors: Float64Array;
  blocked: Uint8Array[];
}
const META = 10;

export function pack(inputs: readonly SearchInput[]): PackedSearches {
  const meta = new Float64Array(META * inputs.length);
  const anchorCount = inputs.reduce((n, s) => n + s.starts.length + (s.targets?.length ?? 0), 0);
  const anchors = new Float64Array(4 * anchorCount);
  const blocked: Uint8Array[] = [];
  let at = 0;
  const put = (list: readonly Anchor[]) => {
    const first = at;
    for (const a of list) {
      anchors[4 * at] = a.edge;
      anchors[4 * at + 1] = a.fraction;
      anchors[4 * at + 2] = a.offRoadS;
      anchors[4 * at + 3] = a.offRoadM;
      at++;
    }
    return first;
  };
  inputs.forEach((s, i) => {
    if (s.blocked && !blocked.includes(s.blocked)) blocked.push(s.blocked);
    meta.set(
      [
        put(s.starts),
        s.starts.length,
        put(s.targets ?? []),
        s.targets?.length ?? 0,
        s.travel === "to_starts" ? 1 : 0,
        s.k ?? -1,
        s.maxSeconds ?? Infinity,
        s.blocked ? blocked.indexOf(s.blocked) : -1,
        s.barriersAt === "targets" ? 1 : 0,
        s.routes ? 1 : 0,
      ],
      META * i,
    );
  });
  return { meta, anchors, blocked };
}

export function unpack({ meta, anchors, blocked }: PackedSearches): SearchInput[] {
  const list = (first: number, count: number): Anchor[] =>
    Array.from({ length: count }, (_, j) => {
      const p = 4 * (first + j);
      return { edge: anchors[p]!, fraction: anchors[p + 1]!, offRoadS: anchors[p + 2]!, offRoadM: anchors[p + 3]! };
    });
  return Array.from({ length: meta.length / META }, (_, i) => {
    const m = meta.subarray(META * i, META * (i + 1));
    return {
      starts: list(m[0]!, m[1]!),
      targets: list(m[2]!, m[3]!),
      travel: m[4] === 1 ? "to_starts" : "from_starts",
      k: m[5]! < 0 ? undefined : m[5]!,
      maxSeconds: m[6]!,
      blocked: m[7]! < 0 ? undefined : blocked[m[7]!],
      barriersAt: m[8] === 1 ? "targets" : "starts",
      routes: m[9] === 1,
    };
  });
}

/** What a thread answers of a search (search() answers the same, with empty reached and timed). */
export interface Answered {
  targetSeconds: Float64Array;
  targetMetres: Float64Array;
  targetStart: Int32Array;
  routes: (Piece[] | null)[];
}

// ---- the threads

/** The worker's module, loaded in TypeScript as the server is (tsx, in the thread itself). */
const workerCode = `require(${JSON.stringify(createRequire(import.meta.url).resolve("tsx/cjs/api"))}).register();
require(${JSON.stringify(fileURLToPath(new URL("./search_worker.ts", import.meta.url)))});`;

class SearchThread {
  private worker: Worker | undefined;
  private graphId = 0;
  private jobs = 0;
  private readonly pending = new Map<number, { resolve: (r: Answered[]) => void; reject: (e: unknown) => void }>();

  answer(shared: Shared, inputs: readonly SearchInput[]): Promise<SearchResult[]> {
    const worker = this.started();
    if (this.graphId !== shared.id) {
      worker.postMessage({ graph: shared.arrays });
      this.graphId = shared.id;
    }
    const job = ++this.jobs;
    const packed = pack(inputs);
    return new Promise<Answered[]>((resolve, reject) => {
      this.pending.set(job, { resolve, reject });
      worker.ref();
      worker.postMessage({ job, searches: packed }, [packed.meta.buffer, packed.anchors.buffer] as ArrayBuffer[]);
    }).then((answers) => answers.map((a) => ({ ...a, reached: [], timed: timedRoadOf(0) })));
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerCode, { eval: true });
    worker.unref();
    worker.on("message", ({ job, answers, error }: { job: number; answers?: Answered[]; error?: string }) => {
      const p = this.pending.get(job);
      this.pending.delete(job);
      if (this.pending.size === 0) worker.unref();
      if (answers) p?.resolve(answers);
      else p?.reject(new Error(error));
    });
    // a thread that fails takes its jobs with it; the next search starts another
    const fail = (error: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.graphId = 0;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`search thread exited (${code})`)));
    return (this.worker = worker);
  }
}

const threads: SearchThread[] = [];
const workerAt = (w: number) => (threads[w] ??= new SearchThread());
