import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

/** What must never be false is enforced by PostgreSQL itself, whatever the application does. */
describe("database constraints", () => {
  const point = "ST_SetSRID(ST_MakePoint(104.2, 30.8), 4326)";
  const rejects = (sql: string) => expect(w.db.raw(sql)).rejects.toThrow();

  it("geometry type and SRID per layer, validity, coordinate range", async () => {
    await rejects(`INSERT INTO shelters (name, geom, capacity) VALUES ('a', ST_SetSRID(ST_MakeLine(ST_MakePoint(0,0), ST_MakePoint(1,1)), 4326), 1)`);
    await rejects(`INSERT INTO shelters (name, geom, capacity) VALUES ('a', ST_SetSRID(ST_MakePoint(104.2, 30.8), 3857), 1)`);
    await rejects(`INSERT INTO shelters (name, geom, capacity) VALUES ('a', ST_SetSRID(ST_MakePoint(204.2, 30.8), 4326), 1)`);
    await rejects(`INSERT INTO hazards (name, geom, kind, risk_level) VALUES ('a', ST_GeomFromText('POLYGON((0 0,1 1,1 0,0 1,0 0))', 4326), 'mine', 1)`);
    await rejects(`INSERT INTO hazards (name, geom, kind, risk_level) VALUES ('a', ST_GeomFromText('GEOMETRYCOLLECTION(POINT(0 0))', 4326), 'mine', 1)`);
    await rejects(`INSERT INTO townships (name, geom) VALUES ('a', ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))', 4326))`);
  });

  it("risk level 1–4, enumerations, non-negative amounts, non-empty names", async () => {
    await rejects(`INSERT INTO hazards (name, geom, kind, risk_level) VALUES ('a', ${point}, 'mine', 5)`);
    await rejects(`INSERT INTO hazards (name, geom, kind, risk_level) VALUES ('a', ${point}, 'volcano', 1)`);
    await rejects(`INSERT INTO shelters (name, geom, capacity) VALUES ('a', ${point}, -1)`);
    await rejects(`INSERT INTO shelters (name, geom, capacity, occupancy) VALUES ('a', ${point}, 10, -1)`);
    await rejects(`INSERT INTO villages (name, geom, population) VALUES ('a', ${point}, -1)`);
    await rejects(`INSERT INTO shelters (name, geom, capacity) VALUES ('  ', ${point}, 1)`);
    await rejects(`INSERT INTO teams (name, geom, status) VALUES ('a', ${point}, 'asleep')`);
  });

  it("stock references existing depots and items, quantities ≥ 0; admin codes unique", async () => {
    const [{ id }] = (await w.db.raw(`INSERT INTO depots (name, geom) VALUES ('d', ${point}) RETURNING id`)).rows;
    await rejects(`INSERT INTO depot_stock (depot_id, item_code, quantity) VALUES (${id}, 'unicorn', 1)`);
    await rejects(`INSERT INTO depot_stock (depot_id, item_code, quantity) VALUES (${Number(id) + 1000}, 'tent', 1)`);
    await rejects(`INSERT INTO depot_stock (depot_id, item_code, quantity) VALUES (${id}, 'tent', -1)`);
    await w.db.raw(`INSERT INTO depot_stock (depot_id, item_code, quantity) VALUES (${id}, 'tent', 1)`);
    await w.db.raw(`DELETE FROM depots WHERE id = ${id}`);
    expect((await w.db.raw(`SELECT count(*)::int AS n FROM depot_stock WHERE depot_id = ${id}`)).rows[0].n).toBe(0);

    await w.db.raw(`INSERT INTO villages (name, geom, population, admin_code) VALUES ('a', ${point}, 1, '510199101001')`);
    await rejects(`INSERT INTO villages (name, geom, population, admin_code) VALUES ('b', ${point}, 1, '510199101001')`);
    await rejects(`INSERT INTO villages (name, geom, population, admin_code) VALUES ('c', ${point}, 1, '5101')`);
  });

  it("every write bumps version by one, whoever makes it", async () => {
    const [{ id }] = (await w.db.raw(`INSERT INTO teams (name, geom) VALUES ('t', ${point}) RETURNING id`)).rows;
    await w.db.raw(`UPDATE teams SET headcount = 3 WHERE id = ${id}`);
    await w.db.raw(`UPDATE teams SET headcount = 4, version = 99 WHERE id = ${id}`);
    const row = (await w.db.raw(`SELECT version, updated_at > created_at AS touched FROM teams WHERE id = ${id}`)).rows[0];
    expect(row).toEqual({ version: 3, touched: true });
  });

  it("has a GiST index on every geometry column, but those only drawn, found by another column", async () => {
    const { rows } = await w.db.raw(`
      SELECT c.relname AS t, a.attname AS c FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
      JOIN pg_type ty ON ty.oid = a.atttypid AND ty.typname = 'geometry'
      WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
        AND coalesce(col_description(c.oid, a.attnum), '') NOT LIKE 'not searched: found by %'
        AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                        WHERE i.indrelid = c.oid AND am.amname = 'gist' AND a.attnum = ANY (i.indkey))`);
    expect(rows).toEqual([]);
  });
});
