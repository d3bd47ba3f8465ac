import type { Knex } from "knex";

// The road network every answer by road travels on, built inside PostgreSQL from `roads` and kept in step
// by statement triggers in the same transaction as the write — API, import or plain SQL alike — so the
// very next question sees it. pgRouting's layout: road_edges(id, source, target, cost, reverse_cost) is
// the edges SQL of pgr_dijkstra & co; a negative cost means the edge cannot be driven that way.
//
// Noding: a road part is cut where it shares a vertex with another road, crosses one, or another road
// ends on it; a bridge or tunnel part is never cut and joins the rest only at its two ends; an expressway
// is grade-separated: it joins others where they share a vertex or one ends on the other, never where
// they merely cross. Crossings are
// computed from the lower-numbered part of each pair, so both sides are cut at the very same point, and
// the cut points are snapped into the line first (0.1 mm) so ST_Split cuts exactly there. A node is one
// exact position (road_nodes.geom is unique).
//
// A write renodes the roads it touches and those meeting them (their cuts may change); a change of class,
// speed, one-way or status only recosts the road's edges. road_network.roads_generation moves with every
// change of road_edges, hazards_generation with every write to hazards, so a server holding the graph in
// memory knows with one cheap read whether it is current. JIT is off in both functions: their plans are
// costed high (ST_Dump and the ids are guessed at 1,000 rows) and compiling took most of a single edit.

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE EXTENSION IF NOT EXISTS pgrouting");
  await knex.raw(`
    CREATE TABLE road_nodes (
      id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      geom  geometry(Point, 4326) NOT NULL UNIQUE
    )`);
  // no foreign key to roads: TRUNCATE roads must stay possible; the triggers below keep the two in step
  await knex.raw(`
    CREATE TABLE road_edges (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      road_id       bigint NOT NULL,
      source        bigint NOT NULL,
      target        bigint NOT NULL,
      length_m      double precision NOT NULL,
      cost          double precision NOT NULL,
      reverse_cost  double precision NOT NULL,
      geom          geometry(LineString, 4326) NOT NULL
    )`);
  await knex.raw("CREATE INDEX road_nodes_geom_gist ON road_nodes USING gist (geom)");
  await knex.raw("CREATE INDEX road_edges_road_id ON road_edges (road_id)");
  await knex.raw("CREATE INDEX road_edges_geom_gist ON road_edges USING gist (geom)");
  // points join the network at the nearest usable edge: a KNN search in metres
  await knex.raw("CREATE INDEX road_edges_usable_geog_gist ON road_edges USING gist ((geom::geography)) WHERE cost >= 0 OR reverse_cost >= 0");
  await knex.raw("CREATE TABLE road_network (roads_generation bigint NOT NULL, hazards_generation bigint NOT NULL)");
  await knex.raw("INSERT INTO road_network VALUES (0, 0)");

  // seconds to drive an edge each way (-1: not that way), from the road's class, speed, one-way and status
  await knex.raw(`
    CREATE FUNCTION road_edge_costs(length_m double precision, r roads, OUT cost double precision, OUT reverse_cost double precision)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN r.status = 'closed' OR r.oneway = 'backward' THEN -1 ELSE s END,
             CASE WHEN r.status = 'closed' OR r.oneway = 'forward' THEN -1 ELSE s END
      FROM (SELECT length_m * 3.6 / (road_speed_kmh(r.road_class, r.speed_kmh) * CASE r.status WHEN 'damaged' THEN 0.5 ELSE 1 END) AS s) k
    $$`);

  // the edges of roads `ids`, cut against every road they meet, replacing what they had
  await knex.raw(`
    CREATE FUNCTION road_network_renode(ids bigint[]) RETURNS void LANGUAGE sql SET jit = off AS $$
      DELETE FROM road_edges WHERE road_id = ANY(ids);
      WITH parts AS (
        SELECT r.id AS road_id, d.path[1] AS part, d.geom
        FROM roads r, ST_Dump(r.geom) d
        WHERE r.id = ANY(ids)
      ),
      -- every other part whose box meets an ordinary part's, and how they may join: at grade, or (a bridge,
      -- tunnel or expressway) only where they share a vertex or one ends on the other
      meetings AS (
        SELECT p.road_id, p.part, p.geom, q.road_id AS q_road_id, q.part AS q_part, q.geom AS q_geom, q.elevated AS q_elevated,
               NOT q.elevated AND pr.road_class <> 'expressway' AND q.road_class <> 'expressway' AS at_grade,
               (p.road_id, p.part) < (q.road_id, q.part) AS first,
               q.road_id IN (SELECT road_id FROM parts) AS q_renoded  -- hashed: ids may be a whole import
        FROM parts p
        JOIN roads pr ON pr.id = p.road_id AND NOT (pr.bridge OR pr.tunnel)
        CROSS JOIN LATERAL (
          SELECT o.id AS road_id, d.path[1] AS part, d.geom, o.bridge OR o.tunnel AS elevated, o.road_class
          FROM roads o, ST_Dump(o.geom) d
          WHERE o.geom && p.geom) q
        WHERE (q.road_id, q.part) <> (p.road_id, p.part)
      ),
      cuts AS (
        -- at grade: every point of the intersection (the ends of an overlap), intersected once a pair: when
        -- both parts are renoded, from the lower-numbered one, cutting both
        SELECT s.road_id, s.part, s.geom, x.pt
        FROM meetings m,
             LATERAL ST_Dump(CASE WHEN m.first THEN ST_Intersection(m.geom, m.q_geom) ELSE ST_Intersection(m.q_geom, m.geom) END) i,
             LATERAL (SELECT i.geom WHERE GeometryType(i.geom) = 'POINT'
                      UNION ALL SELECT ST_StartPoint(i.geom) WHERE GeometryType(i.geom) = 'LINESTRING'
                      UNION ALL SELECT ST_EndPoint(i.geom) WHERE GeometryType(i.geom) = 'LINESTRING') x(pt),
             LATERAL (SELECT m.road_id, m.part, m.geom UNION ALL SELECT m.q_road_id, m.q_part, m.q_geom WHERE m.q_renoded) s(road_id, part, geom)
        WHERE m.at_grade AND (m.first OR NOT m.q_renoded)
        UNION ALL
        -- grade-separated: where the other ends on this part
        SELECT m.road_id, m.part, m.geom, e.pt
        FROM meetings m, LATERAL (VALUES (ST_StartPoint(m.q_geom)), (ST_EndPoint(m.q_geom))) e(pt)
        WHERE NOT m.at_grade AND ST_Intersects(m.geom, e.pt)
        UNION ALL
        -- an expressway and an ordinary road: where they share a vertex (a slip road drawn through it)
        SELECT m.road_id, m.part, m.geom, v.geom
        FROM meetings m, LATERAL ST_Dump(ST_Intersection(ST_Points(m.geom), ST_Points(m.q_geom))) v
        WHERE NOT m.at_grade AND NOT m.q_elevated
      ),
      -- a part's own ends cut nothing (compared exactly, without GEOS): most parts of a network noded at its
      -- junctions, as published ones are, are then left whole without a split
      blades AS (
        SELECT road_id, part, ST_Collect(DISTINCT pt) AS blade FROM cuts
        WHERE NOT (pt = ST_StartPoint(geom) OR pt = ST_EndPoint(geom))
        GROUP BY road_id, part
      ),
      pieces AS MATERIALIZED (
        SELECT p.road_id, s.geom
        FROM parts p
        LEFT JOIN blades b USING (road_id, part),
        LATERAL ST_Dump(CASE WHEN b.blade IS NULL THEN p.geom ELSE ST_Split(ST_Snap(p.geom, b.blade, 1e-9), b.blade) END) s
        WHERE ST_Length(s.geom) > 0
      ),
      ends AS (
        SELECT DISTINCT pt FROM pieces, LATERAL (VALUES (ST_StartPoint(geom)), (ST_EndPoint(geom))) e(pt)
      ),
      added AS (
        INSERT INTO road_nodes (geom) SELECT pt FROM ends ON CONFLICT (geom) DO NOTHING RETURNING id, geom
      ),
      nodes AS (
        SELECT id, geom FROM added UNION ALL SELECT n.id, n.geom FROM road_nodes n JOIN ends ON n.geom = ends.pt
      )
      INSERT INTO road_edges (road_id, source, target, length_m, cost, reverse_cost, geom)
      SELECT pc.road_id, s.id, t.id, l.length_m, c.cost, c.reverse_cost, pc.geom
      FROM pieces pc
      JOIN roads r ON r.id = pc.road_id
      JOIN nodes s ON s.geom = ST_StartPoint(pc.geom)
      JOIN nodes t ON t.geom = ST_EndPoint(pc.geom),
      LATERAL (SELECT ST_Length(pc.geom::geography) AS length_m) l,
      LATERAL road_edge_costs(l.length_m, r) c;
    $$`);

  // which roads a write disturbs: those meeting the written roads' geometry before or after
  await knex.raw(`
    CREATE FUNCTION road_network_follow() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
    DECLARE
      disturbed bigint[];
      recosted bigint[];
      older bigint;
    BEGIN
      -- one writer at a time renodes, and sees what an earlier one committed
      UPDATE road_network SET roads_generation = roads_generation + 1;
      IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE road_edges, road_nodes;
        RETURN NULL;
      END IF;
      IF TG_OP = 'INSERT' THEN
        -- every new road, and the roads already there that meet one (none when there were none: a whole
        -- import into an empty table; OFFSET 0 keeps GEOS after the anti-join)
        SELECT count(*) INTO older FROM roads r WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = r.id);
        IF older = 0 THEN
          SELECT array_agg(id) INTO disturbed FROM new_rows;
        ELSE
          SELECT array_agg(id) INTO disturbed FROM (
            SELECT id FROM new_rows
            UNION ALL
            SELECT DISTINCT c.id FROM (
              SELECT r.id, r.geom, n.geom AS n_geom FROM new_rows n JOIN roads r ON r.geom && n.geom
              WHERE NOT EXISTS (SELECT 1 FROM new_rows x WHERE x.id = r.id) OFFSET 0) c
            WHERE ST_Intersects(c.geom, c.n_geom)) d;
        END IF;
      ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM road_edges WHERE road_id IN (SELECT id FROM old_rows);
        SELECT array_agg(DISTINCT r.id) INTO disturbed
        FROM old_rows o JOIN roads r ON r.geom && o.geom AND ST_Intersects(r.geom, o.geom);
      ELSE
        DELETE FROM road_edges WHERE road_id IN (SELECT id FROM old_rows EXCEPT SELECT id FROM new_rows);
        WITH moved AS (
          SELECT o.geom AS old_geom, n.geom AS new_geom
          FROM old_rows o JOIN new_rows n USING (id)
          WHERE ST_AsBinary(o.geom) <> ST_AsBinary(n.geom) OR o.bridge <> n.bridge OR o.tunnel <> n.tunnel
        )
        SELECT array_agg(DISTINCT r.id) INTO disturbed
        FROM moved m JOIN roads r ON (r.geom && m.old_geom AND ST_Intersects(r.geom, m.old_geom))
                                  OR (r.geom && m.new_geom AND ST_Intersects(r.geom, m.new_geom));
        SELECT array_agg(n.id) INTO recosted
        FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.road_class, o.speed_kmh, o.oneway, o.status) IS DISTINCT FROM (n.road_class, n.speed_kmh, n.oneway, n.status)
          AND NOT n.id = ANY(coalesce(disturbed, '{}'));
        UPDATE road_edges e SET (cost, reverse_cost) = (SELECT c.cost, c.reverse_cost FROM road_edge_costs(e.length_m, r) c)
        FROM roads r
        WHERE r.id = ANY(recosted) AND e.road_id = r.id;
      END IF;
      IF disturbed IS NOT NULL THEN
        PERFORM road_network_renode(disturbed);
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER roads_network_insert AFTER INSERT ON roads REFERENCING NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_follow()`);
  await knex.raw(`CREATE TRIGGER roads_network_update AFTER UPDATE ON roads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_follow()`);
  await knex.raw(`CREATE TRIGGER roads_network_delete AFTER DELETE ON roads REFERENCING OLD TABLE AS old_rows
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_follow()`);
  await knex.raw("CREATE TRIGGER roads_network_truncate AFTER TRUNCATE ON roads FOR EACH STATEMENT EXECUTE FUNCTION road_network_follow()");

  await knex.raw(`
    CREATE FUNCTION road_network_hazards_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE road_network SET hazards_generation = hazards_generation + 1;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER hazards_road_network AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hazards
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_hazards_moved()`);

  await knex.raw("SELECT road_network_renode(array_agg(id)) FROM roads");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TRIGGER IF EXISTS hazards_road_network ON hazards");
  for (const op of ["insert", "update", "delete", "truncate"]) await knex.raw(`DROP TRIGGER IF EXISTS roads_network_${op} ON roads`);
  await knex.raw("DROP FUNCTION IF EXISTS road_network_hazards_moved(), road_network_follow(), road_network_renode(bigint[]), road_edge_costs(double precision, roads)");
  await knex.raw("DROP TABLE IF EXISTS road_network, road_edges, road_nodes");
}
