import { describe, expect, it } from "vitest";
import { geodesicDistance, within } from "../support/truth.ts";
import { useDemoWorld } from "../support/demo_world.ts";
import { uncovered, usable } from "../support/usable.ts";

const demo = useDemoWorld();

describe("site suggestions: each pick's gain is the brute-force best marginal gain over the villages no usable resource covers", () => {
  it.each([
    ["shelters", 5000, 4],
    ["shelters", 2500, 6],
    ["depots", 2500, 3],
    ["teams", 4000, 3],
  ] as const)("%s, radius %d m, %d sites", async (layer, radius, count) => {
    const res = await demo.world.fetch(`${demo.world.base}/api/v1/site-suggestions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ layer, radius_m: radius, count }),
    });
    expect(res.status).toBe(200);
    const { suggestions, uncovered_population } = await res.json();

    let open = uncovered(
      demo.snapshot.villages.filter((v) => v.population > 0),
      usable(demo.snapshot)[layer],
      radius,
    );
    expect(uncovered_population).toBe(open.reduce((a, v) => a + v.population, 0));
    expect(open.length).toBeGreaterThan(0);
    for (const pick of suggestions) {
      const gainOf = (site: { at: [number, number] }) =>
        open.filter((v) => within(geodesicDistance(site.at, v.at), radius)).reduce((a, v) => a + v.population, 0);
      const best = Math.max(...demo.snapshot.villages.map(gainOf));
      const site = demo.snapshot.villages.find((v) => v.id === pick.village_id)!;
      expect(pick.added_population).toBe(best);
      expect(gainOf(site)).toBe(best);
      const covered = open.filter((v) => within(geodesicDistance(site.at, v.at), radius));
      expect(pick.covered_village_ids).toEqual(covered.map((v) => v.id).sort((a, b) => a - b));
      open = open.filter((v) => !covered.includes(v));
    }
    // stops early only when nothing is left to cover
    if (suggestions.length < count) expect(open).toEqual([]);
  });
});
