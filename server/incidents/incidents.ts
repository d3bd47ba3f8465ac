import { z } from "zod";
import type { Knex } from "knex";
import type { Db } from "../db.ts";
import { badRequest, notFound, preconditionFailed, Problem } from "../http/problem.ts";
import { writeTransaction } from "../write_transaction.ts";
import { AREA_SQL, areaBindings, IncidentArea } from "./area.ts";
import { INCIDENT_KINDS } from "../../data/incident_kinds.ts";

const name = z.string().trim().min(1).max(200);
const level = z.number().int().min(1).max(4).describe("1 Ⅰ特别重大, 2 Ⅱ重大, 3 Ⅲ较大, 4 Ⅳ一般");
const when = z.iso.datetime({ offset: true });

export const NewIncident = z.strictObject({
  name,
  kind: z.enum(INCIDENT_KINDS),
  level,
  area: IncidentArea,
  started_at: when.optional().describe("default: now"),
});
export const IncidentChange = z
  .strictObject({ name, kind: z.enum(INCIDENT_KINDS), level, area: IncidentArea, started_at: when, ended_at: when.nullable() })
  .partial()
  .refine((c) => Object.keys(c).length > 0, "say what to change");
export const IncidentListQuery = z.strictObject({ open: z.enum(["true", "false"]).optional().describe("true: only incidents not yet closed") });

/** An incident as a GeoJSON Feature (its area the geometry). */
const FEATURE = `json_build_object('type', 'Feature', 'id', i.id, 'geometry', ST_AsGeoJSON(i.geom, 7)::json,
  'properties', json_build_object('name', i.name, 'kind', i.kind, 'level', i.level, 'hazard_id', i.hazard_id,
    'started_at', i.started_at, 'ended_at', i.ended_at, 'version', i.version)) AS feature`;

export interface IncidentFeature {
  type: "Feature";
  id: number;
  geometry: unknown;
  properties: { name: string; kind: string; level: number; hazard_id: number | null; started_at: string; ended_at: string | null; version: number };
}

export async function listIncidents(db: Db, openOnly: boolean): Promise<IncidentFeature[]> {
  const rows = await db.raw(`SELECT ${FEATURE} FROM incidents i WHERE NOT :open::boolean OR i.ended_at IS NULL ORDER BY i.started_at DESC, i.id DESC`, {
    open: openOnly,
  });
  return rows.rows.map((r: { feature: IncidentFeature }) => r.feature);
}

export async function getIncident(db: Knex, id: number): Promise<IncidentFeature> {
  const { rows } = await db.raw(`SELECT ${FEATURE} FROM incidents i WHERE i.id = :id`, { id });
  if (!rows[0]) throw notFound(`incident ${id} does not exist`);
  return rows[0].feature;
}

/** The area's MultiPolygon as SQL computes it, refused (422 naming `area`) when it is no area at all. */
async function areaValue(trx: Knex, area: IncidentArea): Promise<string> {
  const { rows } = await trx.raw(
    `SELECT a.geom::text AS geom, ST_IsValid(a.geom) AS valid, ST_IsValidReason(a.geom) AS why FROM (SELECT ${AREA_SQL} AS geom) a`,
    areaBindings(area),
  );
  const { geom, valid, why } = rows[0] as { geom: string | null; valid: boolean | null; why: string | null };
  if (geom === null) {
    throw new Problem(422, "invalid-area", "Unprocessable area", "the hazard has no zone (a point or line without an influence radius) or does not exist", [
      { path: ["area", "hazard_id"], message: "names no hazard with a zone" },
    ]);
  }
  if (!valid)
    throw new Problem(422, "invalid-area", "Unprocessable area", `the area is not a valid polygon: ${why}`, [
      { path: ["area"], message: `not a valid polygon: ${why}` },
    ]);
  return geom;
}

export async function createIncident(db: Db, input: z.output<typeof NewIncident>): Promise<IncidentFeature> {
  return writeTransaction(db, async (trx) => {
    const geom = await areaValue(trx, input.area);
    const [row] = await trx("incidents")
      .insert({
        name: input.name,
        kind: input.kind,
        level: input.level,
        geom,
        hazard_id: "hazard_id" in input.area ? input.area.hazard_id : null,
        started_at: input.started_at ?? trx.fn.now(),
      })
      .returning("id");
    return getIncident(trx, Number(row.id));
  });
}

/** Change an incident if it is still at `version`; closing it is setting `ended_at`. */
export async function changeIncident(db: Db, id: number, version: number, change: z.output<typeof IncidentChange>): Promise<IncidentFeature> {
  return writeTransaction(db, async (trx) => {
    const { area, ...rest } = change;
    const values: Record<string, unknown> = { ...rest };
    if (area) {
      values.geom = await areaValue(trx, area);
      values.hazard_id = "hazard_id" in area ? area.hazard_id : null;
    }
    const current = await trx("incidents").where({ id }).first("version", "started_at", "ended_at");
    if (!current) throw notFound(`incident ${id} does not exist`);
    if (current.version !== version)
      throw preconditionFailed(`incident ${id} is now at version ${current.version}, not ${version}: someone else changed it; reload`);
    const started = new Date(change.started_at ?? current.started_at);
    const ended = change.ended_at === undefined ? current.ended_at : change.ended_at;
    if (ended !== null && new Date(ended) < started) throw badRequest([{ path: ["ended_at"], message: "is before the incident started" }]);
    await trx("incidents").where({ id, version }).update(values);
    return getIncident(trx, id);
  });
}

/** 404 unless the incident exists; 409 when it is closed and `open` is required (nothing more is sent to it). */
export async function assertIncident(trx: Knex, id: number, { open }: { open: boolean }): Promise<void> {
  const row = await trx("incidents").where({ id }).first("ended_at");
  if (!row) throw notFound(`incident ${id} does not exist`);
  if (open && row.ended_at !== null) throw new Problem(409, "incident-closed", "Conflict", `incident ${id} is closed; nothing more is sent to it`);
}
