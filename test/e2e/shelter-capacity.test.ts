// The planner's shelter capacity in a real browser: the township choropleth colours each township by the
// class of its sheltered share (sheltered / population) as the API answers it, the legend shows those
// classes, and the table lists every township with its sheltered people and why the others are not.
import { describe, expect, it } from "vitest";
import { newMapPage, screenshot, useBrowserWorld } from "../support/browser.ts";

const e2e = useBrowserWorld();

interface Row {
  township: string | null;
  name: string | null;
  population: number;
  sheltered: number;
  unsheltered_reasons: { no_shelter_in_reach: number; no_place_left: number };
}

describe("shelter capacity on the map", () => {
  it("colours townships by sheltered share, with the legend of its classes and the table", async () => {
    const w = e2e.world;
    const { page, errors } = await newMapPage(e2e.browser, w.base);
    await page.click("#planner summary");
    await page.fill("#gap-radius", "3");
    await page.click("#township-capacity");
    await page.waitForSelector("#planner-result table");
    const answer = (await (await fetch(`${w.base}/api/v1/shelter-capacity?radius_m=3000`)).json()) as {
      townships: Row[];
      total: { sheltered: number; population: number };
    };

    // the legend: four classes of share, each with its colour
    const legend = await page
      .locator("#capacity-legend span")
      .evaluateAll((spans) => spans.map((s) => ({ text: s.textContent, colour: getComputedStyle(s.querySelector("i")!).backgroundColor })));
    expect(legend.map((l) => l.text)).toEqual(["< 10 %", "10–30 %", "30–70 %", "≥ 70 %"]);
    const classColour = (share: number) => legend[share < 0.1 ? 0 : share < 0.3 ? 1 : share < 0.7 ? 2 : 3]!.colour;

    // the choropleth: every township in the class of its share, in the legend's colour
    const fill = (await page.evaluate(() => window.hazmap.map.getPaintProperty("townships-fill", "fill-color"))) as unknown[];
    const towns = answer.townships.filter((t) => t.township !== null);
    expect(towns.length).toBeGreaterThan(0);
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
    for (const t of towns) {
      const at = fill.indexOf(t.township);
      expect(at, t.township!).toBeGreaterThan(1);
      expect(rgb(fill[at + 1] as string), `${t.name}`).toBe(classColour(t.sheltered / t.population));
    }
    // the demo county is short of places: more than one class shows
    expect(new Set(towns.map((t) => classColour(t.sheltered / t.population))).size).toBeGreaterThan(1);

    // the table: a row per township, its sheltered people and the reasons for the others
    const cells = await page
      .locator("#planner-result tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(cells).toHaveLength(answer.townships.length);
    for (const t of towns) {
      const row = cells.find((c) => c[0] === t.name)!;
      expect(row, t.name!).toBeDefined();
      expect(row.slice(1, 3)).toEqual([t.population.toLocaleString(), t.sheltered.toLocaleString()]);
      expect(row.slice(4, 6)).toEqual([t.unsheltered_reasons.no_shelter_in_reach.toLocaleString(), t.unsheltered_reasons.no_place_left.toLocaleString()]);
    }
    expect(await page.textContent("#capacity-summary")).toContain(`${((answer.total.sheltered / answer.total.population) * 100).toFixed(1)} %`);
    await page.locator("#planner-result").scrollIntoViewIfNeeded();
    await screenshot(page, "shelter-capacity-zh");

    // in English, the same table with English headers
    await page.click("#lang");
    await page.waitForFunction(() => document.querySelector("#planner-result thead th:nth-child(3)")?.textContent === "Sheltered");
    await screenshot(page, "shelter-capacity-en");
    expect(errors).toEqual([]);
  });
});
