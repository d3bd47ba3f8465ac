// Seeing the county in a real browser, in Chinese: one shape per kind of thing (hazards, shelters, depots,
// teams, suggested sites) in colours no other kind uses, a legend of every symbol drawn (the choropleth's
// classes too), names when zoomed in, a base to find one's way by (river, water, built-up areas, place
// names), village risk shown from the layers panel, and search that opens what it finds.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { newMapPage, openPart, rendered, screenshot, SIZES, useBrowserWorld } from "../support/browser.ts";

const e2e = useBrowserWorld();

/** Every #rrggbb colour written in a style value (an expression or a plain colour). */
const coloursIn = (v: unknown): string[] =>
  typeof v === "string" ? (v.match(/#[0-9a-f]{6}/gi) ?? []).map((c) => c.toLowerCase()) : Array.isArray(v) ? v.flatMap(coloursIn) : [];

/** Waits until one of map layers `layers` draws a feature named `name`: names are placed frames after the tiles. */
const named = (page: Page, layers: string | string[], name: string) =>
  page.waitForFunction(
    ([ls, n]) => window.hazmap.map.queryRenderedFeatures({ layers: ls as string[] }).some((f) => f.properties.name === n),
    [[layers].flat(), name] as const,
    { timeout: 10_000 },
  );

const jumpTo = async (page: Page, lon: number, lat: number, zoom: number) => {
  await page.evaluate(([x, y, z]) => window.hazmap.map.jumpTo({ center: [x!, y!], zoom: z! }), [lon, lat, zoom]);
  await page.waitForFunction(() => window.hazmap.map.loaded() && window.hazmap.map.areTilesLoaded());
};

describe("seeing the county", () => {
  it("draws each kind of thing with a shape of its own, in colours no other kind uses, and the legend shows every symbol", async () => {
    const { page, errors } = await newMapPage(e2e.browser, e2e.world.base);
    const style = await page.evaluate(() => {
      const { map } = window.hazmap;
      const of = (id: string) => ({ image: map.getLayoutProperty(id, "icon-image"), colour: map.getPaintProperty(id, "icon-color") });
      return { hazards: of("hazards-point"), shelters: of("shelters-point"), depots: of("depots-point"), teams: of("teams-point") };
    });
    // one icon image per kind; a team's by its type
    expect(style.hazards.image).toBe("hazmap-hazard");
    expect(style.shelters.image).toBe("hazmap-shelter");
    expect(style.depots.image).toBe("hazmap-depot");
    expect(JSON.stringify(style.teams.image)).toContain("hazmap-team-");
    const { rows: teamTypes } = await e2e.world.db.raw("SELECT DISTINCT team_type FROM teams ORDER BY 1");
    const images = await page.evaluate(
      (types: string[]) =>
        ["hazmap-hazard", "hazmap-shelter", "hazmap-depot", ...types.map((t) => `hazmap-team-${t}`)].filter((id) => !window.hazmap.map.hasImage(id)),
      teamTypes.map((r: { team_type: string }) => r.team_type),
    );
    expect(images, "icons the map asked for and did not get").toEqual([]);
    for (const id of ["hazards-point", "shelters-point", "depots-point", "teams-point"]) expect(await rendered(page, [id]), id).toBeGreaterThan(0);
    // the risk colours are the hazards' alone: no shelter, depot or team is drawn in one
    const hazardColours = new Set(coloursIn(style.hazards.colour));
    expect(hazardColours.size).toBe(4);
    for (const kind of ["shelters", "depots"] as const) {
      const colours = coloursIn(style[kind].colour);
      expect(colours.length, kind).toBeGreaterThan(0);
      for (const c of colours) expect(hazardColours.has(c), `${kind} ${c}`).toBe(false);
    }
    expect(coloursIn(style.depots.colour).some((c) => coloursIn(style.shelters.colour).includes(c))).toBe(false);

    // the legend: each kind's icon and meaning, in Chinese
    const legend = await page.locator("#layers").textContent();
    for (const text of ["重大", "一般", "空余 ≥ 30%", "已满或关闭", "县级储备库", "危化品救援", "森林消防", "河流", "国道", "中断"])
      expect(legend).toContain(text);
    expect(await page.locator("#layers canvas.legend-symbol").count()).toBeGreaterThan(25);

    // the choropleth's classes join the legend when the planner draws them, under the townships
    await page.click("#planner summary");
    await page.click("#township-capacity");
    await page.waitForSelector("#planner-result table");
    for (const c of ["安置率 < 10 %", "安置率 10–30 %", "安置率 30–70 %", "安置率 ≥ 70 %"]) await page.waitForSelector(`#layers .legend span:has-text("${c}")`);
    // suggested sites are stars, listed in the legend too
    await page.click("#suggest-sites");
    await page.waitForSelector("#site-list li");
    expect(await page.evaluate(() => window.hazmap.map.getLayoutProperty("sites", "icon-image"))).toBe("hazmap-site");
    await page.waitForSelector('#layers .legend span:has-text("建议新选址")');
    await screenshot(page, "seeing-legend-zh");
    const site = await page.evaluate(async () => {
      const data = (await window.hazmap.map.getSource<import("maplibre-gl").GeoJSONSource>("sites")!.getData()) as GeoJSON.FeatureCollection;
      return (data.features[0]!.geometry as GeoJSON.Point).coordinates;
    });
    await jumpTo(page, site[0]!, site[1]!, 13);
    expect(await rendered(page, ["sites"])).toBeGreaterThan(0);
    await screenshot(page, "seeing-site-zh");
    expect(errors).toEqual([]);
  }, 180_000);

  it("draws a base to find one's way: the river and its name, the reservoir, built-up areas and place names", async () => {
    const w = e2e.world;
    const { rows: river } = await w.db.raw("SELECT name FROM waterways WHERE kind = 'river'");
    for (const [viewport, shot] of [
      [{ width: 1366, height: 768 }, "seeing-county-zh"],
      [{ width: 390, height: 844 }, "seeing-county-phone-zh"],
    ] as const) {
      const { page, errors } = await newMapPage(e2e.browser, w.base);
      await page.setViewportSize(viewport);
      const { rows } = await w.db.raw("SELECT ST_X(geom) x, ST_Y(geom) y FROM places WHERE kind = 'county_seat'");
      await jumpTo(page, rows[0].x, rows[0].y, 11);
      for (const id of ["waterways-line", "water_areas-fill", "built_up-fill"]) expect(await rendered(page, [id]), id).toBeGreaterThan(0);
      await named(page, "places-label", "示范县");
      await named(page, "waterways-label", river[0].name);
      await screenshot(page, shot);
      expect(errors).toEqual([]);
    }
    // the reservoir's lake, named inside it (as the water or as the reservoir hazard: the name once)
    const { page } = await newMapPage(e2e.browser, w.base);
    const { rows: lake } = await w.db.raw(
      "SELECT name, ST_X(ST_PointOnSurface(geom)) x, ST_Y(ST_PointOnSurface(geom)) y FROM water_areas WHERE kind = 'reservoir'",
    );
    await jumpTo(page, lake[0].x, lake[0].y, 12);
    await named(page, ["water_areas-label", "hazards-area-label"], lake[0].name);
  }, 180_000);

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: names shelters, depots, teams and hazards when zoomed in, not at the county's zoom`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, device);
      for (const [table, layer] of [
        ["shelters", "shelters-label"],
        ["depots", "depots-label"],
        ["teams", "teams-label"],
        ["hazards", "hazards-label"],
      ] as const) {
        // the one of its kind with the fewest others of any kind within 1 km, so its name has room
        const { rows } = await w.db.raw(`
          SELECT t.name, ST_X(t.geom) x, ST_Y(t.geom) y FROM ${table} t
          WHERE GeometryType(t.geom) = 'POINT'
          ORDER BY (SELECT count(*) FROM (SELECT geom FROM shelters UNION ALL SELECT geom FROM depots UNION ALL SELECT geom FROM teams
                    UNION ALL SELECT geom FROM hazards UNION ALL SELECT geom FROM villages) o WHERE ST_DWithin(o.geom::geography, t.geom::geography, 1000)), t.id
          LIMIT 1`);
        await jumpTo(page, rows[0].x, rows[0].y, 14);
        await named(page, layer, rows[0].name);
        // its name where it is drawn, above a phone's sheet
        if (table === "teams") await screenshot(page, `seeing-names${suffix}-zh`);
        await jumpTo(page, rows[0].x, rows[0].y, 9.5);
        expect(await rendered(page, [layer]), `${layer} at the county's zoom`).toBe(0);
      }
      expect(errors).toEqual([]);
    }, 240_000);
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: shows village risk from the layers panel: risk level as colour, uncovered villages ringed`, async () => {
      const { page, errors } = await newMapPage(e2e.browser, e2e.world.base, undefined, device);
      await openPart(page, "layers");
      expect(await page.isChecked("#toggle-village-risk")).toBe(false);
      await page.check("#toggle-village-risk");
      await page.waitForFunction(() => window.hazmap.map.queryRenderedFeatures({ layers: ["village-risk-point"] }).length > 0, null, { timeout: 10_000 });
      const uncovered = await page.evaluate(
        () => window.hazmap.map.queryRenderedFeatures({ layers: ["village-risk-point"] }).filter((f) => f.properties.covered === false).length,
      );
      const { rows } = await e2e.world.db.raw("SELECT count(*)::int n FROM village_risk WHERE NOT covered");
      expect(rows[0].n).toBeGreaterThan(0);
      expect(uncovered).toBeGreaterThan(0);
      await page.waitForSelector('#layers .legend span:has-text("5 公里内无可用避难场所")');
      await screenshot(page, `seeing-village-risk${suffix}-zh`);
      await page.uncheck("#toggle-village-risk");
      expect(await page.locator('#layers .legend span:has-text("5 公里内无可用避难场所")').count()).toBe(0);
      expect(errors).toEqual([]);
    });
  }

  it("search finds a team by its Chinese name; choosing it flies there and opens its popup", async () => {
    const w = e2e.world;
    const { page, errors } = await newMapPage(e2e.browser, w.base);
    const { rows } = await w.db.raw("SELECT name, ST_X(geom) x, ST_Y(geom) y FROM teams WHERE team_type = 'hazmat' ORDER BY id LIMIT 1");
    const team = rows[0];
    await page.fill("#search-input", team.name.slice(0, 4));
    const option = page.locator("#search-results li", { hasText: new RegExp(`^${team.name}救援队伍$`) });
    await option.waitFor();
    expect(await option.textContent()).toContain("救援队伍");
    await option.click();
    const popup = page.locator(".maplibregl-popup");
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.textContent()).toContain(team.name);
    const centre = await page.evaluate(() => window.hazmap.map.getCenter());
    expect(Math.abs(centre.lng - team.x)).toBeLessThan(1e-4);
    expect(Math.abs(centre.lat - team.y)).toBeLessThan(1e-4);
    await screenshot(page, "seeing-search-zh");

    // a river, framed whole
    const { rows: river } = await w.db.raw("SELECT name FROM waterways WHERE kind = 'river'");
    await page.fill("#search-input", river[0].name);
    await page.locator('#search-results li:has-text("河流水系")').first().click();
    await page.locator('.maplibregl-popup:has-text("河流")').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });
});
