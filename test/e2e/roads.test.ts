// Roads on the map in a real browser: a commander closes a road from its popup and sees it drawn
// closed; the demo county's roads and their names at a laptop's and a phone's size.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { clickOnMap, drawnSoon, newMapPage, rendered, screenshot, useBrowserWorld } from "../support/browser.ts";

const e2e = useBrowserWorld();

/** Whether the map draws road `id` in the map layer `layer` (in view). */
const drawnIn = (page: Page, layer: string, id: number) =>
  page.evaluate(([l, i]) => window.hazmap.map.queryRenderedFeatures({ layers: [l as string] }).some((f) => f.id === i), [layer, id] as const);

/** Waits until a road name (`name`, or any) is drawn: labels are placed a few frames after the tiles load. */
const labelled = (page: Page, name?: string) =>
  page.waitForFunction(
    (wanted) => window.hazmap.map.queryRenderedFeatures({ layers: ["roads-label"] }).some((f) => wanted === null || f.properties.name === wanted),
    name ?? null,
    { timeout: 5000 },
  );

describe("roads on the map", () => {
  it("a commander closes a county road from its popup, and the map draws it closed (中断)", async () => {
    const w = e2e.world;
    // the middle of an open county road with nothing else drawn within 300 m, so the click finds the road
    const { rows } = await w.db.raw(`
      SELECT r.id::int, r.name, ST_X(m.p) AS x, ST_Y(m.p) AS y
      FROM roads r, LATERAL (SELECT ST_LineInterpolatePoint(ST_GeometryN(r.geom, 1), 0.5) AS p) m
      WHERE r.road_class = 'county' AND r.status = 'open' AND r.speed_kmh IS NULL AND NOT r.bridge
        AND NOT EXISTS (SELECT 1 FROM roads o WHERE o.id <> r.id AND ST_DWithin(o.geom::geography, m.p::geography, 300))
        AND NOT EXISTS (
          SELECT 1 FROM (SELECT geom FROM villages UNION ALL SELECT geom FROM shelters UNION ALL SELECT geom FROM depots
                         UNION ALL SELECT geom FROM teams UNION ALL SELECT geom FROM hazards) f
          WHERE ST_DWithin(f.geom::geography, m.p::geography, 300))
      ORDER BY r.id LIMIT 1`);
    const road = rows[0] as { id: number; name: string; x: number; y: number };
    expect(road).toBeDefined();

    const { page, errors } = await newMapPage(e2e.browser, w.base, "commander");
    // the layers panel has the roads, with their legend
    expect(await page.isChecked("#toggle-roads")).toBe(true);
    const legend = await page.textContent("#layers");
    for (const words of ["道路", "国道", "县道", "村道", "受损", "中断"]) expect(legend).toContain(words);

    await clickOnMap(page, road.x, road.y);
    const popup = page.locator(".maplibregl-popup");
    await popup.waitFor();
    for (const words of [road.name, "县道", "畅通", "50（按道路等级默认）"]) expect(await popup.textContent()).toContain(words);
    expect(await drawnIn(page, "roads-line", road.id)).toBe(true);
    expect(await drawnIn(page, "roads-closed", road.id)).toBe(false);

    const [patch] = await Promise.all([page.waitForResponse((r) => r.request().method() === "PATCH"), popup.locator("button.road-closed").click()]);
    expect(patch.status()).toBe(200);
    expect(patch.request().headers()["if-match"]).toMatch(/^"\d+"$/);
    // the popup shows what was saved, and offers reopening now
    await popup.locator("button.road-open").waitFor();
    expect(await popup.textContent()).toContain("中断");
    const saved = await (await w.fetch(`${w.base}/api/v1/layers/roads/features/${road.id}`)).json();
    expect(saved.properties.status).toBe("closed");

    // the change stream refreshes the tiles: the road is drawn hatched, with ✕ 中断 along it
    await page.waitForFunction((id) => window.hazmap.map.queryRenderedFeatures({ layers: ["roads-closed"] }).some((f) => f.id === id), road.id, {
      timeout: 15_000,
    });
    await drawnSoon(page, ["roads-closed-label"], road.id);
    await screenshot(page, "roads-closed-zh");
    expect(errors).toEqual([]);
  });

  it("draws the roads and their names round the story village, on a laptop and on a phone", async () => {
    const w = e2e.world;
    const { rows } = await w.db.raw(`SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM villages WHERE name = '石场村'`);
    const { x, y } = rows[0] as { x: number; y: number };
    const { page, errors } = await newMapPage(e2e.browser, w.base);
    for (const [viewport, name] of [
      [{ width: 1366, height: 768 }, "roads-zh"],
      [{ width: 390, height: 844 }, "roads-phone-zh"],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.evaluate(([lon, lat]) => window.hazmap.map.jumpTo({ center: [lon!, lat!], zoom: 13.2 }), [x, y]);
      await page.waitForFunction(() => window.hazmap.map.loaded() && window.hazmap.map.areTilesLoaded());
      expect(await rendered(page, ["roads-line"])).toBeGreaterThan(2);
      await labelled(page);
      await screenshot(page, name);
    }
    expect(errors).toEqual([]);
  });

  it("marks a bridge (a wide dark casing, its name along it at street zoom) and the damaged road (dashed)", async () => {
    const w = e2e.world;
    const at = async (where: string) => {
      const { rows } = await w.db.raw(`
        SELECT id::int, name, ST_X(ST_LineInterpolatePoint(ST_GeometryN(geom, 1), 0.5)) AS x, ST_Y(ST_LineInterpolatePoint(ST_GeometryN(geom, 1), 0.5)) AS y
        FROM roads WHERE ${where} ORDER BY id LIMIT 1`);
      return rows[0] as { id: number; name: string; x: number; y: number };
    };
    const { page, errors } = await newMapPage(e2e.browser, w.base);
    const show = async (road: { x: number; y: number }, zoom: number) => {
      await page.evaluate(([lon, lat, z]) => window.hazmap.map.jumpTo({ center: [lon!, lat!], zoom: z! }), [road.x, road.y, zoom]);
      await page.waitForFunction(() => window.hazmap.map.loaded() && window.hazmap.map.areTilesLoaded());
    };
    const bridge = await at("bridge");
    await show(bridge, 16);
    expect(await drawnIn(page, "roads-bridge", bridge.id)).toBe(true);
    await labelled(page, bridge.name);
    await screenshot(page, "roads-bridge-zh");

    const damaged = await at("status = 'damaged'");
    await show(damaged, 15);
    expect(await drawnIn(page, "roads-damaged", damaged.id)).toBe(true);
    expect(await drawnIn(page, "roads-line", damaged.id)).toBe(false);
    await screenshot(page, "roads-damaged-zh");
    expect(errors).toEqual([]);
  });
});
