import type { Fields, Label } from "./fields.ts";
import type { GeometryType } from "./geometry.ts";

/** A layer, declared once: CRUD, filters, OpenAPI (and later tiles, exports, OGC) are generic over it. */
export interface Layer {
  /** URL name, e.g. `shelters` or `hazard-zones`. */
  name: string;
  /** Table or view; only ever used as a quoted identifier. */
  table: string;
  label: Label;
  /** GeoJSON types accepted on input; Polygon is promoted to MultiPolygon when the column is multi. */
  geometryTypes: readonly GeometryType[];
  /** PostGIS column type, e.g. `Point` or `MultiPolygon`, or `Geometry` for mixed layers. */
  storedAs: "Point" | "MultiLineString" | "MultiPolygon" | "Geometry";
  /** Features may have no geometry (a township whose boundary nobody has yet): it is then null. */
  geometryOptional?: boolean;
  /** The layer's own attributes, besides name and code which every layer has. */
  fields: Fields;
  /** Attributes a client may send instead of a stored one, resolved by the server before writing and
   * never stored or returned (a village's township by name, for its township_code). */
  inputOnly?: Fields;
  /** Derived layers are computed in SQL (a view) and cannot be written. */
  readOnly?: boolean;
  /** Vector tiles (none for layers too costly to tile): which points win when crowded (a column, most important first), and which
   * attributes the map needs (labels, styling, popups fetch the rest). A rank column that is an enum ranks by the order its values
   * are declared in (a county seat before a town before a village). An area layer `generalised` at low zooms is kept
   * simplified per zoom in generalised_areas by its migration's triggers (032: hazard_zones), and its low-zoom tiles read it. */
  tiles?: { rank: { column: string; order: "asc" | "desc" }; properties: readonly string[]; generalised?: true };
}

export type TiledLayer = Layer & Required<Pick<Layer, "tiles">>;

/** Attributes every feature has, and the system properties the server maintains. */
export const COMMON_FIELDS: Fields = {
  name: { kind: "text", label: { zh: "名称", en: "Name" }, required: true, max: 200 },
  code: {
    kind: "text",
    label: { zh: "外部编码", en: "External code" },
    max: 100,
    pattern: /\S/,
    rule: "must not be blank (leave it out, or null, for no code)",
  },
};
export const SYSTEM_PROPERTIES = ["version", "created_at", "updated_at"] as const;

/** A multi column: a single line or polygon given is stored as a multi of one. */
export function isMulti(layer: Layer): boolean {
  return layer.storedAs === "MultiLineString" || layer.storedAs === "MultiPolygon";
}

/** The system properties a layer's rows carry: none for derived layers, which are computed on each read. */
export function systemProperties(layer: Layer): readonly string[] {
  return layer.readOnly ? [] : SYSTEM_PROPERTIES;
}

/** Every attribute of a layer in output order: name, code, then its own fields. */
export function allFields(layer: Layer): Fields {
  return { ...COMMON_FIELDS, ...layer.fields };
}

/** Every attribute a request or a file may give: the stored ones and the layer's input-only ones. */
export function inputFields(layer: Layer): Fields {
  return { ...allFields(layer), ...layer.inputOnly };
}

const sensitive = new WeakMap<Layer, ReadonlySet<string>>();

/** Contact names and phone numbers: only for roles that need them (see auth/permissions). Asked by every answer: worked out once a layer. */
export function sensitiveFields(layer: Layer): ReadonlySet<string> {
  let fields = sensitive.get(layer);
  if (!fields) {
    fields = new Set(
      Object.entries(layer.fields)
        .filter(([, f]) => f.kind === "text" && f.sensitive)
        .map(([name]) => name),
    );
    sensitive.set(layer, fields);
  }
  return fields;
}
