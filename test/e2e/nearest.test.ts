// The commander's nearest-resources panel and supply plan in a real browser, against the API's answers.
import { describe, expect, it } from "vitest";
import { drawn, newMapPage, screenshot, useBrowserWorld } from "../support/browser.ts";

const e2e = useBrowserWorld();

describe("nearest resources and supply plans on the map", () => {
  it("clicking the map lists the nearest depot the API returns for that point", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    // an empty spot: no feature under the cursor but a township
    const spot = await page.evaluate(() => {
      const { map } = window.hazmap;
      for (let x = 400; x < 900; x += 7)
        for (let y = 200; y < 600; y += 7) {
          if (map.queryRenderedFeatures([x, y]).every((f) => f.sourceLayer === "townships")) return { x, y, ...map.unproject([x, y]) };
        }
      throw new Error("no empty spot");
    });
    const box = (await page.locator("#map").boundingBox())!;
    await page.mouse.click(box.x + spot.x, box.y + spot.y);
    await page.waitForSelector("#nearest ol[data-layer=depots] li");
    const listed = await page.textContent("#nearest ol[data-layer=depots] li");
    const api = await (await w.fetch(`${w.base}/api/v1/nearest?layer=depots&lon=${spot.lng}&lat=${spot.lat}&limit=3`)).json();
    expect(listed!.startsWith(api.features[0].properties.name)).toBe(true);
    expect(listed).toContain(`${(api.features[0].properties.distance_m / 1000).toFixed(1).replace(/\.0$/, "")} km`);
    await screenshot(page, "02-nearest");
  });

  it("with the keyboard alone: arrows pan the focused map, Enter asks for the nearest resources at its centre", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    await page.focus("#map canvas");
    const centre = () => page.evaluate(() => window.hazmap.map.getCenter());
    const before = await centre();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((lng) => window.hazmap.map.getCenter().lng > lng && !window.hazmap.map.isMoving(), before.lng);
    const at = await centre();
    await page.keyboard.press("Enter");
    await page.waitForFunction((lon) => document.querySelector("#nearest .results p")?.textContent?.includes(lon), at.lng.toFixed(5));
    const api = await (await w.fetch(`${w.base}/api/v1/nearest?layer=shelters&lon=${at.lng}&lat=${at.lat}&limit=3`)).json();
    expect(await page.textContent("#nearest ol[data-layer=shelters] li")).toContain(api.features[0].properties.name);
  });

  it("a commander picks a hazard as the incident and filters: depots holding tents, standby teams of a specialty, shelters with room", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    const hazardId = await page.evaluate(() => document.querySelector<HTMLSelectElement>("#nearest-hazard")!.options[1]!.value);
    const before = await page.evaluate(() => document.querySelector("#nearest .results p")?.textContent ?? null);
    await page.selectOption("#nearest-hazard", hazardId);
    const hazard = await (await w.fetch(`${w.base}/api/v1/layers/hazards/features/${hazardId}`)).json();
    await page.waitForFunction((before) => {
      const p = document.querySelector("#nearest .results p");
      return p && p.textContent !== before;
    }, before);
    const [lon, lat] = await page.evaluate(
      () => /(-?\d+\.\d+), (-?\d+\.\d+)/.exec(document.querySelector("#nearest .results p")!.textContent!)!.slice(1).map(Number) as [number, number],
    );
    if (hazard.geometry.type === "Point") expect([lon.toFixed(4), lat.toFixed(4)]).toEqual(hazard.geometry.coordinates.map((v: number) => v.toFixed(4)));
    const listed = async (layer: string) => (await page.locator(`#nearest ol[data-layer=${layer}] li`).allTextContents()).map((x) => x.split(" · ")[0]);
    // a picked hazard is asked from itself
    const names = async (query: string) =>
      (await (await w.fetch(`${w.base}/api/v1/nearest?${query}&hazard_id=${hazardId}&limit=3`)).json()).features.map(
        (f: { properties: { name: string } }) => f.properties.name,
      );
    await page.selectOption("#nearest-item", "tent");
    await page.fill("#nearest-quantity", "200");
    await page.locator("#nearest-quantity").dispatchEvent("change");
    await page.fill("#nearest-specialty", "flood_rescue");
    await page.locator("#nearest-specialty").dispatchEvent("change");
    await page.fill("#nearest-free", "1000");
    await page.locator("#nearest-free").dispatchEvent("change");
    const want = {
      depots: await names("layer=depots&item=tent&min_quantity=200"),
      teams: await names("layer=teams&specialty=flood_rescue&status=standby"),
      shelters: await names("layer=shelters&min_free_capacity=1000"),
    };
    expect(want.depots.length + want.teams.length + want.shelters.length).toBeGreaterThan(3);
    // the panel shows "无" (none) for an empty answer
    const shown = Object.fromEntries(Object.entries(want).map(([l, names]) => [l, names.length ? names : ["无"]]));
    await page.waitForFunction(
      (shown) =>
        Object.entries(shown).every(
          ([l, names]) =>
            JSON.stringify([...document.querySelectorAll(`#nearest ol[data-layer=${l}] li`)].map((li) => li.textContent!.split(" · ")[0])) ===
            JSON.stringify(names),
        ),
      shown,
    );
    expect(await listed("depots")).toEqual(shown.depots);
    expect(await listed("teams")).toEqual(shown.teams);
    expect(await listed("shelters")).toEqual(shown.shelters);
    // tents are counted in 顶: the filter and each depot's stock say so
    expect(await page.textContent("#nearest-quantity-unit")).toBe("顶");
    for (const li of await page.locator("#nearest ol[data-layer=depots] li").allTextContents()) if (li !== "无") expect(li).toMatch(/ · 储备 帐篷 \d+ 顶$/);
    await screenshot(page, "02b-commander-filters");
  });

  it("a supply plan for the incident: what to draw from where, and the shortfall, as the API answers", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    // the incident: the first hazard in the commander's list
    await page.selectOption("#nearest-hazard", { index: 1 });
    await page.waitForSelector("#nearest .results p");
    await page.focus("#supply summary");
    await page.keyboard.press("Enter"); // opens the <details>
    await page.selectOption("#supply-rows .supply-item", "tent");
    await page.fill("#supply-rows .supply-quantity", "999999");
    await page.click("#supply-plan");
    await page.waitForSelector("#supply-picks li");
    const [lon, lat] = await page.evaluate(() =>
      /(-?\d+\.\d+), (-?\d+\.\d+)/.exec(document.querySelector("#nearest .results p")!.textContent!)!.slice(1).map(Number),
    );
    const api = await (
      await w.fetch(`${w.base}/api/v1/supply-plan`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ lon, lat, items: [{ item: "tent", quantity: 999999 }] }),
      })
    ).json();
    const picks = await page.locator("#supply-picks li").allTextContents();
    expect(picks.map((p) => p.split(" · ")[0])).toEqual(api.picks.map((p: { name: string }) => p.name));
    expect(api.shortfall).toHaveLength(1);
    expect(await page.textContent("#supply-rows .supply-unit")).toBe("顶");
    picks.forEach((p, i) => expect(p).toContain(` ${api.picks[i].quantity} 顶 · `));
    expect(await page.textContent("#supply-shortfall")).toContain(`${api.shortfall[0].quantity} 顶`);
    expect(await drawn(page, "supply-lines")).toBe(api.picks.length);
    await screenshot(page, "02c-supply-plan");
  });
});
