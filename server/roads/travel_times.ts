import type { Db } from "../db.ts";
import { blockedEdges, type HazardLevel } from "./barriers.ts";
import type { RoadGraph } from "./graph.ts";
import { joinPlaces, type Joined, type NotReachable, type Place } from "./join.ts";
import { generations, roadGraph, type Generations } from "./network.ts";
import { search, type Anchor } from "./search.ts";

/** The network a question runs on: current as of the question (one query to know), with its barriers. */
export interface NetworkNow {
  graph: RoadGraph;
  generations: Generations;
  /** edges kept out of routes (avoid_hazards), by edge index; undefined when nothing is avoided */
  blocked?: Uint8Array;
}

export async function networkNow(db: Db, avoidHazards?: HazardLevel): Promise<NetworkNow> {
  const at = await generations(db);
  const graph = await roadGraph(db, at.roads);
  return { graph, generations: at, blocked: avoidHazards === undefined ? undefined : await blockedEdges(db, graph, avoidHazards, at) };
}

export interface TravelTimesInput {
  /** where travel begins */
  from: readonly Place[];
  /** where it ends */
  to: readonly Place[];
  /** keep out of the zones of hazards with risk_level ≤ this, except to leave the zone a route begins in */
  avoidHazards?: HazardLevel;
  /** seconds beyond which a time is not needed (answered Infinity) */
  maxSeconds?: number;
}

export interface TravelTimes {
  /** seconds[i][j]: from[i] to to[j], off-road legs included; Infinity when there is no way (within maxSeconds) */
  seconds: Float64Array[];
  /** metres travelled likewise (off-road legs included) */
  metres: Float64Array[];
  /** why a place of `from` / `to` is not reachable by road (null when it is) */
  fromNotReachable: (NotReachable | null)[];
  toNotReachable: (NotReachable | null)[];
}

const anchorOf = (j: Joined): Anchor | undefined => ("anchor" in j ? j.anchor : undefined);
const reasonOf = (j: Joined): NotReachable | null => ("notReachable" in j ? j.notReachable : null);

/**
 * Travel times by road from every place of `from` to every place of `to`, on the network as it is now
 * (closed roads never used): for the questions that assign by time (evacuation, supply, coverage). One
 * search per place of `from`, each stopping when all of `to` are settled or beyond maxSeconds.
 */
export async function travelTimes(db: Db, input: TravelTimesInput): Promise<TravelTimes> {
  const network = await networkNow(db, input.avoidHazards);
  const joined = await joinPlaces(db, network.graph, [...input.from, ...input.to]);
  const fromJoined = joined.slice(0, input.from.length);
  const toJoined = joined.slice(input.from.length);
  const targets = toJoined.map(anchorOf);
  const reachable = targets.flatMap((a, j) => (a ? [j] : []));
  const none = () => new Float64Array(input.to.length).fill(Infinity);
  const seconds: Float64Array[] = [];
  const metres: Float64Array[] = [];
  for (const from of fromJoined) {
    const start = anchorOf(from);
    const s = none();
    const m = none();
    if (start && reachable.length > 0) {
      const found = search(network.graph, {
        starts: [start],
        travel: "from_starts",
        targets: reachable.map((j) => targets[j]!),
        maxSeconds: input.maxSeconds,
        blocked: network.blocked,
      });
      reachable.forEach((j, t) => {
        s[j] = found.targetSeconds[t]!;
        m[j] = found.targetMetres[t]!;
      });
    }
    seconds.push(s);
    metres.push(m);
  }
  return { seconds, metres, fromNotReachable: fromJoined.map(reasonOf), toNotReachable: toJoined.map(reasonOf) };
}
