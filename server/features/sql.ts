import type { Knex } from "knex";
import { allFields, systemProperties, type Layer } from "../layers/layer.ts";
import type { Geometry } from "../layers/geometry.ts";

/** A double-quoted SQL identifier. Identifiers only ever come from the registry; refuse anything odd. */
export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a registry identifier: ${name}`);
  return `"${name}"`;
}

/**
 * The SQL expression of one row of `t` as GeoJSON Feature text: top-level id, geometry with 7 decimals
 * (~1 cm), properties in registry order, then `extra` (select items such as `a.distance_m`). Built in
 * PostgreSQL so Node never parses what it passes on. `emptyListAsNull`: a list attribute with no
 * element is written null, not [] (what OGC clients need).
 */
export function featureJson(layer: Layer, omit: ReadonlySet<string> = new Set(), extra: readonly string[] = [], { emptyListAsNull = false } = {}): string {
  const fields = allFields(layer);
  const value = (n: string) => (emptyListAsNull && fields[n]?.kind === "text_list" ? `NULLIF(t.${ident(n)}, '{}') AS ${ident(n)}` : `t.${ident(n)}`);
  const props = [...Object.keys(fields), ...systemProperties(layer)].filter((n) => !omit.has(n)).map(value);
  return `(SELECT row_to_json(f)::text FROM (SELECT 'Feature' AS type, t.id, ST_AsGeoJSON(t.geom, 7)::json AS geometry,
    (SELECT row_to_json(p) FROM (SELECT ${[...props, ...extra].join(", ")}) p) AS properties) f)`;
}

/** The SQL value of a GeoJSON geometry for a layer's column: 2D, SRID 4326, multi when the column is. */
export function geometryValue(db: Knex, layer: Layer, geometry: Geometry): Knex.Raw {
  const g = "ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))";
  return db.raw(layer.storedAs === "MultiPolygon" ? `ST_Multi(${g})` : g, [JSON.stringify(geometry)]);
}
