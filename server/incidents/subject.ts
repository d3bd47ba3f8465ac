import type { Db } from "../db.ts";
import { notFound } from "../http/problem.ts";
import { Statement } from "../sql/statement.ts";
import type { Geometry } from "../layers/geometry.ts";
import type { AskedIncident, Incidents } from "../questions/incident_subject.ts";
import { FIRST_DAYS, needLines } from "./need_lines.ts";

/**
 * An incident as a question's subject: its area (GeoJSON at full precision, and exact as hex EWKB) and
 * its point, ST_PointOnSurface of the area (a point inside it, on the largest part).
 */
const subjectStatement = new Statement(
  `SELECT json_build_object('id', i.id, 'name', i.name, 'started_at', i.started_at, 'ended_at', i.ended_at,
                            'point', json_build_object('lon', ST_X(p), 'lat', ST_Y(p))) AS incident,
          ST_AsGeoJSON(i.geom, 15)::json AS area, i.geom::text AS geom
   FROM incidents i, ST_PointOnSurface(i.geom) p WHERE i.id = :id`,
  "incident_subject",
);

export async function incidentSubject(db: Db, id: number): Promise<{ incident: AskedIncident; area: Geometry; geom: string }> {
  const [row] = await subjectStatement.run<{ incident: AskedIncident; area: Geometry; geom: string }>(db, { id });
  if (!row) throw notFound(`incident ${id} does not exist`);
  return row;
}

/** The questions' view of incidents (given to their routes by app.ts: the questions do not import incidents). */
export function incidentSubjects(db: Db): Incidents {
  return {
    subject: (id) => incidentSubject(db, id),
    async unsent(id, days = FIRST_DAYS) {
      await incidentSubject(db, id);
      const { lines } = await needLines(db, id, days);
      return { days, items: lines.flatMap((l) => (l.need > l.dispatched ? [{ item: l.item, quantity: l.need - l.dispatched }] : [])) };
    },
  };
}
