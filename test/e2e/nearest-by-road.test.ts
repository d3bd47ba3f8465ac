// Issue 16 in the browser: a commander asks the nearest from the story village 石场村 and gets answers by
// road — minutes and km by road, 直线 beside them, the routes drawn — closes a road on the route and sees
// the answer change; and draws a team's 10/20/30-minute service area, on a laptop and on a phone.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { clickOnMap, drawn, expectAnswerInView, newMapPage, openPart, reachable, rendered, screenshot, SIZES, useBrowserWorld } from "../support/browser.ts";

const e2e = useBrowserWorld();

interface Answer {
  by: string;
  features: {
    id: number;
    geometry: GeoJSON.Point;
    properties: { name: string; distance_m: number; travel_time_s: number; road_distance_m: number; route: GeoJSON.LineString };
  }[];
}
const nearest = async (query: string): Promise<Answer> => (await (await e2e.world.fetch(`${e2e.world.base}/api/v1/nearest?limit=3&${query}`)).json()) as Answer;
const km = (m: number) => `${(m / 1000).toFixed(1).replace(/\.0$/, "")} km`;
/** The line the panel shows for a result by road, as a person reads it. */
const expected = (p: Answer["features"][number]["properties"]) =>
  `${p.name} · ${Math.max(1, Math.round(p.travel_time_s / 60))} 分钟 · ${km(p.road_distance_m)}（公路） · 直线 ${km(p.distance_m)}`;
const lonLat = (p: GeoJSON.Point) => p.coordinates as [number, number];
const shelters = (page: Page) => page.locator("#nearest ol[data-layer=shelters] button.result").allTextContents();

describe("answers by road on the map", () => {
  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: 石场村: the nearest shelter by road first, minutes and km by road, 直线 beside; a road closed on the route changes the answer`, async () => {
      const w = e2e.world;
      const { rows } = await w.db.raw(`SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM villages WHERE name = '石场村'`);
      const { x, y } = rows[0] as { x: number; y: number };
      const { page, errors } = await newMapPage(e2e.browser, w.base, "commander", device);
      await openPart(page, "nearest");
      await page.evaluate(([lon, lat]) => window.hazmap.map.jumpTo({ center: [lon!, lat!], zoom: 13 }), [x, y]);
      await page.focus("#map canvas");
      // the centre Enter asks from (read first: the map then fits the answer)
      const at = await page.evaluate(() => window.hazmap.map.getCenter());
      await page.keyboard.press("Enter");
      const q = `layer=shelters&lon=${at.lng}&lat=${at.lat}`;
      const [byRoad, straight] = await Promise.all([nearest(q), nearest(`${q}&by=straight`)]);
      // the story: 石井村小学 is nearest in a straight line, across the river; by road 合湾村委会院坝 comes first
      expect(straight.features[0]!.properties.name).toBe("石井村小学");
      expect(byRoad.by).toBe("road");
      expect(byRoad.features[0]!.properties.name).toBe("合湾村委会院坝");
      await page.waitForFunction(
        (first) => document.querySelector("#nearest ol[data-layer=shelters] button.result")?.textContent?.startsWith(first),
        "合湾村委会院坝",
      );
      const shown = await shelters(page);
      expect(shown).toHaveLength(byRoad.features.length);
      byRoad.features.forEach((f, i) => expect(shown[i]!.startsWith(expected(f.properties))).toBe(true));
      // the by-road switch is on, and every result's route is drawn (depots, teams, shelters)
      expect(await page.isChecked("#nearest-by-road")).toBe(true);
      const [depots, teams] = await Promise.all([
        nearest(`layer=depots&lon=${at.lng}&lat=${at.lat}`),
        nearest(`layer=teams&lon=${at.lng}&lat=${at.lat}&status=standby`),
      ]);
      expect(await drawn(page, "nearest-lines")).toBe(depots.features.length + teams.features.length + byRoad.features.length);
      // clicking a result frames its route and draws it wide over the rest
      await page.click("#nearest ol[data-layer=shelters] button.result");
      await page.waitForFunction(() => !window.hazmap.map.isMoving() && window.hazmap.map.areTilesLoaded());
      const first = byRoad.features[0]!;
      expect(await page.evaluate(() => JSON.stringify(window.hazmap.map.getFilter("nearest-focus")))).toContain(`shelters/${first.id}`);
      expect(await rendered(page, ["nearest-focus"])).toBeGreaterThan(0);
      // on a phone the shelter, its popup of a few lines and the route from the incident all above the half-raised sheet
      const onPhone = suffix === "-phone";
      if (onPhone) {
        await expectAnswerInView(page, lonLat(first.geometry), first.properties.route.coordinates as [number, number][]);
        await page.waitForFunction(() => window.hazmap.map.areTilesLoaded());
        await screenshot(page, "nearest-by-road-phone-popup-zh");
      }
      // the shelter's popup closed: the map stays where it is
      const before = await page.evaluate(() => window.hazmap.map.getCenter().toArray());
      await page.click(".maplibregl-popup-close-button");
      await page.waitForTimeout(400);
      expect(await page.evaluate(() => window.hazmap.map.getCenter().toArray())).toEqual(before);
      await screenshot(page, `nearest-by-road${suffix}-zh`);

      // in English too
      await page.click("#lang");
      const english = (await shelters(page))[0]!;
      expect(english).toMatch(/^合湾村委会院坝 · \d+ min · [\d.]+ km by road · straight [\d.]+ km E/);
      await page.click("#lang");

      // 按直线: the straight answer, 石井村小学 first, with no minutes
      await page.check("#nearest-by-straight");
      await page.waitForFunction(() => document.querySelector("#nearest ol[data-layer=shelters] button.result")?.textContent?.startsWith("石井村小学"));
      expect((await shelters(page))[0]).not.toContain("分钟");
      await page.check("#nearest-by-road");
      await page.waitForFunction(() => document.querySelector("#nearest ol[data-layer=shelters] button.result")?.textContent?.startsWith("合湾村委会院坝"));

      // a road on the first route, away from its ends and from anything else drawn (the click finds the road): the
      // commander closes it from its popup
      const { rows: on } = await w.db.raw(
        `WITH route AS (SELECT ST_GeomFromGeoJSON(?) AS g),
         p AS (SELECT f, ST_LineInterpolatePoint(route.g, f) AS p FROM route, generate_series(0.2, 0.8, 0.02) f)
         SELECT r.id::int, ST_X(ST_ClosestPoint(r.geom, p.p)) AS x, ST_Y(ST_ClosestPoint(r.geom, p.p)) AS y
         FROM p JOIN roads r ON ST_DWithin(r.geom::geography, p.p::geography, 1) AND r.status = 'open' AND NOT r.bridge
         WHERE NOT EXISTS (
           SELECT 1 FROM (SELECT geom FROM villages UNION ALL SELECT geom FROM shelters UNION ALL SELECT geom FROM depots
                          UNION ALL SELECT geom FROM teams UNION ALL SELECT geom FROM hazards) o
           WHERE ST_DWithin(o.geom::geography, p.p::geography, 250))
         AND NOT EXISTS (SELECT 1 FROM roads o WHERE o.id <> r.id AND ST_DWithin(o.geom::geography, p.p::geography, 100))
         ORDER BY abs(p.f - 0.5), r.id LIMIT 1`,
        [JSON.stringify(first.properties.route)],
      );
      const road = on[0] as { id: number; x: number; y: number };
      expect(road).toBeDefined();
      await clickOnMap(page, road.x, road.y);
      const popup = page.locator(".maplibregl-popup");
      await popup.locator("button.road-closed").waitFor();
      const [patch] = await Promise.all([page.waitForResponse((r) => r.request().method() === "PATCH"), popup.locator("button.road-closed").click()]);
      expect(patch.status()).toBe(200);
      // the open answer is asked again and redrawn: what the API now answers, the closed road left out
      const after = await nearest(q);
      expect(after.features.map((f) => [f.properties.name, f.properties.travel_time_s])).not.toEqual(
        byRoad.features.map((f) => [f.properties.name, f.properties.travel_time_s]),
      );
      const { rows: uses } = await w.db.raw(
        `SELECT count(*)::int AS n FROM roads WHERE id = ? AND ST_DWithin(geom::geography, ST_GeomFromGeoJSON(?)::geography, 0.5)`,
        [
          road.id,
          JSON.stringify(
            after.features.find((f) => f.properties.name === first.properties.name)?.properties.route ?? {
              type: "LineString",
              coordinates: [
                [0, 0],
                [0, 0.0001],
              ],
            },
          ),
        ],
      );
      expect(uses[0].n).toBe(0);
      await page.waitForFunction(
        (want) => {
          const shown = [...document.querySelectorAll("#nearest ol[data-layer=shelters] button.result")].map((b) => b.textContent!);
          return shown.length === want.length && want.every((w, i) => shown[i]!.startsWith(w)); // then the bearing
        },
        after.features.map((f) => expected(f.properties)),
        { timeout: 15_000 },
      );
      await page.keyboard.press("Escape");
      if (await page.isVisible(".maplibregl-popup-close-button")) await page.click(".maplibregl-popup-close-button");
      await page.click("#nearest ol[data-layer=shelters] button.result");
      await page.waitForFunction(() => !window.hazmap.map.isMoving() && window.hazmap.map.areTilesLoaded());
      const now = after.features[0]!;
      if (onPhone) await expectAnswerInView(page, lonLat(now.geometry), now.properties.route.coordinates as [number, number][]);
      await page.click(".maplibregl-popup-close-button");
      await screenshot(page, `nearest-road-closed${suffix}-zh`);
      expect(errors).toEqual([]);
      // open again for the next size: the story's first answer is by the open roads
      const reopened = await w.fetch(`${w.base}/api/v1/layers/roads/features/${road.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "If-Match": `"${(await w.db("roads").where({ id: road.id }).first("version")).version}"` },
        body: JSON.stringify({ properties: { status: "open" } }),
      });
      expect(reopened.status).toBe(200);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: a team's 10/20/30-minute service area from its popup: three nested bands and their legend, cleared with one button`, async () => {
      const w = e2e.world;
      // a standby team with nothing else drawn within 250 m, so the click finds it
      const { rows } = await w.db.raw(`
        SELECT t.id::int, t.name, ST_X(t.geom) AS x, ST_Y(t.geom) AS y FROM usable_teams t
        WHERE NOT EXISTS (
          SELECT 1 FROM (SELECT geom FROM villages UNION ALL SELECT geom FROM shelters UNION ALL SELECT geom FROM depots
                         UNION ALL SELECT geom FROM teams WHERE id <> t.id UNION ALL SELECT geom FROM hazards) f
          WHERE ST_DWithin(f.geom::geography, t.geom::geography, 250))
        ORDER BY t.id LIMIT 1`);
      const team = rows[0] as { id: number; name: string; x: number; y: number };
      expect(team).toBeDefined();
      const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, device);
      await clickOnMap(page, team.x, team.y);
      const popup = page.locator(".maplibregl-popup");
      await popup.locator("button.service-area").waitFor();
      expect(await popup.textContent()).toContain(team.name);
      await popup.locator("button.service-area").click();
      await page.locator("#service-area-legend").waitFor();
      const api = await (await w.fetch(`${w.base}/api/v1/service-area?layer=teams&id=${team.id}&minutes=10,20,30`)).json();
      expect(api.features.map((f: { properties: { minutes: number } }) => f.properties.minutes)).toEqual([30, 20, 10]);
      expect(await drawn(page, "service-area")).toBe(api.features.filter((f: { geometry: unknown }) => f.geometry).length);
      expect(await drawn(page, "service-area")).toBe(3);
      const legend = await page.textContent("#service-area-legend");
      for (const words of [team.name, "10 分钟内可达", "20 分钟内可达", "30 分钟内可达", "清除"]) expect(legend).toContain(words);
      // the three bands in three colours, the nearest drawn over the farther
      const colours = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>("#service-area-legend .band")].map((s) => s.style.background));
      expect(new Set(colours).size).toBe(3);
      await page.evaluate(() => window.hazmap.map.zoomTo(11.5));
      await page.waitForFunction(() => !window.hazmap.map.isMoving() && window.hazmap.map.areTilesLoaded());
      expect(await rendered(page, ["service-area-fill"])).toBeGreaterThan(0);
      await screenshot(page, `service-area${suffix}-zh`);
      // the legend stands clear of a phone's sheet, its button in reach
      expect(await reachable(page, "#service-area-clear")).toBe(true);

      // cleared by the keyboard too: the legend's button is a button
      await page.focus("#service-area-clear");
      await page.keyboard.press("Enter");
      await page.locator("#service-area-legend").waitFor({ state: "hidden" });
      expect(await drawn(page, "service-area")).toBe(0);

      // the panel draws a whole layer's, with its own breaks: every usable shelter, 15 minutes
      await openPart(page, "service-area");
      await page.selectOption("#service-area-layer", "shelters");
      await page.fill("#service-area-minutes", "15");
      await page.press("#service-area-minutes", "Enter");
      await page.locator("#service-area-legend").waitFor();
      const all = await (await w.fetch(`${w.base}/api/v1/service-area?layer=shelters&minutes=15`)).json();
      expect(all.resources).toBeGreaterThan(1);
      expect(await drawn(page, "service-area")).toBe(1);
      const shelters = await page.textContent("#service-area-legend");
      for (const words of ["全部避难场所", "15 分钟内可达"]) expect(shelters).toContain(words);
      expect(shelters).not.toContain("30 分钟");
      expect(errors).toEqual([]);
    });
  }

  it("from a point beyond reach of any road: the answer is straight and says why, in Chinese", async () => {
    const w = e2e.world;
    // the point of the county (on a 500 m grid) farthest from a usable road, more than the 2 km reach
    const { rows } = await w.db.raw(`
      WITH box AS (SELECT ST_Extent(geom) AS b FROM townships),
      grid AS (SELECT ST_SetSRID(ST_MakePoint(x, y), 4326) AS p FROM box,
               generate_series(ST_XMin(b)::numeric, ST_XMax(b)::numeric, 0.005) x, generate_series(ST_YMin(b)::numeric, ST_YMax(b)::numeric, 0.005) y)
      SELECT ST_X(p) AS x, ST_Y(p) AS y, d FROM grid, LATERAL (
        SELECT ST_Distance(r.geom::geography, p::geography) AS d FROM roads r WHERE r.status <> 'closed' ORDER BY r.geom <-> p LIMIT 1) n
      WHERE EXISTS (SELECT 1 FROM townships t WHERE ST_Intersects(t.geom, p))
      ORDER BY d DESC LIMIT 1`);
    const far = rows[0] as { x: number; y: number; d: number };
    expect(far.d).toBeGreaterThan(2100);
    const { page, errors } = await newMapPage(e2e.browser, w.base);
    await page.evaluate(([lon, lat]) => window.hazmap.map.jumpTo({ center: [lon!, lat!], zoom: 12 }), [far.x, far.y]);
    await page.focus("#map canvas");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#nearest .results p.by-reason");
    const at = await page.evaluate(() => window.hazmap.map.getCenter());
    const api = await nearest(`layer=shelters&lon=${at.lng}&lat=${at.lat}`);
    expect(api.by).toBe("straight");
    const why = await page.textContent("#nearest .results p.by-reason");
    expect(why).toContain("超出 2 km 的接入范围，无法按公路计算，以下为直线距离");
    expect(why).toContain(`事发地点距最近的可通行道路 ${km((api as unknown as { by_reason: { nearest_road_m: number } }).by_reason.nearest_road_m)}`);
    for (const text of await shelters(page)) expect(text).not.toContain("分钟");
    expect((await shelters(page))[0]!.startsWith(`${api.features[0]!.properties.name} · ${km(api.features[0]!.properties.distance_m)}`)).toBe(true);
    await screenshot(page, "nearest-beyond-reach-zh");
    expect(errors).toEqual([]);
  });
});
