// The planner's coverage gaps, site suggestions and evacuation plans in a real browser, against the API.
import { describe, expect, it } from "vitest";
import { drawn, newMapPage, screenshot, useBrowserWorld } from "../support/browser.ts";
import { evacuationHazard, evacuationPlan } from "../support/evacuation.ts";

const e2e = useBrowserWorld();

describe("planning on the map", () => {
  it("the coverage-gap panel counts what the API counts, and suggests sites", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    await page.click("#planner summary");
    await page.fill("#gap-radius", "5");
    await page.click("#find-gaps");
    await page.waitForSelector("#gap-summary");
    const api = await (await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=5000`)).json();
    const text = await page.textContent("#gap-summary");
    expect(text).toContain(`${api.summary.uncovered_villages} 个村`);
    expect(api.summary.uncovered_villages).toBeGreaterThan(0);
    expect(await drawn(page, "gaps")).toBe(api.summary.uncovered_villages);
    await page.click("#suggest-sites");
    await page.waitForSelector("#site-list li");
    const sites = await (
      await w.fetch(`${w.base}/api/v1/site-suggestions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ layer: "shelters", radius_m: 5000, count: 3 }),
      })
    ).json();
    expect(await page.locator("#site-list li").count()).toBe(sites.suggestions.length);
    expect(await page.textContent("#site-list li")).toContain(sites.suggestions[0].name);
    await page.click("#township-capacity");
    await page.waitForSelector("#planner-result table");
    expect(await page.locator("#planner-result tbody tr").count()).toBe(15);
    await screenshot(page, "04-planner");
  });

  it("an evacuation plan for a hazard draws its flows, and its numbers are the API's", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    await page.click("#evacuation summary");
    const hazard = await evacuationHazard(w);
    await page.selectOption("#evac-hazard", String(hazard));
    await page.click("#evac-plan");
    await page.waitForSelector("#evac-affected");
    const plan = await evacuationPlan(w, { hazard_id: hazard });
    expect(plan.affected.villages).toBeGreaterThan(0);
    expect(await page.textContent("#evac-affected")).toContain(`${plan.affected.villages} 个村`);
    const assigned = plan.assignments.reduce((s: number, a: { people: number }) => s + a.people, 0);
    const people = (n: number) =>
      n >= 10000 ? `${(n / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 1 })} 万人` : `${n.toLocaleString("zh-CN")} 人`;
    expect(await page.textContent("#evac-assigned")).toContain(people(assigned));
    expect(await drawn(page, "evac-flows")).toBe(plan.assignments.length);
    await screenshot(page, "05-evacuation");
  });

  it("an evacuation plan for a polygon drawn on the map, corner by corner", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    await page.click("#evacuation summary");
    const box = (await page.locator("#map").boundingBox())!;
    const corners: [number, number][] = [
      [0.35, 0.35],
      [0.6, 0.3],
      [0.65, 0.6],
      [0.4, 0.65],
    ].map(([fx, fy]) => [Math.round(box.width * fx!), Math.round(box.height * fy!)]);
    const ring = await page.evaluate(
      (px) =>
        px.map((p) => {
          const ll = window.hazmap.map.unproject(p);
          return [ll.lng, ll.lat];
        }),
      corners,
    );
    await page.click("#evac-polygon");
    for (const [x, y] of corners) await page.mouse.click(box.x + x, box.y + y);
    await page.click("#evac-finish");
    const polygon = { type: "Polygon", coordinates: [[...ring, ring[0]]] };
    const plan = await evacuationPlan(w, polygon);
    expect(plan.affected.villages).toBeGreaterThan(0);
    await page.waitForFunction((n) => document.querySelector("#evac-affected")?.textContent?.includes(`${n} 个村`), plan.affected.villages);
    expect(await drawn(page, "evac-flows")).toBe(plan.assignments.length);
    await screenshot(page, "05b-evacuation-polygon");
  });
});
