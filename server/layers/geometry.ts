import { z } from "zod";

/** GeoJSON geometry types a layer may accept (RFC 7946 §3.1). */
export type GeometryType = "Point" | "LineString" | "Polygon" | "MultiLineString" | "MultiPolygon";

export type Geometry = { type: GeometryType; coordinates: unknown };

/** [lon, lat] or [lon, lat, elevation] in degrees; elevation is dropped on storage. */
const position = z
  .array(z.number({ error: "coordinates must be numbers" }), { error: "a position is [lon, lat]" })
  .min(2, "a position is [lon, lat]")
  .max(3, "a position is [lon, lat] or [lon, lat, elevation]")
  .superRefine(([x, y], ctx) => {
    if (!(x! >= -180 && x! <= 180)) ctx.addIssue({ code: "custom", path: [0], message: "longitude must be within -180..180" });
    if (!(y! >= -90 && y! <= 90)) ctx.addIssue({ code: "custom", path: [1], message: "latitude must be within -90..90" });
  });

const closedRing = z
  .array(position)
  .min(4, "a linear ring needs at least 4 positions")
  .refine((r) => r.length < 4 || (r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1]), "a linear ring must end where it starts");
const lineCoords = z.array(position).min(2, "a line needs at least 2 positions");
const polygonCoords = z.array(closedRing).min(1, "a polygon needs an exterior ring");

const coordinates: Record<GeometryType, z.ZodType> = {
  Point: position,
  LineString: lineCoords,
  Polygon: polygonCoords,
  MultiLineString: z.array(lineCoords).min(1),
  MultiPolygon: z.array(polygonCoords).min(1),
};

/** The GeoJSON geometries of the given types (also what OpenAPI documents). */
export function geometryShapes(types: readonly GeometryType[]): z.ZodType {
  const options = types.map((t) => z.object({ type: z.literal(t), coordinates: coordinates[t] }));
  return options.length === 1 ? options[0]! : z.discriminatedUnion("type", options as never);
}

/** A GeoJSON geometry of one of the given types, with coordinates in range. A wrong type is named as
 * such; validity (no self-intersection) is PostGIS's to judge, not ours. */
export function geometrySchema(types: readonly GeometryType[]) {
  return z
    .object({ type: z.string() }, { error: "must be a GeoJSON geometry object" })
    .loose()
    .superRefine((g, ctx) => {
      if (!types.includes(g.type as GeometryType)) {
        ctx.addIssue({ code: "custom", path: ["type"], message: `must be one of ${types.join(", ")} for this layer, not ${g.type}` });
      }
    })
    .pipe(geometryShapes(types) as z.ZodType<Geometry, { type: string }>);
}
