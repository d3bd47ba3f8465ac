import type { Knex } from "knex";
import type { Db } from "../db.ts";
import type { Layer } from "../layers/layer.ts";
import { allFields } from "../layers/layer.ts";
import type { Geometry } from "../layers/geometry.ts";
import { badRequest, notFound, preconditionFailed } from "../http/problem.ts";
import type { ListQuery } from "./schemas.ts";
import { featureJson, geometryValue } from "../sql/feature_json.ts";
import { ident } from "../sql/template.ts";
import { writeTransaction } from "../write_transaction.ts";
import { assertInside } from "../auth/jurisdiction.ts";
import type { Jurisdiction } from "../auth/permissions.ts";

/** Generic feature storage over the registry. Features travel as GeoJSON text built by PostgreSQL. */

/** `geometry` null (or absent): none, for a layer whose geometry is optional. */
export interface NewFeature {
  geometry?: Geometry | null;
  properties: Record<string, unknown>;
}
export interface FeaturePatch {
  geometry?: Geometry | null;
  properties?: Record<string, unknown>;
}

export async function countFeatures(db: Db, layer: Layer): Promise<number> {
  const [row] = await db(layer.table).count<{ n: string }[]>("* as n");
  return Number(row!.n);
}

/** How many features have no geometry (a township whose boundary is missing): the map cannot draw them. */
export async function countWithoutGeometry(db: Db, layer: Layer): Promise<number> {
  const [row] = await db(layer.table).whereNull("geom").count<{ n: string }[]>("* as n");
  return Number(row!.n);
}

/** The rows of a layer (alias `t`) matching a list query's bbox and attribute filters; shared with OGC API items. */
export function filtered(db: Db | Knex.Transaction, layer: Layer, q: Omit<ListQuery, "limit" | "offset">) {
  const query = db(`${layer.table} as t`);
  if (q.bbox) {
    query.whereRaw("t.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326) AND ST_Intersects(t.geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))", [...q.bbox, ...q.bbox]);
  }
  if (q.q) query.whereRaw("strpos(lower(t.name), lower(?)) > 0", [q.q]);
  const fields = allFields(layer);
  for (const [name, values] of Object.entries(q.filters)) {
    const column = `t.${ident(name)}`;
    if (fields[name]!.kind === "text_list") query.whereRaw(`${column} @> ?::text[]`, [values as never]);
    else query.whereIn(db.raw(column) as never, values as never[]);
  }
  return query;
}

/** `omit`: attributes left out of each Feature (those the asker may not see). */
export async function listFeatures(db: Db, layer: Layer, q: ListQuery, omit?: ReadonlySet<string>): Promise<{ features: string[]; numberMatched: number }> {
  const [rows, [count]] = await Promise.all([
    filtered(db, layer, q)
      .select(db.raw(`${featureJson(layer, omit)} AS feature`))
      .orderBy("t.id")
      .limit(q.limit)
      .offset(q.offset),
    filtered(db, layer, q).count<{ n: string }[]>("* as n"),
  ]);
  return { features: rows.map((r: { feature: string }) => r.feature), numberMatched: Number(count!.n) };
}

/** A feature and its version (null for derived layers, which have none). */
export async function getFeature(
  db: Db | Knex.Transaction,
  layer: Layer,
  id: number,
  omit?: ReadonlySet<string>,
): Promise<{ feature: string; version: number | null } | undefined> {
  return db(`${layer.table} as t`)
    .where("t.id", id)
    .first(db.raw(`${featureJson(layer, omit)} AS feature`), db.raw(layer.readOnly ? "NULL AS version" : "t.version"));
}

/** PostGIS judges validity (e.g. a self-intersecting polygon) before anything is written. */
async function assertValidGeometry(trx: Knex.Transaction, layer: Layer, geometry: Geometry): Promise<void> {
  const { rows } = await trx.raw<{ rows: { valid: boolean; reason: string }[] }>(
    "SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ? ::geometry AS g) s",
    [geometryValue(trx, layer, geometry)],
  );
  if (!rows[0]!.valid) throw badRequest([{ path: ["geometry"], message: `invalid geometry: ${rows[0]!.reason}` }]);
}

/** Writes go through writeTransaction (the audit trail names who) and stay `within` the writer's townships. */
export async function createFeature(
  db: Db | Knex.Transaction,
  layer: Layer,
  f: NewFeature,
  within: Jurisdiction = "all",
): Promise<{ id: number; feature: string; version: number | null }> {
  const run = async (trx: Knex.Transaction) => {
    if (f.geometry) await assertValidGeometry(trx, layer, f.geometry);
    const [row] = await trx(layer.table)
      .insert({ ...f.properties, geom: f.geometry ? geometryValue(trx, layer, f.geometry) : null })
      .returning<{ id: string }[]>("id");
    const id = Number(row!.id);
    await assertInside(trx, within, layer.table, id, "after");
    return { id, ...(await getFeature(trx, layer, id))! };
  };
  return "isTransaction" in db && db.isTransaction ? run(db as Knex.Transaction) : writeTransaction(db as Db, run);
}

/** Optimistic concurrency: the write happens only if the row is still at `version` (the trigger bumps it). */
export async function updateFeature(db: Db, layer: Layer, id: number, version: number, patch: FeaturePatch, within: Jurisdiction = "all") {
  return writeTransaction(db, async (trx) => {
    if (patch.geometry) await assertValidGeometry(trx, layer, patch.geometry);
    await assertInside(trx, within, layer.table, id, "before");
    const geom = patch.geometry === undefined ? {} : { geom: patch.geometry ? geometryValue(trx, layer, patch.geometry) : null };
    const changes = { ...patch.properties, ...geom };
    const n = await trx(layer.table).where({ id, version }).update(changes);
    if (n === 0) await explainMiss(trx, layer, id, version);
    if (patch.geometry !== undefined) await assertInside(trx, within, layer.table, id, "after");
    return (await getFeature(trx, layer, id))!;
  });
}

export async function deleteFeature(db: Db, layer: Layer, id: number, version: number, within: Jurisdiction = "all"): Promise<void> {
  await writeTransaction(db, async (trx) => {
    await assertInside(trx, within, layer.table, id, "before");
    const n = await trx(layer.table).where({ id, version }).delete();
    if (n === 0) await explainMiss(trx, layer, id, version);
  });
}

async function explainMiss(trx: Knex.Transaction, layer: Layer, id: number, version: number): Promise<never> {
  const row = await trx(layer.table).where({ id }).first("version");
  if (!row) throw notFound(`${layer.name} ${id} does not exist`);
  throw preconditionFailed(`${layer.name} ${id} is now at version ${row.version}, not ${version}: someone else changed it; reload and apply your edit again`);
}
