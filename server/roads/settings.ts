/**
 * How points reach the road network, as configured (server/config.ts: ROAD_REACH_M, OFF_ROAD_KMH):
 * a point joins the nearest usable road within `reachM` geodesic metres, and covers the leg between
 * them at `offRoadKmh` (on foot, or a vehicle off road). Farther away it is not reachable by road.
 */
export interface RoadSettings {
  reachM: number;
  offRoadKmh: number;
}

export const DEFAULT_ROAD_SETTINGS: RoadSettings = Object.freeze({ reachM: 2_000, offRoadKmh: 5 });

const configured = new WeakMap<object, RoadSettings>();

/** The settings questions on this database use (set once by main.ts from the configuration). */
export function roadSettings(db: object): RoadSettings {
  return configured.get(db) ?? DEFAULT_ROAD_SETTINGS;
}

export function configureRoads(db: object, settings: RoadSettings): void {
  configured.set(db, settings);
}
