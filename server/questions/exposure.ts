import { z } from "zod";
import type { Db } from "../db.ts";
import { notFound } from "../http/problem.ts";
import { incidentId, oneSubject, type AskedIncident, type Incidents } from "./incident_subject.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";

const exposed = new Statement(sqlFile(new URL("./exposure.sql", import.meta.url)));
/**
 * The hazard and its zone: the database's hazard_zone (migration 004), a single polygon where it is
 * one. Without a radius, the hazard itself: hazard_zone has no zone for a point or line then, but
 * exposure answers what lies on it (exposure.sql's 1 mm allowance).
 */
const hazardOf = new Statement(`SELECT id, name, kind, risk_level, influence_radius_m,
  ST_AsGeoJSON(coalesce(CASE WHEN influence_radius_m > 0 THEN ST_CollectionHomogenize(hazard_zone(geom, influence_radius_m)) END, geom), 7)::json AS zone,
  geom::text AS geom
  FROM hazards WHERE id = :hazard_id`);

/** GET /exposure: a hazard's zone, or an incident's area. */
export const ExposureQuery = z
  .strictObject({
    hazard_id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe("what lies in this hazard's zone; unless incident_id is given"),
    incident_id: incidentId.optional(),
  })
  .superRefine((q, ctx) => {
    oneSubject(q, ["hazard_id"], ctx);
    if (q.hazard_id === undefined && q.incident_id === undefined)
      ctx.addIssue({ code: "custom", path: ["hazard_id"], message: "required, unless incident_id is given" });
  });
export type ExposureQuery = z.output<typeof ExposureQuery>;

interface Exposed {
  id: number;
  name: string;
  distance_m: number;
  [attribute: string]: unknown;
}

export interface Exposure {
  /** asked for a hazard */
  hazard?: { id: number; name: string; kind: string; risk_level: number; influence_radius_m: number };
  /** asked for an incident: its area is the zone */
  incident?: AskedIncident;
  /** The zone as GeoJSON: hazard_zone, the hazard buffered on the spheroid (ST_Buffer of geography); without a radius, the hazard itself; an incident's area. */
  zone: unknown;
  population: number;
  /** Vulnerable people in the zone: null (unknown) when any village's figure is unknown. */
  vulnerable: number | null;
  /** The sum over the villages whose figure is known: a floor when some are unknown. */
  vulnerable_known: number;
  /** Villages in the zone whose vulnerable figure is unknown. */
  vulnerable_unknown_villages: number;
  villages: Exposed[];
  shelters: Exposed[];
  /** Shelters in the zone that are schools: evacuate them, do not send people there. */
  schools: number[];
  depots: Exposed[];
  teams: Exposed[];
}

/** Unknown is not zero: a total over villages where some figure is unknown is itself unknown. */
function vulnerableOf(villages: Exposed[]): Pick<Exposure, "vulnerable" | "vulnerable_known" | "vulnerable_unknown_villages"> {
  const known = villages.map((v) => v.vulnerable as number | null).filter((n) => n !== null);
  const sum = known.reduce((s, n) => s + n, 0);
  const unknown = villages.length - known.length;
  return { vulnerable: unknown ? null : sum, vulnerable_known: sum, vulnerable_unknown_villages: unknown };
}

/** What lies in a hazard's zone (and its radius), or in an incident's area. */
export async function exposure(db: Db, q: ExposureQuery, incidents: Incidents): Promise<Exposure> {
  if (q.incident_id !== undefined) {
    const { incident, area, geom } = await incidents.subject(q.incident_id);
    return { incident, ...(await exposedIn(db, area, geom, 0)) };
  }
  const [hazard] = await hazardOf.run<NonNullable<Exposure["hazard"]> & { zone: unknown; geom: string }>(db, { hazard_id: q.hazard_id });
  if (!hazard) throw notFound(`hazard ${q.hazard_id} does not exist`);
  const { zone, geom, ...h } = hazard;
  return { hazard: { ...h, id: Number(h.id) }, ...(await exposedIn(db, zone, geom, h.influence_radius_m)) };
}

/** What lies within `radiusM` of `geom` (hex EWKB), with the zone as the answer draws it. */
async function exposedIn(db: Db, zone: unknown, geom: string, radiusM: number): Promise<Omit<Exposure, "hazard" | "incident">> {
  const rows = await exposed.run<{ layer: string; id: string; name: string; distance_m: number; attributes: object }>(db, {
    zone: geom,
    zone_radius_m: radiusM,
  });
  const of = (layer: string): Exposed[] =>
    rows.filter((r) => r.layer === layer).map((r) => ({ id: Number(r.id), name: r.name, distance_m: r.distance_m, ...r.attributes }));
  const villages = of("villages");
  const shelters = of("shelters");
  return {
    zone,
    population: villages.reduce((s, v) => s + (v.population as number), 0),
    ...vulnerableOf(villages),
    villages,
    shelters,
    schools: shelters.filter((s) => s.site_kind === "school").map((s) => s.id),
    depots: of("depots"),
    teams: of("teams"),
  };
}
