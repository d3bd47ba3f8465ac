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

/** Every edge of a geometry: consecutive positions of each line and ring. */
export function* edgesOf(g: Geometry): Generator<[number[], number[]]> {
  const paths = (c: unknown): number[][][] => (!Array.isArray(c) ? [] : typeof (c[0] as unknown[])?.[0] === "number" ? [c as number[][]] : c.flatMap(paths));
  for (const path of paths(g.coordinates)) for (let i = 1; i < path.length; i++) yield [path[i - 1]!, path[i]!];
}

/** Within this many degrees of a half circle, an edge's two ends are (nearly) antipodal. */
const ANTIPODAL_TOLERANCE_DEG = 1;

/** Degrees of arc between two positions on the sphere (haversine). */
function arcDegrees([lon1, lat1]: number[], [lon2, lat2]: number[]): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2! - lat1!) * rad) / 2) ** 2 + Math.cos(lat1! * rad) * Math.cos(lat2! * rad) * Math.sin(((lon2! - lon1!) * rad) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h)))) / rad;
}

/**
 * A GeoJSON geometry of one of the given types, with coordinates in range. A wrong type is named as
 * such; validity (no self-intersection) is PostGIS's to judge, not ours. An edge between antipodal
 * points is refused: it has no one shortest path, and PostGIS's geography fails on it.
 */
export function geometrySchema(types: readonly GeometryType[]) {
  return z
    .object({ type: z.string() }, { error: "must be a GeoJSON geometry object" })
    .loose()
    .superRefine((g, ctx) => {
      if (!types.includes(g.type as GeometryType)) {
        ctx.addIssue({ code: "custom", path: ["type"], message: `must be one of ${types.join(", ")} for this layer, not ${g.type}` });
      }
    })
    .pipe(geometryShapes(types) as z.ZodType<Geometry, { type: string }>)
    .superRefine((g, ctx) => {
      const lines = g.type === "LineString" ? [g.coordinates as number[][]] : g.type === "MultiLineString" ? (g.coordinates as number[][][]) : [];
      if (lines.some((line) => line.every(([x, y]) => x === line[0]![0] && y === line[0]![1]))) {
        ctx.addIssue({ code: "custom", path: ["coordinates"], message: "a line of zero length: its positions are all the same point" });
        return;
      }
      for (const [a, b] of edgesOf(g)) {
        if (arcDegrees(a, b) > 180 - ANTIPODAL_TOLERANCE_DEG) {
          ctx.addIssue({
            code: "custom",
            path: ["coordinates"],
            message: `an edge joins antipodal points ([${a}] to [${b}]): there is no one shortest path between them`,
          });
          return;
        }
      }
    });
}
