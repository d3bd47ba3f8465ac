import { it } from "vitest";
import { newMapPage, screenshot, useBrowserWorld } from "../support/browser.ts";
const e2e = useBrowserWorld();
it("debug", async () => {
  const { page, errors } = await newMapPage(e2e.browser, e2e.world.base);
  const { rows } = await e2e.world.db.raw("SELECT ST_X(geom) x, ST_Y(geom) y FROM places WHERE kind = 'county_seat'");
  await page.evaluate(([x, y]) => window.hazmap.map.jumpTo({ center: [x!, y!], zoom: 11 }), [rows[0].x, rows[0].y]);
  await page.waitForFunction(() => window.hazmap.map.loaded() && window.hazmap.map.areTilesLoaded());
  await new Promise((r) => setTimeout(r, 1500));
  console.log(
    JSON.stringify(
      await page.evaluate(() => {
        const m = window.hazmap.map;
        const c = (l: string) =>
          m
            .queryRenderedFeatures({ layers: [l] })
            .map((f) => f.properties.name)
            .slice(0, 5);
        return {
          places: c("places-label"),
          ww: c("waterways-label"),
          wl: c("waterways-line"),
          src: m
            .querySourceFeatures("hazmap", { sourceLayer: "places" })
            .filter((f) => f.properties.kind !== "village")
            .map((f) => f.properties.name)
            .slice(0, 8),
          vis: m.getLayoutProperty("places-label", "visibility"),
          layers: m
            .getStyle()
            .layers.map((l) => l.id)
            .join(","),
        };
      }),
    ),
  );
  console.log(errors);
  await screenshot(page, "zz-debug");
}, 120000);
