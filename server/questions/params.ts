import { z } from "zod";
import { TOWNSHIP_CODE, TOWNSHIP_CODE_RULE } from "../layers/admin_code.ts";

/** Query-string and body parameters shared by the questions. Degrees are EPSG:4326, metres geodesic. */
export const lon = z.coerce.number().refine(Number.isFinite, "must be a number").pipe(z.number().min(-180).max(180));
export const lat = z.coerce.number().refine(Number.isFinite, "must be a number").pipe(z.number().min(-90).max(90));
export const lonLat = { lon, lat };
/** A distance in metres: not negative, and no more than a third of the way round the Earth. */
export const metres = z.coerce.number().refine(Number.isFinite, "must be a number").pipe(z.number().min(0).max(20_000_000));

/** A point as EWKT, bound as one parameter so the planner sees a constant (KNN needs one to use the index). */
export const ewktPoint = (lon: number, lat: number) => `SRID=4326;POINT(${lon} ${lat})`;

/** A bbox as an EWKT polygon (EPSG:4326). */
export const envelope = ([x0, y0, x1, y1]: readonly number[]) => `SRID=4326;POLYGON((${x0} ${y0},${x1} ${y0},${x1} ${y1},${x0} ${y1},${x0} ${y0}))`;

/** A township by its admin code (6–12 digits), as the questions scope their answers. */
export const township = z.string().regex(TOWNSHIP_CODE, TOWNSHIP_CODE_RULE);

/** Answer by road (travel time on the network) or straight (geodesic metres). */
export const byRoadOrStraight = z.enum(["road", "straight"]);

/** Hazard zones kept out of routes by road: risk_level ≤ this (1 = 重大 only … 4 = all). */
export const avoidHazards = z.coerce
  .number()
  .int()
  .min(1)
  .max(4)
  .describe("by road: routes keep out of the zones of hazards with risk_level ≤ this (1 = 重大 only … 4 = all), except to leave the zone a route starts in");

/** Minutes of travel by road: more than 0, at most 4 hours. */
export const minutes = z.coerce.number().refine(Number.isFinite, "must be a number").pipe(z.number().gt(0).max(240));
