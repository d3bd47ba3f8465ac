// The README's story through the API: from 石场村 the shelter nearest in a straight line (石井村小学) is
// across the river, and by road — the default where the county has roads — 合湾村委会院坝 comes first.
import { describe, expect, it } from "vitest";
import { useDemoWorld } from "../support/demo_world.ts";

const demo = useDemoWorld();

interface Answer {
  by: string;
  features: { properties: { name: string; travel_time_s?: number; distance_m: number } }[];
}

async function nearestShelters(lon: number, lat: number, by?: string): Promise<Answer> {
  const res = await demo.world.fetch(`${demo.world.base}/api/v1/nearest?layer=shelters&lon=${lon}&lat=${lat}&limit=10${by ? `&by=${by}` : ""}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe("the demo county by road", () => {
  it("sends 石场村 to 合湾村委会院坝 by road, though 石井村小学 is nearer in a straight line", async () => {
    const [{ lon, lat }] = (await demo.world.db.raw("SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM villages WHERE name = '石场村'")).rows;
    const road = await nearestShelters(lon, lat);
    const straight = await nearestShelters(lon, lat, "straight");
    expect(road.by).toBe("road");
    expect(straight.by).toBe("straight");
    const rank = (a: Answer, name: string) => a.features.findIndex((f) => f.properties.name === name);
    expect(rank(straight, "石井村小学")).toBeLessThan(rank(straight, "合湾村委会院坝"));
    expect(rank(road, "合湾村委会院坝")).toBeGreaterThanOrEqual(0);
    expect(rank(road, "合湾村委会院坝")).toBeLessThan(rank(road, "石井村小学") === -1 ? Infinity : rank(road, "石井村小学"));
    // in minutes a person can act on: the times rise along the answer
    const times = road.features.map((f) => f.properties.travel_time_s!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
