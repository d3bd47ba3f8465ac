import { describe, expect, it } from "vitest";
import * as turf from "@turf/turf";
import { POINT_TO_POINT_M, geodesicDistance, within } from "../support/truth.ts";
import { useDemoWorld } from "../support/demo_world.ts";

const demo = useDemoWorld();

const ids = (xs: { id: number }[]) => xs.map((x) => x.id).sort((a, b) => a - b);

describe("exposure against brute force", () => {
  it("point hazards: everything within the influence radius", async () => {
    const { rows } = await demo.world.db.raw(
      "SELECT id::int, ST_X(geom) AS x, ST_Y(geom) AS y, influence_radius_m AS r FROM hazards WHERE GeometryType(geom) = 'POINT' ORDER BY id",
    );
    let exposedSomewhere = 0;
    for (const h of rows) {
      const res = await demo.world.fetch(`${demo.world.base}/api/v1/hazards/${h.id}/exposure`);
      expect(res.status).toBe(200);
      const e = await res.json();
      const near = <T extends { at: [number, number] }>(xs: T[]) => xs.filter((x) => within(geodesicDistance([h.x, h.y], x.at), h.r));
      const villages = near(demo.snapshot.villages);
      expect(ids(e.villages)).toEqual(ids(villages));
      expect(e.population).toBe(villages.reduce((a, v) => a + v.population, 0));
      expect(ids(e.shelters)).toEqual(ids(near(demo.snapshot.shelters)));
      expect(ids(e.depots)).toEqual(ids(near(demo.snapshot.depots)));
      expect(ids(e.teams)).toEqual(ids(near(demo.snapshot.teams)));
      expect(e.schools.sort()).toEqual(
        near(demo.snapshot.shelters)
          .filter((x) => x.site_kind === "school")
          .map((x) => x.id)
          .sort(),
      );
      for (const v of e.villages)
        expect(Math.abs(v.distance_m - geodesicDistance([h.x, h.y], demo.snapshot.villages.find((x) => x.id === v.id)!.at))).toBeLessThanOrEqual(
          POINT_TO_POINT_M,
        );
      if (villages.length) exposedSomewhere++;
    }
    expect(exposedSomewhere).toBeGreaterThan(3);
  });

  it("a polygon hazard without influence radius: what lies inside it", async () => {
    const { rows } = await demo.world.db.raw(
      "SELECT id::int, ST_AsGeoJSON(geom)::json AS g FROM hazards WHERE GeometryType(geom) = 'POLYGON' ORDER BY id LIMIT 1",
    );
    const h = rows[0];
    await demo.world.db("hazards").where({ id: h.id }).update({ influence_radius_m: 0 });
    const e = await (await demo.world.fetch(`${demo.world.base}/api/v1/hazards/${h.id}/exposure`)).json();
    expect(ids(e.villages)).toEqual(ids(demo.snapshot.villages.filter((v) => turf.booleanPointInPolygon(v.at, h.g))));
    expect(e.zone).toEqual(h.g);
  });

  it("vulnerable people: the sum when every village's figure is known, unknown (null) when one is not", async () => {
    const { rows } = await demo.world.db.raw(
      "SELECT id::int, ST_X(geom) AS x, ST_Y(geom) AS y, influence_radius_m AS r FROM hazards WHERE GeometryType(geom) = 'POINT' ORDER BY id",
    );
    const figures = new Map<number, number | null>((await demo.world.db("villages").select("id", "vulnerable")).map((v) => [Number(v.id), v.vulnerable]));
    const h = rows.find(
      (x: { x: number; y: number; r: number }) => demo.snapshot.villages.filter((v) => within(geodesicDistance([x.x, x.y], v.at), x.r)).length >= 2,
    )!;
    const exposed = demo.snapshot.villages.filter((v) => within(geodesicDistance([h.x, h.y], v.at), h.r)).map((v) => v.id);
    const sum = (xs: number[]) => xs.reduce((a, v) => a + figures.get(v)!, 0);
    expect(exposed.every((v) => figures.get(v) !== null)).toBe(true);

    const known = await (await demo.world.fetch(`${demo.world.base}/api/v1/hazards/${h.id}/exposure`)).json();
    expect(known).toMatchObject({ vulnerable: sum(exposed), vulnerable_known: sum(exposed), vulnerable_unknown_villages: 0 });
    expect(known.vulnerable).toBeGreaterThan(0);

    await demo.world.db("villages").where({ id: exposed[0] }).update({ vulnerable: null });
    const unknown = await (await demo.world.fetch(`${demo.world.base}/api/v1/hazards/${h.id}/exposure`)).json();
    expect(unknown).toMatchObject({ vulnerable: null, vulnerable_known: sum(exposed.slice(1)), vulnerable_unknown_villages: 1 });
    expect(unknown.villages.find((v: { id: number }) => v.id === exposed[0]).vulnerable).toBeNull();
    await demo.world
      .db("villages")
      .where({ id: exposed[0] })
      .update({ vulnerable: figures.get(exposed[0]!) });
  });

  it("an unknown hazard is a 404", async () => {
    expect((await demo.world.fetch(`${demo.world.base}/api/v1/hazards/999999/exposure`)).status).toBe(404);
  });
});
