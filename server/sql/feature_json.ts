import type { Knex } from "knex";
import { allFields, isMulti, systemProperties, type Layer } from "../layers/layer.ts";
import type { Geometry } from "../layers/geometry.ts";
import { columnOf, ident, joinSql, sql, type Sql } from "./template.ts";

/**
 * The SQL expression of one row of `t` as GeoJSON Feature text: top-level id, geometry with 7 decimals
 * (~1 cm), properties in registry order, then `extra` (select items such as `a.distance_m`). Built in
 * PostgreSQL so Node never parses what it passes on. `emptyListAsNull`: a list attribute with no
 * element is written null, not [] (what OGC clients need).
 */
export function featureJson(layer: Layer, omit: ReadonlySet<string> = new Set(), extra: readonly Sql[] = [], { emptyListAsNull = false } = {}): Sql {
  const fields = allFields(layer);
  const value = (n: string) =>
    emptyListAsNull && fields[n]?.kind === "text_list" ? sql`NULLIF(t.${columnOf(layer, n)}, '{}') AS ${ident(n)}` : sql`t.${columnOf(layer, n)}`;
  const props = [...Object.keys(fields), ...systemProperties(layer)].filter((n) => !omit.has(n)).map(value);
  return sql`(SELECT row_to_json(f)::text FROM (SELECT 'Feature' AS type, t.id, ST_AsGeoJSON(t.geom, 7)::json AS geometry,
    (SELECT row_to_json(p) FROM (SELECT ${joinSql([...props, ...extra])}) p) AS properties) f)`;
}

/**
 * A GeoJSON FeatureCollection's text around Feature texts PostgreSQL wrote (passed on unparsed):
 * `members` (JSON values, in order; undefined ones left out) come before `features`.
 */
export function featureCollection(members: Readonly<Record<string, unknown>>, features: readonly string[]): string {
  return featureCollectionHead(members) + features.join(",") + FEATURE_COLLECTION_TAIL;
}

/** The text of a FeatureCollection up to its first feature, for writers that stream the features. */
export function featureCollectionHead(members: Readonly<Record<string, unknown>>): string {
  const head = Object.entries(members)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
    .join("");
  return `{"type":"FeatureCollection",${head}"features":[`;
}

export const FEATURE_COLLECTION_TAIL = "]}";

/** The SQL value of a GeoJSON geometry for a layer's column: 2D, SRID 4326, multi when the column is. */
export function geometryValue(db: Knex, layer: Layer, geometry: Geometry): Knex.Raw {
  const g = "ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))";
  return db.raw(isMulti(layer) ? `ST_Multi(${g})` : g, [JSON.stringify(geometry)]);
}
