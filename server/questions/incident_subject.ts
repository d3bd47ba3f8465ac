import { z } from "zod";
import type { Geometry } from "../layers/geometry.ts";

/**
 * `incident_id=`: a question asked for an incident instead of a point or area. The question is then
 * asked of what the incident stands for — its area (exposure, the evacuation plan) or a point of it
 * (nearest, the supply plan): `ST_PointOnSurface` of the area, the point its needs reach by road from.
 * A closed incident still answers (its history); the answer's `incident` says when it ended.
 */
export const incidentId = z.coerce
  .number()
  .int()
  .min(1)
  .max(Number.MAX_SAFE_INTEGER)
  .describe(
    "ask for this incident instead of a point or area: its area, or a point of it (ST_PointOnSurface); the answer's `incident` says which incident, its point and ended_at. Not with a point or area; an unknown incident is a 404",
  );

/** The incident a question was asked for, as the answer names it. */
export interface AskedIncident {
  id: number;
  name: string;
  started_at: string;
  /** null while it is open: a closed incident answers too */
  ended_at: string | null;
  /** where a point question is asked from or to: ST_PointOnSurface of the area */
  point: { lon: number; lat: number };
}

/** What the questions need of an incident; the incidents module answers (server/incidents/subject.ts). */
export interface Incidents {
  /** The incident and its area: a GeoJSON MultiPolygon (EPSG:4326) and, exact, as hex EWKB; 404 when there is none. */
  subject(id: number): Promise<{ incident: AskedIncident; area: Geometry; geom: string }>;
  /** What its people need for `days` (default: as the situation report, 3) by the norms and was not yet sent (need − dispatched), per item, only what is short. */
  unsent(id: number, days?: number): Promise<{ days: number; items: { item: string; quantity: number }[] }>;
}

/** 400 naming incident_id when a question is given an incident and any of `own` (the point or area it stands for). */
export function oneSubject(q: Record<string, unknown>, own: readonly string[], ctx: z.RefinementCtx): void {
  if (q.incident_id !== undefined && own.some((field) => q[field] !== undefined))
    ctx.addIssue({ code: "custom", path: ["incident_id"], message: "ask either for an incident (incident_id) or for a point or area, not both" });
}

/** A question asked from a point: for an incident, from its point. */
export async function atIncidentPoint<Q extends { incident_id?: number; lon?: number; lat?: number }>(
  incidents: Incidents,
  q: Q,
): Promise<{ asked: Q; incident?: AskedIncident }> {
  if (q.incident_id === undefined) return { asked: q };
  const { incident } = await incidents.subject(q.incident_id);
  return { asked: { ...q, ...incident.point }, incident };
}

/** A question asked over an area: for an incident, over its area. */
export async function overIncidentArea<Q extends { incident_id?: number; area?: unknown }>(
  incidents: Incidents,
  q: Q,
): Promise<{ asked: Q; incident?: AskedIncident }> {
  if (q.incident_id === undefined) return { asked: q };
  const { incident, area } = await incidents.subject(q.incident_id);
  return { asked: { ...q, area }, incident };
}
