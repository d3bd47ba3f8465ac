import type { Knex } from "knex";

// Which roads' edges changed, generation by generation, so a server holding the network in memory reloads
// only those roads' edges (keyed on road_id) instead of the whole network after a single edit.
// road_network_changes(generation, road_id): every statement that writes road_edges (migration 016's
// renode and recost, inside the write to roads) logs the roads it touched at the generation it runs in
// (road_network_follow bumps it first). road_network.changes_kept_from: the log holds every change made
// in a generation after it; a server holding an older generation reloads the whole network. A statement
// touching more than 5,000 roads (an import) is not logged: it empties the log and moves changes_kept_from
// to its generation, as a whole reload is then as cheap. The log keeps the last 10,000 generations.
// road_network_renode (016) is replaced by the same function with one join made an index lookup.

export async function up(knex: Knex): Promise<void> {
  // migration 016's renode, its edges joined to their roads by primary key: on a province (a million roads)
  // the planner, guessing the pieces at millions, hashed every road for a single edit (4 s of its 5)
  await knex.raw(`
    CREATE OR REPLACE FUNCTION road_network_renode(ids bigint[])
     RETURNS void
     LANGUAGE sql
     SET jit TO 'off'
    AS $function$
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
          -- each piece's road by its primary key (estimated at thousands of pieces, a single edit hashed every road)
          CROSS JOIN LATERAL (SELECT r FROM roads r WHERE r.id = pc.road_id OFFSET 0) rr
          JOIN nodes s ON s.geom = ST_StartPoint(pc.geom)
          JOIN nodes t ON t.geom = ST_EndPoint(pc.geom),
          LATERAL (SELECT ST_Length(pc.geom::geography) AS length_m) l,
          LATERAL road_edge_costs(l.length_m, rr.r) c;
        $function$`);
  await knex.raw("CREATE TABLE road_network_changes (generation bigint NOT NULL, road_id bigint NOT NULL)");
  await knex.raw("CREATE INDEX road_network_changes_generation ON road_network_changes (generation)");
  await knex.raw("ALTER TABLE road_network ADD COLUMN changes_kept_from bigint");
  await knex.raw("UPDATE road_network SET changes_kept_from = roads_generation");
  await knex.raw("ALTER TABLE road_network ALTER COLUMN changes_kept_from SET NOT NULL");
  await knex.raw(`
    CREATE FUNCTION road_network_log_changes() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
    DECLARE
      g bigint;
      roads bigint[];
    BEGIN
      SELECT roads_generation INTO g FROM road_network;
      IF TG_OP <> 'TRUNCATE' THEN
        SELECT array_agg(DISTINCT road_id) INTO roads FROM changed;
        IF roads IS NULL THEN
          RETURN NULL;
        END IF;
      END IF;
      IF TG_OP = 'TRUNCATE' OR cardinality(roads) > 5000 THEN
        DELETE FROM road_network_changes;
        UPDATE road_network SET changes_kept_from = g;
      ELSE
        INSERT INTO road_network_changes (generation, road_id) SELECT g, unnest(roads);
        IF g > 10000 THEN
          DELETE FROM road_network_changes WHERE generation <= g - 10000;
          UPDATE road_network SET changes_kept_from = g - 10000 WHERE changes_kept_from < g - 10000;
        END IF;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER road_edges_log_insert AFTER INSERT ON road_edges REFERENCING NEW TABLE AS changed
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_log_changes()`);
  await knex.raw(`CREATE TRIGGER road_edges_log_update AFTER UPDATE ON road_edges REFERENCING NEW TABLE AS changed
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_log_changes()`);
  await knex.raw(`CREATE TRIGGER road_edges_log_delete AFTER DELETE ON road_edges REFERENCING OLD TABLE AS changed
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_log_changes()`);
  await knex.raw(`CREATE TRIGGER road_edges_log_truncate AFTER TRUNCATE ON road_edges
                  FOR EACH STATEMENT EXECUTE FUNCTION road_network_log_changes()`);
}

export async function down(knex: Knex): Promise<void> {
  for (const op of ["insert", "update", "delete", "truncate"]) await knex.raw(`DROP TRIGGER IF EXISTS road_edges_log_${op} ON road_edges`);
  await knex.raw("DROP FUNCTION IF EXISTS road_network_log_changes()");
  await knex.raw("ALTER TABLE road_network DROP COLUMN IF EXISTS changes_kept_from");
  await knex.raw("DROP TABLE IF EXISTS road_network_changes");
  // 016's renode, as it was
  await knex.raw(`
    CREATE OR REPLACE FUNCTION road_network_renode(ids bigint[])
     RETURNS void
     LANGUAGE sql
     SET jit TO 'off'
    AS $function$
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
        $function$`);
}
