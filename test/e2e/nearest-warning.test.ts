// Issue 13, part 1, in the browser: a shelter inside a hazard zone is flagged ⚠ in the commander's list,
// and picking that hazard asks from it, so its zone's shelters are no longer offered.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { newMapPage, screenshot, useBrowserWorld } from "../support/browser.ts";

const e2e = useBrowserWorld();

interface Shelter {
  id: number;
  properties: { name: string; in_hazard_zones: { id: number; name: string }[] };
}
const nearest = async (query: string) =>
  (await (await e2e.world.fetch(`${e2e.world.base}/api/v1/nearest?layer=shelters&limit=3&${query}`)).json()).features as Shelter[];
const listed = (page: Page) => page.locator("#nearest ol[data-layer=shelters] li").allTextContents();

describe("the commander's nearest shelters and the hazard zones", () => {
  it("a shelter inside a hazard zone is flagged with the hazard's name; picking the hazard leaves its zone's shelters out", async () => {
    const w = e2e.world;
    const { page, errors } = await newMapPage(e2e.browser, w.base);
    // the hazard whose zone holds the most usable shelters, and one of them
    const { rows } = await w.db.raw(`
      SELECT h.id::int AS hazard, h.name, s.id::int AS shelter, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
      FROM hazards h JOIN usable_shelters s ON ST_DWithin(s.geom::geography, h.geom::geography, h.influence_radius_m + 0.001)
      ORDER BY count(*) OVER (PARTITION BY h.id) DESC, h.id, s.id LIMIT 1`);
    const { hazard, name, lon, lat } = rows[0];

    await page.evaluate(([lon, lat]) => window.hazmap.map.jumpTo({ center: [lon, lat] }), [lon, lat]);
    await page.focus("#map canvas");
    await page.keyboard.press("Enter");
    const fromPoint = await nearest(`lon=${lon}&lat=${lat}`);
    expect(fromPoint[0]!.properties.in_hazard_zones.map((z) => z.id)).toContain(hazard);
    await page.waitForFunction(
      (first) => document.querySelector("#nearest ol[data-layer=shelters] li")?.textContent?.startsWith(first),
      fromPoint[0]!.properties.name,
    );
    const shown = await listed(page);
    fromPoint.forEach((f, i) => {
      expect(shown[i]!.startsWith(f.properties.name)).toBe(true);
      if (f.properties.in_hazard_zones.length)
        expect(shown[i]).toContain(`⚠ 位于危险源影响范围: ${f.properties.in_hazard_zones.map((z) => z.name).join("、")}`);
      else expect(shown[i]).not.toContain("⚠");
    });
    await page.locator("#nearest ol[data-layer=shelters]").scrollIntoViewIfNeeded();
    await screenshot(page, "nearest-warning-zh");

    await page.selectOption("#nearest-hazard", String(hazard));
    await page.waitForSelector("#nearest .results p.from-hazard");
    expect(await page.textContent("#nearest .results p.from-hazard")).toContain(name);
    const fromHazard = await nearest(`hazard_id=${hazard}`);
    expect(fromHazard.length).toBeGreaterThan(0);
    await page.waitForFunction(
      (names) =>
        JSON.stringify([...document.querySelectorAll("#nearest ol[data-layer=shelters] li")].map((li) => li.textContent!.split(" · ")[0])) ===
        JSON.stringify(names),
      fromHazard.map((f) => f.properties.name),
    );
    for (const text of await listed(page)) expect(text).not.toContain(name);
    for (const f of fromHazard) expect(f.properties.in_hazard_zones.map((z) => z.id)).not.toContain(hazard);
    await page.locator("#nearest ol[data-layer=shelters]").scrollIntoViewIfNeeded();
    await screenshot(page, "nearest-from-hazard-zh");
    expect(errors).toEqual([]);
  });
});
