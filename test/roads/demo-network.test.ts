// The demo county's roads as the network (migration 016) builds them, read by pgRouting: one piece that
// every village, shelter, depot and team reaches, bridges uncut, the landslide's road unusable, and the
// story the README tells (石场村's straight-nearest shelter is across the river, far by road).
import { describe, expect, it } from "vitest";
import { useDemoWorld } from "../support/demo_world.ts";
import { ROAD_CLASS_KMH } from "../../server/layers/roads.ts";

const demo = useDemoWorld();
const EDGES = "SELECT id, source, target, cost, reverse_cost FROM road_edges";

const rows = async <T>(sql: string, bindings: string[] = []): Promise<T[]> => (await demo.world.db.raw(sql, bindings)).rows;

/** The network node nearest a named feature of a layer. */
const nodeNear = (layer: string, name: string) =>
  rows<{ id: string }>(`SELECT n.id FROM road_nodes n, ${layer} f WHERE f.name = ? ORDER BY n.geom <-> f.geom LIMIT 1`, [name]).then((r) => r[0]!.id);

describe("the demo county's road network", () => {
  it("is one piece that every place reaches within 300 m, the closed road aside", async () => {
    const pieces = await rows<{ component: string }>(`SELECT DISTINCT component FROM pgr_connectedComponents('${EDGES} WHERE cost >= 0')`);
    expect(pieces).toHaveLength(1);
    const far = await rows<{ name: string }>(`
      SELECT f.name FROM (SELECT name, geom FROM villages UNION ALL SELECT name, geom FROM shelters
                          UNION ALL SELECT name, geom FROM depots UNION ALL SELECT name, geom FROM teams) f
      WHERE NOT EXISTS (SELECT 1 FROM road_edges e WHERE e.cost >= 0 AND ST_DWithin(e.geom::geography, f.geom::geography, 300))`);
    expect(far).toEqual([]);
  });

  it("keeps each bridge one edge, and the landslide's road closed both ways", async () => {
    const bridges = await rows<{ pieces: number }>(
      "SELECT count(e.id)::int AS pieces FROM roads r JOIN road_edges e ON e.road_id = r.id WHERE r.bridge GROUP BY r.id",
    );
    expect(bridges.length).toBeGreaterThanOrEqual(2);
    for (const b of bridges) expect(b.pieces).toBe(1);
    const closed = await rows<{ cost: number; reverse_cost: number }>(
      "SELECT e.cost, e.reverse_cost FROM roads r JOIN road_edges e ON e.road_id = r.id WHERE r.status = 'closed'",
    );
    expect(closed.length).toBeGreaterThan(0);
    for (const e of closed) expect([e.cost, e.reverse_cost]).toEqual([-1, -1]);
  });

  it("takes 石场村 over a bridge to 石井村小学, its nearest shelter in a straight line, and quickly to 合湾村委会院坝", async () => {
    const from = await nodeNear("villages", "石场村");
    const trip = async (shelter: string) => {
      const [r] = await rows<{ s: number }>(`SELECT max(agg_cost) AS s FROM pgr_dijkstra('${EDGES}', ?::bigint, ?::bigint)`, [
        from,
        await nodeNear("shelters", shelter),
      ]);
      return r!.s;
    };
    const [across, ownBank] = [await trip("石井村小学"), await trip("合湾村委会院坝")];
    expect(across).toBeGreaterThan(3 * ownBank);
    expect(across / 60).toBeGreaterThan(12);
    expect(ownBank / 60).toBeLessThan(8);
    const [straight] = await rows<{ nearer: boolean }>(`
      SELECT ST_Distance(v.geom::geography, a.geom::geography) < ST_Distance(v.geom::geography, b.geom::geography) AS nearer
      FROM villages v, shelters a, shelters b WHERE v.name = '石场村' AND a.name = '石井村小学' AND b.name = '合湾村委会院坝'`);
    expect(straight!.nearer).toBe(true);
  });
});

describe("the class speeds a road's popup shows (ROAD_CLASS_KMH)", () => {
  it("are the ones the network drives at (road_speed_kmh of migration 015)", async () => {
    for (const [roadClass, kmh] of Object.entries(ROAD_CLASS_KMH)) {
      const [r] = await rows<{ kmh: number }>("SELECT road_speed_kmh(?, NULL)::float AS kmh", [roadClass]);
      expect(r!.kmh, roadClass).toBe(kmh);
    }
  });
});
