import type { Db } from "../db.ts";
import { joinPlaces, type Joined, type NotReachable, type Place } from "../roads/join.ts";
import type { Anchor } from "../roads/search.ts";
import type { NetworkNow } from "../roads/travel_times.ts";

/**
 * How a question asked from a point is answered (the rule of every question by road): by road when asked
 * so, or by default when the point joins the network within reach; by default from a point that does
 * not, straight, saying why (`by_reason`); asked by road from such a point, nothing, saying why
 * (`origin_not_reachable`) — never a silent straight line.
 */
export type RoadOrigin =
  | { by: "road"; anchor: Anchor }
  | { by: "road"; originNotReachable: NotReachable | null }
  | { by: "straight"; byReason: NotReachable | null };

export async function roadOrigin(
  db: Db,
  network: NetworkNow,
  here: Place,
  asked: "road" | undefined,
  /** the point's join, when already asked for (joinSoon) */
  join?: { on(graph: NetworkNow["graph"]): Promise<Joined[]> },
): Promise<RoadOrigin> {
  const [joined] = await (join ? join.on(network.graph) : joinPlaces(db, network.graph, [here]));
  if (joined && "anchor" in joined) return { by: "road", anchor: joined.anchor };
  const why = joined && "notReachable" in joined ? joined.notReachable : null;
  return asked === "road" ? { by: "road", originNotReachable: why } : { by: "straight", byReason: why };
}
