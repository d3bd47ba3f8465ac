import type { Snapshot } from "./snapshot.ts";
import { geodesicDistance, within, type LonLat } from "./truth.ts";

/**
 * The resources that can help, by the product's stated rule and written out here on plain rows: a shelter
 * open with free places, a team on standby, a depot holding any stock.
 */
export function usable(s: Snapshot): Pick<Snapshot, "shelters" | "depots" | "teams"> {
  return {
    shelters: s.shelters.filter((x) => x.status === "open" && x.capacity > x.occupancy),
    teams: s.teams.filter((x) => x.status === "standby"),
    depots: s.depots.filter((x) => [...x.stock.values()].some((q) => q > 0)),
  };
}

/** Villages with no covering resource within the radius, by brute force over all pairs. */
export function uncovered<V extends { at: LonLat }>(villages: V[], covering: { at: LonLat }[], radius: number): V[] {
  return villages.filter((v) => !covering.some((c) => within(geodesicDistance(v.at, c.at), radius)));
}
