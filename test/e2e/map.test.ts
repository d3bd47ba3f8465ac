import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startDemoWorld, type World } from "../support/world.ts";
import { launchBrowser, openMap, screenshot } from "../support/browser.ts";

let w: World;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

beforeAll(async () => {
  w = await startDemoWorld();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("request", (r) => !r.url().startsWith(w.base) && !r.url().startsWith("blob:") && !r.url().startsWith("data:") && foreignRequests.push(r.url()));
  await openMap(page, w.base);
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const rendered = (layers: string[]) =>
  page.evaluate((ids) => (window as unknown as { hazmap: { map: { queryRenderedFeatures(o: object): unknown[] } } }).hazmap.map.queryRenderedFeatures({ layers: ids }).length, layers);

describe("the map, in a real browser", () => {
  it("loads with no console errors and asks no other host for anything", async () => {
    await screenshot(page, "01-county");
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it("draws every layer from the product's own vector tiles", async () => {
    for (const ids of [["townships-fill"], ["villages-point"], ["hazards-point", "hazards-area", "hazards-line"], ["shelters-point"], ["depots-point"], ["teams-point"], ["townships-label"]]) {
      expect(await rendered(ids), ids.join()).toBeGreaterThan(0);
    }
  });

  it("clicking the map lists the nearest depot the API returns for that point", async () => {
    // an empty spot: no feature under the cursor but a township
    const spot = await page.evaluate(() => {
      const { map } = (window as unknown as { hazmap: { map: { queryRenderedFeatures(p: [number, number]): { source: string }[]; unproject(p: [number, number]): { lng: number; lat: number } } } }).hazmap;
      for (let x = 400; x < 900; x += 7) for (let y = 200; y < 600; y += 7) {
        if (map.queryRenderedFeatures([x, y]).every((f) => f.source === "townships")) return { x, y, ...map.unproject([x, y]) };
      }
      throw new Error("no empty spot");
    });
    const box = (await page.locator("#map").boundingBox())!;
    await page.mouse.click(box.x + spot.x, box.y + spot.y);
    await page.waitForSelector("#nearest ol[data-layer=depots] li");
    const listed = await page.textContent("#nearest ol[data-layer=depots] li");
    const api = await (await fetch(`${w.base}/api/v1/nearest?layer=depots&lon=${spot.lng}&lat=${spot.lat}&limit=3`)).json();
    expect(listed!.startsWith(api.features[0].properties.name)).toBe(true);
    expect(listed).toContain(`${(api.features[0].properties.distance_m / 1000).toFixed(1).replace(/\.0$/, "")} km`);
    await screenshot(page, "02-nearest");
  });

  it("switches language, and the choice persists", async () => {
    expect(await page.textContent("#layers h2")).toBe("图层");
    await page.click("#lang");
    expect(await page.textContent("#layers h2")).toBe("Layers");
    expect(await page.textContent("#layers ul")).toContain("Shelters (40)");
    await page.reload();
    await openMap(page, w.base);
    expect(await page.textContent("#layers h2")).toBe("Layers");
    expect(await page.textContent("header h1")).toBe("Emergency resource map");
    await screenshot(page, "03-english");
  });
});
