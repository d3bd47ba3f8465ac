// The map as anyone sees it, in a real browser: the layers from the product's own tiles, live edits,
// search, printing, screen sizes and languages.
import { describe, expect, it } from "vitest";
import { drawnSoon, newMapPage, openMap, rendered, screenshot, useBrowserWorld } from "../support/browser.ts";

const e2e = useBrowserWorld();

describe("the map, in a real browser", () => {
  it("loads with no console errors and asks no other host for anything", async () => {
    const { page, errors, foreignRequests } = await newMapPage(e2e.browser, e2e.world.base);
    await screenshot(page, "01-county");
    expect(errors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it("draws every layer from the product's own vector tiles", async () => {
    const { page } = await newMapPage(e2e.browser, e2e.world.base);
    for (const ids of [
      ["townships-fill"],
      ["villages-point"],
      ["hazards-point", "hazards-area", "hazards-line"],
      ["shelters-point"],
      ["depots-point"],
      ["teams-point"],
      ["townships-label"],
    ]) {
      await drawnSoon(page, ids); // labels are placed frames after the tiles load
      expect(await rendered(page, ids), ids.join()).toBeGreaterThan(0);
    }
  });

  it("shows an edit made through the API on the open map, without a reload", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    const { rows } = await w.db.raw("SELECT id::int, version, capacity FROM shelters WHERE status = 'open' ORDER BY capacity DESC LIMIT 1");
    const s = rows[0];
    const occupancyOnMap = () =>
      page.evaluate((id) => {
        const { map } = window.hazmap;
        return map.querySourceFeatures("hazmap", { sourceLayer: "shelters" }).find((f) => f.id === id)?.properties.occupancy;
      }, s.id);
    expect(await occupancyOnMap()).not.toBe(s.capacity);
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": `"${s.version}"` },
      body: JSON.stringify({ properties: { occupancy: s.capacity, status: "full" } }),
    });
    expect(res.status).toBe(200);
    await page.waitForFunction(
      ([id, want]) => window.hazmap.map.querySourceFeatures("hazmap", { sourceLayer: "shelters" }).some((f) => f.id === id && f.properties.occupancy === want),
      [s.id, s.capacity],
      { timeout: 10_000 },
    );
    await screenshot(page, "06-live-edit");
  });

  it("finds a village by part of its name, flies to it and opens it", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    const { rows } = await w.db.raw("SELECT id::int, name, ST_X(geom) AS x, ST_Y(geom) AS y FROM villages ORDER BY id DESC LIMIT 1");
    await page.fill("#search-input", rows[0].name.slice(0, 2));
    await page.waitForSelector(`#search-results li:has-text("${rows[0].name}")`);
    await page.click(`#search-results li:has-text("${rows[0].name}")`);
    // its popup opens (the map may pan to fit it), and the village stays in the middle part of the map
    await page.waitForSelector(`.maplibregl-popup:has-text("${rows[0].name}")`, { timeout: 15_000 });
    await page.waitForFunction(() => !window.hazmap.map.isMoving());
    const at = await page.evaluate(
      ([x, y]) => {
        const map = window.hazmap.map;
        const p = map.project([x!, y!]);
        const c = map.getCanvas();
        return { fx: p.x / c.clientWidth, fy: p.y / c.clientHeight, zoom: map.getZoom() };
      },
      [rows[0].x, rows[0].y],
    );
    expect(at.fx).toBeGreaterThan(0.2);
    expect(at.fx).toBeLessThan(0.8);
    expect(at.fy).toBeGreaterThan(0.2);
    expect(at.fy).toBeLessThan(0.9);
    expect(at.zoom).toBeGreaterThan(12);
  });

  it("fits a 1920×1080 command-centre screen and a 1366×768 laptop: map and panel side by side, nothing cut off", async () => {
    const { page } = await newMapPage(e2e.browser, e2e.world.base);
    for (const viewport of [
      { width: 1920, height: 1080 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(viewport);
      await page.waitForFunction(() => window.hazmap.map.loaded());
      const [map, panel] = [(await page.locator("#map").boundingBox())!, (await page.locator("#panel").boundingBox())!];
      expect(map.x + map.width).toBeLessThanOrEqual(panel.x + 1);
      expect(panel.x + panel.width).toBeLessThanOrEqual(viewport.width);
      expect(map.width).toBeGreaterThan(viewport.width * 0.6);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(await rendered(page, ["villages-point"])).toBeGreaterThan(0);
      if (viewport.width === 1920) await screenshot(page, "10-command-centre-1920");
    }
  });

  it("switches language, and the choice persists", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
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
