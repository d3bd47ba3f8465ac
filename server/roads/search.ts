import type { RoadGraph } from "./graph.ts";
import { workspaceFor } from "./workspace.ts";

/**
 * Where a point joins the network: on edge `edge` (an index of the graph) at `fraction` of its length
 * from its source, reached from the point by an off-road leg of `offRoadS` seconds and `offRoadM` metres.
 */
export interface Anchor {
  edge: number;
  fraction: number;
  offRoadS: number;
  offRoadM: number;
}

/**
 * `from_starts`: travel begins at a start and ends at a target (a search along travel, e.g. people
 * from their village to a shelter); `to_starts`: travel begins at a target and ends at a start (a
 * search backwards from where travel ends, e.g. teams from their base to the incident).
 */
export type Travel = "from_starts" | "to_starts";

export interface SearchInput {
  starts: readonly Anchor[];
  travel: Travel;
  targets?: readonly Anchor[];
  /** Stop once this many targets are settled (their times are then final). Default: all. */
  k?: number;
  /** Settle nothing beyond this many seconds. */
  maxSeconds?: number;
  /**
   * Edges that may not be used (1 = blocked), except by the part of a route next to its start that
   * runs on blocked edges only, i.e. to leave the zone the search starts in: a two-state search, state 0
   * "not yet left the start's blocked roads", state 1 "left them" (blocked edges closed for good).
   */
  blocked?: Uint8Array;
  /**
   * Which end of a route the blocked edges it may use lie at: `starts` (default), the stretch next to
   * the start it leaves from, as above; `targets`, the stretch next to the target, i.e. a route that
   * has taken a blocked edge takes only blocked ones to its target (state 0 "no blocked edge yet",
   * state 1 "on the target's blocked roads"). A search backwards from shelters with `targets` gives the
   * times a search from each village with `starts` gives: people may use the roads of the zone they
   * leave only to leave it.
   */
  barriersAt?: "starts" | "targets";
  /** Answer each reached target's route (`routes`). */
  routes?: boolean;
  /** Answer the road reached within each of these seconds (≤ maxSeconds) (`reached`). */
  reachedWithin?: readonly number[];
  /** Answer every stretch of road reached within maxSeconds with its times (`timed`). */
  timed?: boolean;
}

/** A stretch of one edge in travel order: from fraction `from` to `to` (0 = source, 1 = target). */
export interface Piece {
  edge: number;
  from: number;
  to: number;
}

/**
 * The road a search reached, stretch by stretch in search order, stretch k in arrays (a 30-minute area
 * has ~100,000; objects were a tenth of its time): one edge `edge[k]` from fraction `from[k]` reached at
 * `fromSeconds[k]` to `to[k]` at `toSeconds[k]` (≤ maxSeconds), the time linear between. An edge reached
 * from both ends (or from a start on it) has a stretch from each: the time of a point is the least of
 * those covering it.
 */
export interface TimedRoad {
  count: number;
  edge: Int32Array;
  from: Float64Array;
  to: Float64Array;
  fromSeconds: Float64Array;
  toSeconds: Float64Array;
}

export interface SearchResult {
  /** Seconds of each target (Infinity: not reached), off-road legs included. */
  targetSeconds: Float64Array;
  /** Metres of each target's route, off-road legs included. */
  targetMetres: Float64Array;
  /** Which start each target's route begins (or ends, to_starts) at; -1 when not reached. */
  targetStart: Int32Array;
  /** With `routes`: each target's route, pieces in travel order (off-road legs not included); null when not reached. */
  routes: (Piece[] | null)[];
  /** With `reachedWithin`: for each time, every stretch of road reached within it, the parts of each edge merged. */
  reached: Piece[][];
  /** With `timed`: the road reached within maxSeconds, with its times (else none). */
  timed: TimedRoad;
}

const NONE = -1;

/**
 * Dijkstra from every start at once over the graph's arcs (out for from_starts, in for to_starts), the
 * starts and targets joined to their edges as virtual nodes: partial edge costs by fraction, one-way
 * respected, a start and a target on the same edge linked directly along it. Ties in time keep the
 * first found; times are sums of the same edge costs pgRouting adds. Everything asked for is answered
 * before it returns (the arrays it works in are the graph's workspace, reused by the next search).
 */
export function search(graph: RoadGraph, input: SearchInput): SearchResult {
  const { starts, travel, blocked } = input;
  const targets = input.targets ?? [];
  const k = Math.min(input.k ?? targets.length, targets.length);
  const maxSeconds = input.maxSeconds ?? Infinity;
  const states = blocked ? 2 : 1;
  const nodeStates = graph.nodeCount * states;
  const work = workspaceFor(graph, nodeStates + targets.length);
  const stamp = work.begin();
  // each entry's time and metres, and how it was reached: the previous node-state (NONE: from a start),
  // the arc (or the start's index) and, for seeds and targets, the end of the edge (0 source, 1 target;
  // 2 along the start's edge)
  const { seen, done, seconds, metres, prevState, via, end, heap } = work;
  const secondsOf = (x: number) => (seen[x] === stamp ? seconds[x]! : Infinity);
  const isSettled = (x: number) => done[x] === stamp;
  const arcs = travel === "from_starts" ? graph.out : graph.in;
  // seconds along edge e between fraction a and b, in search order (a reached first by the search)
  const leg = travel === "from_starts" ? (e: number, a: number, b: number) => graph.along(e, a, b) : (e: number, a: number, b: number) => graph.along(e, b, a);
  const isBlocked = (e: number) => (blocked ? blocked[e] === 1 : false);
  // the two states (see SearchInput.blocked, barriersAt): where a route begins, the state after an edge
  // (-1: not allowed), and whether a target may be reached along its edge in a state
  const atTargets = input.barriersAt === "targets";
  const firstState = (e: number) => (isBlocked(e) === atTargets ? 1 : 0);
  const stateAfter = (state: number, e: number) => (isBlocked(e) ? (atTargets ? 1 : state === 0 ? 0 : -1) : atTargets ? (state === 0 ? 0 : -1) : 1);
  const mayEndOn = (state: number, e: number) => (atTargets ? state === 0 || isBlocked(e) : state === 0 || !isBlocked(e));

  const offer = (x: number, s: number, m: number, from: number, arcOrStart: number, atEnd: number) => {
    if (s < secondsOf(x) && s <= maxSeconds) {
      seen[x] = stamp;
      seconds[x] = s;
      metres[x] = m;
      prevState[x] = from;
      via[x] = arcOrStart;
      end[x] = atEnd;
      heap.push(s, x);
    }
  };

  // the targets by the node they are reached from along their edge (a list per node, in target order, in
  // the workspace: a node has one when targetAt[node] is this search's stamp), and by edge (for a start
  // on the same edge)
  const { targetAt, targetFirst } = work;
  const linkNext = new Int32Array(2 * targets.length);
  const linkTarget = new Int32Array(2 * targets.length);
  const linkEnd = new Uint8Array(2 * targets.length);
  let links = 0;
  // listed backwards, each put first: the lists end up in target order
  for (let i = targets.length - 1; i >= 0; i--) {
    const t = targets[i]!;
    for (let x = 1; x >= 0; x--) {
      if (!(leg(t.edge, x, t.fraction) < Infinity)) continue;
      const node = x === 0 ? graph.edgeSource[t.edge]! : graph.edgeTarget[t.edge]!;
      linkNext[links] = targetAt[node] === stamp ? targetFirst[node]! : NONE;
      linkTarget[links] = i;
      linkEnd[links] = x;
      targetAt[node] = stamp;
      targetFirst[node] = links++;
    }
  }
  const targetsOnEdge = new Map<number, number[]>();
  targets.forEach((t, i) => {
    const list = targetsOnEdge.get(t.edge);
    if (list) list.push(i);
    else targetsOnEdge.set(t.edge, [i]);
  });

  starts.forEach((a, i) => {
    const state = states === 2 ? firstState(a.edge) : 0;
    for (const x of [0, 1]) {
      const node = x === 0 ? graph.edgeSource[a.edge]! : graph.edgeTarget[a.edge]!;
      offer(node * states + state, a.offRoadS + leg(a.edge, a.fraction, x), a.offRoadM + Math.abs(x - a.fraction) * graph.lengthM[a.edge]!, NONE, i, x);
    }
    for (const t of targetsOnEdge.get(a.edge) ?? []) {
      const b = targets[t]!;
      offer(
        nodeStates + t,
        a.offRoadS + leg(a.edge, a.fraction, b.fraction) + b.offRoadS,
        a.offRoadM + Math.abs(b.fraction - a.fraction) * graph.lengthM[a.edge]! + b.offRoadM,
        NONE,
        i,
        2,
      );
    }
  });

  // without targets the search runs out to maxSeconds (a service area)
  const wanted = targets.length === 0 ? Infinity : k;
  let settledTargets = 0;
  // the loop every question spends its time in: plain array reads, no calls but the heap's
  const { offsets, node: arcNode, edge: arcEdge, cost: arcCost } = arcs;
  const lengthM = graph.lengthM;
  const barrier = blocked ?? new Uint8Array(0);
  while (heap.size > 0 && settledTargets < wanted) {
    const x = heap.pop();
    if (done[x] === stamp) continue;
    done[x] = stamp;
    if (x >= nodeStates) {
      settledTargets++;
      continue;
    }
    const v = states === 2 ? x >> 1 : x;
    const state = states === 2 ? x & 1 : 0;
    const sx = seconds[x]!;
    const mx = metres[x]!;
    for (let i = offsets[v]!, last = offsets[v + 1]!; i < last; i++) {
      const e = arcEdge[i]!;
      let y = arcNode[i]!;
      if (states === 2) {
        // stateAfter, written out
        const next = barrier[e] === 1 ? (atTargets ? 1 : state === 0 ? 0 : -1) : atTargets ? (state === 0 ? 0 : -1) : 1;
        if (next < 0) continue;
        y = 2 * y + next;
      }
      const s = sx + arcCost[i]!;
      if (s <= maxSeconds && (seen[y] !== stamp || s < seconds[y]!)) {
        seen[y] = stamp;
        seconds[y] = s;
        metres[y] = mx + lengthM[e]!;
        prevState[y] = x;
        via[y] = i;
        end[y] = 0;
        heap.push(s, y);
      }
    }
    // the targets reached from this node along their edge (blocked edges only next to the start's, or the target's)
    if (targetAt[v] !== stamp) continue;
    for (let j = targetFirst[v]!; j !== NONE; j = linkNext[j]!) {
      const t = linkTarget[j]!;
      const atEnd = linkEnd[j]!;
      const b = targets[t]!;
      if (states === 2 && !mayEndOn(state, b.edge)) continue;
      offer(
        nodeStates + t,
        sx + leg(b.edge, atEnd, b.fraction) + b.offRoadS,
        mx + Math.abs(b.fraction - atEnd) * graph.lengthM[b.edge]! + b.offRoadM,
        x,
        NONE,
        atEnd,
      );
    }
  }

  const targetSeconds = new Float64Array(targets.length);
  const targetMetres = new Float64Array(targets.length);
  const targetStart = new Int32Array(targets.length).fill(NONE);
  const startOf = (x: number): number => {
    while (prevState[x] !== NONE) x = prevState[x]!;
    return via[x]!;
  };
  targets.forEach((_, t) => {
    const x = nodeStates + t;
    const reachedTarget = isSettled(x);
    targetSeconds[t] = reachedTarget ? seconds[x]! : Infinity;
    targetMetres[t] = reachedTarget ? metres[x]! : Infinity;
    if (reachedTarget) targetStart[t] = startOf(x);
  });

  // a piece the search went along from fraction a to b, in travel order
  const piece = (e: number, a: number, b: number): Piece => (travel === "from_starts" ? { edge: e, from: a, to: b } : { edge: e, from: b, to: a });

  function route(t: number): Piece[] {
    let x = nodeStates + t;
    const b = targets[t]!;
    const pieces: Piece[] = [];
    if (end[x] === 2) {
      pieces.push(piece(b.edge, starts[via[x]!]!.fraction, b.fraction));
    } else {
      pieces.push(piece(b.edge, end[x]!, b.fraction));
      x = prevState[x]!;
      while (prevState[x] !== NONE) {
        const arc = via[x]!;
        const forward = arcs.forward[arc] === 1;
        // the arc in travel order runs 0 → 1 when it follows the digitised direction
        pieces.push({ edge: arcs.edge[arc]!, from: forward ? 0 : 1, to: forward ? 1 : 0 });
        x = prevState[x]!;
      }
      const a = starts[via[x]!]!;
      pieces.push(piece(a.edge, a.fraction, end[x]!));
    }
    // collected from the target back to the start: that is travel order when travel ends at the starts
    return travel === "from_starts" ? pieces.reverse() : pieces;
  }

  // every stretch of road reached within `limit`: edge e from fraction a, reached at `at` seconds, towards
  // fraction b as far as the time left goes (to `to`, at `atTo`)
  function eachStretch(limit: number, visit: (e: number, a: number, to: number, at: number, atTo: number) => void): void {
    if (limit > maxSeconds) throw new Error(`reached within ${limit} s: beyond the search's maxSeconds ${maxSeconds}`);
    const stretch = (e: number, a: number, b: number, at: number) => {
      if (!(at <= limit)) return;
      const whole = leg(e, a, b);
      if (whole === Infinity) return;
      if (whole <= limit - at) visit(e, a, b, at, at + whole);
      else visit(e, a, a + ((b - a) * (limit - at)) / whole, at, limit);
    };
    // the time of node v for going on along edge e: blocked edges only in the state that may take them
    const best = (v: number, e: number) => {
      let found = Infinity;
      for (let state = 0; state < states; state++) {
        const x = v * states + state;
        if (isSettled(x) && seconds[x]! < found && (states === 1 || stateAfter(state, e) >= 0)) found = seconds[x]!;
      }
      return found;
    };
    for (let e = 0; e < graph.edgeCount; e++) {
      stretch(e, 0, 1, best(graph.edgeSource[e]!, e));
      stretch(e, 1, 0, best(graph.edgeTarget[e]!, e));
    }
    for (const a of starts) {
      stretch(a.edge, a.fraction, 1, a.offRoadS);
      stretch(a.edge, a.fraction, 0, a.offRoadS);
    }
  }

  function reached(limit: number): Piece[] {
    const byEdge = new Map<number, [number, number][]>();
    eachStretch(limit, (e, a, to) => {
      const list = byEdge.get(e);
      const part: [number, number] = [Math.min(a, to), Math.max(a, to)];
      if (list) list.push(part);
      else byEdge.set(e, [part]);
    });
    // each edge's parts, overlapping ones merged
    const found: Piece[] = [];
    for (const [edge, parts] of byEdge) {
      parts.sort((x, y) => x[0] - y[0]);
      let [from, to] = parts[0]!;
      for (const [a, b] of parts.slice(1)) {
        if (a <= to) to = Math.max(to, b);
        else {
          found.push({ edge, from, to });
          [from, to] = [a, b];
        }
      }
      found.push({ edge, from, to });
    }
    return found;
  }

  function timedRoad(): TimedRoad {
    // at most a stretch from each end of every edge and two from each start
    const most = 2 * graph.edgeCount + 2 * starts.length;
    const found = timedRoadOf(most);
    eachStretch(maxSeconds, (e, from, to, fromSeconds, toSeconds) => {
      const k = found.count++;
      found.edge[k] = e;
      found.from[k] = from;
      found.to[k] = to;
      found.fromSeconds[k] = fromSeconds;
      found.toSeconds[k] = toSeconds;
    });
    return found;
  }

  return {
    targetSeconds,
    targetMetres,
    targetStart,
    routes: input.routes ? targets.map((_, t) => (Number.isFinite(targetSeconds[t]!) ? route(t) : null)) : [],
    reached: (input.reachedWithin ?? []).map(reached),
    timed: input.timed ? timedRoad() : timedRoadOf(0),
  };
}

/** Room for `size` stretches, none yet. */
export const timedRoadOf = (size: number): TimedRoad => ({
  count: 0,
  edge: new Int32Array(size),
  from: new Float64Array(size),
  to: new Float64Array(size),
  fromSeconds: new Float64Array(size),
  toSeconds: new Float64Array(size),
});
