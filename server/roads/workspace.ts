import type { RoadGraph } from "./graph.ts";
import { MinHeap } from "./min_heap.ts";

/**
 * The arrays a search works in, kept per graph and reused: a province's network has a million nodes,
 * and allocating and filling arrays of that size for each question would cost more than a k-nearest
 * search, which touches a few thousand. An entry holds a value for the current search only when its
 * stamp is the search's (so nothing is cleared between searches). A search runs synchronously from
 * start to end and keeps nothing afterwards, so one workspace per graph serves every question.
 */
export class Workspace {
  private stamp = 0;
  seen: Uint32Array;
  done: Uint32Array;
  seconds: Float64Array;
  metres: Float64Array;
  prevState: Int32Array;
  via: Int32Array;
  end: Uint8Array;
  /** by node: the search's first target reached along an edge from it (when targetAt is the stamp) */
  targetAt: Uint32Array;
  targetFirst: Int32Array;
  /** the search's queue, emptied by begin() */
  readonly heap = new MinHeap();

  constructor(readonly capacity: number) {
    this.seen = new Uint32Array(capacity);
    this.done = new Uint32Array(capacity);
    this.seconds = new Float64Array(capacity);
    this.metres = new Float64Array(capacity);
    this.prevState = new Int32Array(capacity);
    this.via = new Int32Array(capacity);
    this.end = new Uint8Array(capacity);
    this.targetAt = new Uint32Array(capacity);
    this.targetFirst = new Int32Array(capacity);
  }

  /** The stamp of a new search: entries of earlier searches no longer count. */
  begin(): number {
    if (this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.done.fill(0);
      this.targetAt.fill(0);
      this.stamp = 0;
    }
    this.heap.size = 0;
    return ++this.stamp;
  }
}

const held = new WeakMap<RoadGraph, Workspace>();

/** The workspace of this graph, with room for `size` entries. */
export function workspaceFor(graph: RoadGraph, size: number): Workspace {
  let w = held.get(graph);
  if (!w || w.capacity < size) held.set(graph, (w = new Workspace(Math.max(size, Math.ceil((w?.capacity ?? 0) * 1.5)))));
  return w;
}
