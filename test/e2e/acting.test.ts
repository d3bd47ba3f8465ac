// Issue 17 "Acting": results you can click (the map flies there and opens the popup), the incident named
// by place, the planner's uncovered villages listed, evacuation moves listed and drawn as arrows, plans
// downloaded as sheets and printed as an order (调度单), a village read without moving the incident, no
// popups while placing a circle.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { clickOnMap, drawn, newMapPage, openPart, reachable, screenshot, SIZES, useBrowserWorld } from "../support/browser.ts";
import type { World } from "../support/world.ts";
import { readPdf } from "../support/pdf.ts";
import { evacuationHazard, evacuationPlan } from "../support/evacuation.ts";

const e2e = useBrowserWorld();

/** A screenshot once the map has come to rest with its tiles drawn. */
async function restedScreenshot(page: Page, name: string) {
  await page.waitForFunction(() => !window.hazmap.map.isMoving() && window.hazmap.map.areTilesLoaded());
  await screenshot(page, name);
}

/** A village with nothing else drawn within 300 m, so a click on it reaches the village. */
async function quietVillage(w: World): Promise<{ id: number; name: string; x: number; y: number }> {
  const { rows } = await w.db.raw(`
    SELECT v.id::int, v.name, ST_X(v.geom) AS x, ST_Y(v.geom) AS y FROM villages v
    WHERE NOT EXISTS (SELECT 1 FROM (SELECT geom FROM shelters UNION ALL SELECT geom FROM depots UNION ALL SELECT geom FROM teams
                                     UNION ALL SELECT geom FROM hazards UNION ALL SELECT geom FROM villages w WHERE w.id <> v.id) o
                      WHERE ST_DWithin(o.geom::geography, v.geom::geography, 300))
    ORDER BY v.id LIMIT 1`);
  return rows[0];
}

const popupText = (page: Page) => page.textContent(".maplibregl-popup");
/** Text with its spaces and breaks taken out, as pdftotext lays out a table's cells. */
const squeeze = (s: string) => s.replace(/\s+/g, "");

describe("acting on the answers", () => {
  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: 石场村: the incident is named by place; a depot's stock has its unit; a result row opens its feature's popup`, async () => {
      const w = e2e.world;
      const { rows } = await w.db.raw(`SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM villages WHERE name = '石场村'`);
      const { page, errors } = await newMapPage(e2e.browser, w.base, "commander", device);
      await openPart(page, "nearest");
      await page.selectOption("#nearest-item", "tent");
      await page.evaluate(([lon, lat]) => window.hazmap.map.jumpTo({ center: [lon!, lat! + 0.002], zoom: 13 }), [rows[0].x, rows[0].y]);
      await page.focus("#map canvas");
      // the centre Enter asks from (read first: the map then fits the answer)
      const at = await page.evaluate(() => window.hazmap.map.getCenter());
      await page.keyboard.press("Enter");
      const place = await (await w.fetch(`${w.base}/api/v1/place?lon=${at.lng}&lat=${at.lat}`)).json();
      expect(place.village.name).toBe("石场村");
      await page.waitForFunction((name) => document.querySelector("#incident-place strong")?.textContent === name, `石场村附近（${place.township.name}）`);
      // 帐篷 and 顶: what the number is of, in the item's unit
      const depot = await page.locator("#nearest ol[data-layer=depots] button.result").first().textContent();
      expect(depot).toMatch(/ · 储备 帐篷 \d+ 顶$/);
      await page.click("#nearest ol[data-layer=depots] button.result");
      await page.waitForSelector(".maplibregl-popup [data-layer=depots]");
      expect(await popupText(page)).toContain(depot!.split(" · ")[0]);
      await restedScreenshot(page, `acting-nearest${suffix}-zh`);
      expect(errors).toEqual([]);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: clicking a village to read it keeps the incident and the chosen hazard`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, device);
      await openPart(page, "nearest");
      const hazardId = await page.evaluate(() => document.querySelector<HTMLSelectElement>("#nearest-hazard")!.options[1]!.value);
      await page.selectOption("#nearest-hazard", hazardId);
      await page.waitForSelector("#incident-place");
      const incident = await page.textContent("#incident-place");
      const v = await quietVillage(w);
      await clickOnMap(page, v.x, v.y);
      await page.waitForSelector(".maplibregl-popup [data-layer=villages]");
      expect(await popupText(page)).toContain(v.name);
      expect(await page.inputValue("#nearest-hazard")).toBe(hazardId);
      expect(await page.textContent("#incident-place")).toBe(incident);
      await restedScreenshot(page, `acting-read-village${suffix}-zh`);
      expect(errors).toEqual([]);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: placing an evacuation circle: the click places the centre and opens no popup; the villages it holds are shown`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, device);
      await openPart(page, "evacuation");
      const v = await quietVillage(w);
      await page.click("#evac-circle");
      await clickOnMap(page, v.x, v.y);
      await page.waitForSelector("#evac-affected");
      expect(await page.locator(".maplibregl-popup").count()).toBe(0);
      expect(await page.textContent("#evac-affected")).toMatch(/[1-9]\d* 个村/);
      // a phone's sheet brings the answer up, not left below the fold
      if (await page.isVisible("#sheet-bar")) await expect.poll(() => reachable(page, "#evac-affected")).toBe(true);
      await restedScreenshot(page, `acting-circle${suffix}-zh`);
      expect(errors).toEqual([]);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: the planner reads the uncovered villages by name, most people first, opens one, and downloads them as a sheet`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, device);
      await openPart(page, "planner");
      await page.click("#find-gaps");
      await page.waitForSelector("#gap-list li");
      const api = await (await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=5000`)).json();
      const byPeople = [...api.features].sort((a, b) => b.properties.population - a.properties.population || a.id - b.id);
      const listed = await page.locator("#gap-list li").allTextContents();
      expect(listed.map((x) => x.split(" · ")[0])).toEqual(byPeople.map((f) => f.properties.name));
      expect(listed[0]).toContain(`${byPeople[0].properties.population.toLocaleString("zh-CN")} 人`);
      await page.click("#gap-list li:first-child button");
      await page.waitForSelector(".maplibregl-popup [data-layer=villages]");
      expect(await popupText(page)).toContain(byPeople[0].properties.name);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(".plan-actions[data-plan=coverage-gaps] .download-csv")]);
      expect(download.suggestedFilename()).toMatch(/^coverage-gaps-\d{8}\.csv$/);
      const csv = readFileSync((await download.path())!, "utf8");
      expect(csv.split("\r\n")[0]).toBe("\uFEFF村庄,村庄编号,区划代码,所属乡镇,人口（人）");
      expect(csv.split("\r\n")[1]).toContain(byPeople[0].properties.name);
      await restedScreenshot(page, `acting-uncovered${suffix}-zh`);
      expect(errors).toEqual([]);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: an evacuation plan lists village → shelter with people and distance, drawn as arrows; a row opens the shelter`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, device);
      await openPart(page, "evacuation");
      const hazard = await evacuationHazard(w);
      await page.selectOption("#evac-hazard", String(hazard));
      await page.click("#evac-plan");
      await page.waitForSelector("#evac-moves li");
      const plan = await evacuationPlan(w, { hazard_id: hazard });
      expect(plan.assignments.length).toBeGreaterThan(0);
      expect(await page.locator("#evac-moves li").count()).toBe(plan.assignments.length + plan.unassigned.length);
      expect(await drawn(page, "evac-arrows")).toBe(plan.assignments.length);
      expect(await drawn(page, "evac-flows")).toBe(plan.assignments.length);
      const biggest = [...plan.assignments].sort((a, b) => b.people - a.people || a.village_id - b.village_id)[0];
      const village = plan.villages.find((v: { id: number }) => v.id === biggest.village_id).name;
      const shelter = plan.shelters.find((s: { shelter_id: number }) => s.shelter_id === biggest.shelter_id).name;
      const first = (await page.locator("#evac-moves li").first().textContent())!;
      expect(first.startsWith(`${village} → ${shelter} · 拟安置 `)).toBe(true);
      // by road where the area joins the network: minutes and km travelled
      expect(first).toMatch(biggest.travel_time_s === undefined ? / km$/ : / 分钟 · [\d.]+ km（公路）$/);
      await page.click("#evac-moves li:first-child button");
      await page.waitForSelector(".maplibregl-popup [data-layer=shelters]");
      expect(await popupText(page)).toContain(shelter);
      expect(await page.locator(".plan-actions[data-plan=evacuation-plan] .download-xlsx").isVisible()).toBe(true);
      await restedScreenshot(page, `acting-evacuation${suffix}-zh`);
      // printed as an order (调度单) by its button: the PDF read back holds every move, signed for
      const [order] = await Promise.all([page.waitForEvent("download"), page.click(".plan-actions[data-plan=evacuation-plan] .download-pdf")]);
      expect(order.suggestedFilename()).toMatch(/^evacuation-plan-\d{8}\.pdf$/);
      const lines = readPdf(readFileSync((await order.path())!)).text.split("\n");
      const printed = squeeze(lines.join(""));
      expect(printed).toContain("疏散安置调度单");
      expect(printed).toContain("签发人");
      for (const a of plan.assignments) {
        const [v, s] = [
          plan.villages.find((x: { id: number }) => x.id === a.village_id).name,
          plan.shelters.find((x: { shelter_id: number }) => x.shelter_id === a.shelter_id).name,
        ];
        expect(
          lines.some((l) => squeeze(l).includes(`${squeeze(v)}${a.village_id}${a.people.toLocaleString("zh-CN")}${squeeze(s)}${a.shelter_id}`)),
          `${v} → ${s}`,
        ).toBe(true);
      }
      expect(errors).toEqual([]);
    });
  }
});
