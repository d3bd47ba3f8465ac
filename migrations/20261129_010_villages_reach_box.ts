import type { Knex } from "knex";

// Villages are the layer loaded a million at a time, and keeping a geography GiST index up during such
// a load is most of its cost (~8 s a million; built afterwards ~7 s: it has no sorted build). So the
// questions find villages near a zone through the geometry index instead: `geom && geodesic_reach_box(
// zone, r)`, a lon/lat box that holds every point within r geodesic metres of the zone, then the exact
// ST_DWithin on geography. The box is rigorous, not a guess in degrees:
// - along any path, ds ≥ M·|dφ| with M the meridional radius of curvature, never below a(1 − e²) =
//   6,335,439 m (at the equator): so within r of the zone a latitude is within r/M of one of the zone's;
// - and ds ≥ N·cos φ·|dλ| with N ≥ a = 6,378,137 m: so longitude is within r/(a·cos φ), φ the latitude
//   furthest from the equator that the path can reach; all longitudes when that reaches a pole or the
//   box would cross the antimeridian;
// - the zone's extremes lie on its edges (unless it holds a pole), which geography draws as great
//   circles that can bulge past their vertices: a vertex every 100 m along them (ST_Segmentize, on the
//   sphere) puts every point of an edge within 100 m of a vertex, so the box grows by 100 m more.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION geodesic_reach_box(zone geography, r double precision) RETURNS geometry
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
    DECLARE
      extent geometry := ST_Envelope(ST_Segmentize(zone, 100)::geometry);
      reach double precision := r + CASE WHEN GeometryType(zone::geometry) = 'POINT' THEN 0 ELSE 100 END;
      south double precision := ST_YMin(extent) - degrees(reach / 6335439);
      north double precision := ST_YMax(extent) + degrees(reach / 6335439);
      west double precision;
      east double precision;
    BEGIN
      IF north >= 90 OR ST_Covers(zone, 'SRID=4326;POINT(0 90)'::geography) THEN north := 90; END IF;
      IF south <= -90 OR ST_Covers(zone, 'SRID=4326;POINT(0 -90)'::geography) THEN south := -90; END IF;
      IF north < 90 AND south > -90 THEN
        west := ST_XMin(extent) - degrees(reach / (6378137 * cos(radians(greatest(north, -south)))));
        east := ST_XMax(extent) + degrees(reach / (6378137 * cos(radians(greatest(north, -south)))));
      END IF;
      IF west IS NULL OR west < -180 OR east > 180 THEN west := -180; east := 180; END IF;
      RETURN ST_MakeEnvelope(west, south, east, north, 4326);
    END $$`);
  await knex.raw("DROP INDEX villages_geog_gist");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX villages_geog_gist ON villages USING gist ((geom::geography))");
  await knex.raw("DROP FUNCTION geodesic_reach_box(geography, double precision)");
}
