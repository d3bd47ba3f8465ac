import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
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

/** How many features a GeoJSON overlay of the map holds. */
const drawn = (source: string) =>
  page.evaluate(async (id) => {
    const { map } = (window as unknown as { hazmap: { map: { getSource(id: string): { getData(): Promise<{ features: unknown[] }> } } } }).hazmap;
    return (await map.getSource(id).getData()).features.length;
  }, source);

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
      const { map } = (window as unknown as { hazmap: { map: { queryRenderedFeatures(p: [number, number]): { sourceLayer: string }[]; unproject(p: [number, number]): { lng: number; lat: number } } } }).hazmap;
      for (let x = 400; x < 900; x += 7) for (let y = 200; y < 600; y += 7) {
        if (map.queryRenderedFeatures([x, y]).every((f) => f.sourceLayer === "townships")) return { x, y, ...map.unproject([x, y]) };
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

  it("with the keyboard alone: arrows pan the focused map, Enter asks for the nearest resources at its centre", async () => {
    await page.focus("#map canvas");
    const centre = () => page.evaluate(() => (window as unknown as { hazmap: { map: { getCenter(): { lng: number; lat: number } } } }).hazmap.map.getCenter());
    const before = await centre();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((lng) => (window as unknown as { hazmap: { map: { getCenter(): { lng: number }; isMoving(): boolean } } }).hazmap.map.getCenter().lng > lng && !(window as unknown as { hazmap: { map: { isMoving(): boolean } } }).hazmap.map.isMoving(), before.lng);
    const at = await centre();
    await page.keyboard.press("Enter");
    await page.waitForFunction((lon) => document.querySelector("#nearest .results p")?.textContent?.includes(lon), at.lng.toFixed(5));
    const api = await (await fetch(`${w.base}/api/v1/nearest?layer=shelters&lon=${at.lng}&lat=${at.lat}&limit=3`)).json();
    expect(await page.textContent("#nearest ol[data-layer=shelters] li")).toContain(api.features[0].properties.name);
  });

  it("a commander picks a hazard as the incident and filters: depots holding tents, standby teams of a specialty, shelters with room", async () => {
    const hazardId = await page.evaluate(() => document.querySelector<HTMLSelectElement>("#nearest-hazard")!.options[1]!.value);
    const before = await page.textContent("#nearest .results p");
    await page.selectOption("#nearest-hazard", hazardId);
    const hazard = await (await fetch(`${w.base}/api/v1/layers/hazards/features/${hazardId}`)).json();
    await page.waitForFunction((before) => { const p = document.querySelector("#nearest .results p"); return p && p.textContent !== before; }, before);
    const [lon, lat] = await page.evaluate(() => document.querySelector("#nearest .results p")!.textContent!.split(": ")[1]!.split(", ").map(Number) as [number, number]);
    if (hazard.geometry.type === "Point") expect([lon.toFixed(4), lat.toFixed(4)]).toEqual(hazard.geometry.coordinates.map((v: number) => v.toFixed(4)));
    const listed = async (layer: string) => (await page.locator(`#nearest ol[data-layer=${layer}] li`).allTextContents()).map((x) => x.split(" · ")[0]);
    const names = async (query: string) => (await (await fetch(`${w.base}/api/v1/nearest?${query}&lon=${lon}&lat=${lat}&limit=3`)).json()).features.map((f: { properties: { name: string } }) => f.properties.name);
    await page.selectOption("#nearest-item", "tent");
    await page.fill("#nearest-quantity", "200");
    await page.locator("#nearest-quantity").dispatchEvent("change");
    await page.fill("#nearest-specialty", "flood_rescue");
    await page.locator("#nearest-specialty").dispatchEvent("change");
    await page.fill("#nearest-free", "1000");
    await page.locator("#nearest-free").dispatchEvent("change");
    const want = { depots: await names("layer=depots&item=tent&min_quantity=200"), teams: await names("layer=teams&specialty=flood_rescue&status=standby"), shelters: await names("layer=shelters&min_free_capacity=1000") };
    expect(want.depots.length + want.teams.length + want.shelters.length).toBeGreaterThan(3);
    // the panel shows "无" (none) for an empty answer
    const shown = Object.fromEntries(Object.entries(want).map(([l, names]) => [l, names.length ? names : ["无"]]));
    await page.waitForFunction((shown) => Object.entries(shown).every(([l, names]) =>
      JSON.stringify([...document.querySelectorAll(`#nearest ol[data-layer=${l}] li`)].map((li) => li.textContent!.split(" · ")[0])) === JSON.stringify(names)), shown);
    expect(await listed("depots")).toEqual(shown.depots);
    expect(await listed("teams")).toEqual(shown.teams);
    expect(await listed("shelters")).toEqual(shown.shelters);
    await screenshot(page, "02b-commander-filters");
  });

  it("a supply plan for the incident: what to draw from where, and the shortfall, as the API answers", async () => {
    await page.focus("#supply summary");
    await page.keyboard.press("Enter"); // opens the <details>
    await page.selectOption("#supply-rows .supply-item", "tent");
    await page.fill("#supply-rows .supply-quantity", "999999");
    await page.click("#supply-plan");
    await page.waitForSelector("#supply-picks li");
    const [lon, lat] = await page.evaluate(() => document.querySelector("#nearest .results p")!.textContent!.split(": ")[1]!.split(", ").map(Number));
    const api = await (await fetch(`${w.base}/api/v1/supply-plan`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ lon, lat, items: [{ item: "tent", quantity: 999999 }] }) })).json();
    const picks = await page.locator("#supply-picks li").allTextContents();
    expect(picks.map((p) => p.split(" · ")[0])).toEqual(api.picks.map((p: { name: string }) => p.name));
    expect(api.shortfall).toHaveLength(1);
    expect(await page.textContent("#supply-shortfall")).toContain(String(api.shortfall[0].quantity));
    expect(await drawn("supply-lines")).toBe(api.picks.length);
    await screenshot(page, "02c-supply-plan");
  });

  it("the coverage-gap panel counts what the API counts, and suggests sites", async () => {
    await page.click("#planner summary");
    await page.fill("#gap-radius", "5");
    await page.click("#find-gaps");
    await page.waitForSelector("#gap-summary");
    const api = await (await fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=5000`)).json();
    const text = await page.textContent("#gap-summary");
    expect(text).toContain(`${api.summary.uncovered_villages} 个村`);
    expect(api.summary.uncovered_villages).toBeGreaterThan(0);
    expect(await drawn("gaps")).toBe(api.summary.uncovered_villages);
    await page.click("#suggest-sites");
    await page.waitForSelector("#site-list li");
    const sites = await (await fetch(`${w.base}/api/v1/site-suggestions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ layer: "shelters", radius_m: 5000, count: 3 }) })).json();
    expect(await page.locator("#site-list li").count()).toBe(sites.suggestions.length);
    expect(await page.textContent("#site-list li")).toContain(sites.suggestions[0].name);
    await page.click("#township-capacity");
    await page.waitForSelector("#planner-result table");
    expect(await page.locator("#planner-result tbody tr").count()).toBe(15);
    await screenshot(page, "04-planner");
  });

  it("an evacuation plan for a hazard draws its flows, and its numbers are the API's", async () => {
    await page.click("#evacuation summary");
    const { rows } = await w.db.raw("SELECT id::int FROM hazards WHERE influence_radius_m >= 1000 AND GeometryType(geom) = 'POINT' ORDER BY risk_level, id LIMIT 1");
    await page.selectOption("#evac-hazard", String(rows[0].id));
    await page.click("#evac-plan");
    await page.waitForSelector("#evac-affected");
    const plan = await (await fetch(`${w.base}/api/v1/evacuation-plan`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ area: { hazard_id: rows[0].id }, max_distance_m: 20000 }) })).json();
    expect(plan.affected.villages).toBeGreaterThan(0);
    expect(await page.textContent("#evac-affected")).toContain(`${plan.affected.villages} 个村`);
    const assigned = plan.assignments.reduce((s: number, a: { people: number }) => s + a.people, 0);
    const people = (n: number) => (n >= 10000 ? `${(n / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 1 })} 万人` : `${n.toLocaleString("zh-CN")} 人`);
    expect(await page.textContent("#evac-assigned")).toContain(people(assigned));
    expect(await drawn("evac-flows")).toBe(plan.assignments.length);
    await screenshot(page, "05-evacuation");
  });

  it("an evacuation plan for a polygon drawn on the map, corner by corner", async () => {
    const box = (await page.locator("#map").boundingBox())!;
    const corners: [number, number][] = [[0.35, 0.35], [0.6, 0.3], [0.65, 0.6], [0.4, 0.65]].map(([fx, fy]) => [Math.round(box.width * fx!), Math.round(box.height * fy!)]);
    const ring = await page.evaluate((px) => px.map((p) => {
      const ll = (window as unknown as { hazmap: { map: { unproject(p: [number, number]): { lng: number; lat: number } } } }).hazmap.map.unproject(p);
      return [ll.lng, ll.lat];
    }), corners);
    await page.click("#evac-polygon");
    for (const [x, y] of corners) await page.mouse.click(box.x + x, box.y + y);
    await page.click("#evac-finish");
    const polygon = { type: "Polygon", coordinates: [[...ring, ring[0]]] };
    const plan = await (await fetch(`${w.base}/api/v1/evacuation-plan`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ area: polygon, max_distance_m: 20000 }) })).json();
    expect(plan.affected.villages).toBeGreaterThan(0);
    await page.waitForFunction((n) => document.querySelector("#evac-affected")?.textContent?.includes(`${n} 个村`), plan.affected.villages);
    expect(await drawn("evac-flows")).toBe(plan.assignments.length);
    await screenshot(page, "05b-evacuation-polygon");
  });

  it("shows an edit made through the API on the open map, without a reload", async () => {
    const { rows } = await w.db.raw("SELECT id::int, version, capacity FROM shelters WHERE status = 'open' ORDER BY capacity DESC LIMIT 1");
    const s = rows[0];
    const occupancyOnMap = () =>
      page.evaluate((id) => {
        const { map } = (window as unknown as { hazmap: { map: { querySourceFeatures(s: string, o: object): { id: number; properties: { occupancy: number } }[] } } }).hazmap;
        return map.querySourceFeatures("hazmap", { sourceLayer: "shelters" }).find((f) => f.id === id)?.properties.occupancy;
      }, s.id);
    expect(await occupancyOnMap()).not.toBe(s.capacity);
    const res = await fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`, { method: "PATCH", headers: { "content-type": "application/json", "If-Match": `"${s.version}"` }, body: JSON.stringify({ properties: { occupancy: s.capacity, status: "full" } }) });
    expect(res.status).toBe(200);
    await page.waitForFunction(
      ([id, want]) => (window as unknown as { hazmap: { map: { querySourceFeatures(s: string, o: object): { id: number; properties: { occupancy: number } }[] } } }).hazmap.map
        .querySourceFeatures("hazmap", { sourceLayer: "shelters" }).some((f) => f.id === id && f.properties.occupancy === want),
      [s.id, s.capacity], { timeout: 10_000 });
    await screenshot(page, "06-live-edit");
  });

  it("finds a village by part of its name and flies to it", async () => {
    const { rows } = await w.db.raw("SELECT name, ST_X(geom) AS x, ST_Y(geom) AS y FROM villages ORDER BY id DESC LIMIT 1");
    await page.fill("#search-input", rows[0].name.slice(0, 2));
    await page.waitForSelector(`#search-results li:has-text("${rows[0].name}")`);
    await page.click(`#search-results li:has-text("${rows[0].name}")`);
    await page.waitForFunction(([x, y]) => {
      const c = (window as unknown as { hazmap: { map: { getCenter(): { lng: number; lat: number }; isMoving(): boolean } } }).hazmap.map;
      return !c.isMoving() && Math.abs(c.getCenter().lng - x) < 1e-4 && Math.abs(c.getCenter().lat - y) < 1e-4;
    }, [rows[0].x, rows[0].y], { timeout: 10_000 });
  });

  it("a clerk edits a shelter in the form: field errors beside the field, a stale edit explained", async () => {
    // a shelter with nothing drawn above it nearby (depots and teams are drawn over shelters)
    const { rows } = await w.db.raw(`
      SELECT s.id::int, s.version, ST_X(s.geom) AS x, ST_Y(s.geom) AS y FROM shelters s
      WHERE NOT EXISTS (SELECT 1 FROM depots d WHERE ST_DWithin(d.geom::geography, s.geom::geography, 300))
        AND NOT EXISTS (SELECT 1 FROM teams t WHERE ST_DWithin(t.geom::geography, s.geom::geography, 300))
        AND NOT EXISTS (SELECT 1 FROM hazards h WHERE ST_DWithin(h.geom::geography, s.geom::geography, 300))
      ORDER BY s.id LIMIT 1`);
    const s = rows[0];
    // open the editor the way a clerk does: click the shelter, then Edit in its popup
    const at = await page.evaluate(([x, y]) => {
      const { map } = (window as unknown as { hazmap: { map: { project(c: [number, number]): { x: number; y: number }; jumpTo(o: object): void } } }).hazmap;
      map.jumpTo({ center: [x, y], zoom: 15 });
      return map.project([x, y]);
    }, [s.x, s.y]);
    await page.waitForFunction(() => (window as unknown as { hazmap: { map: { areTilesLoaded(): boolean } } }).hazmap.map.areTilesLoaded());
    const box = (await page.locator("#map").boundingBox())!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.click(".maplibregl-popup button.edit");
    await page.waitForSelector("#editor-form");

    await page.fill("#edit-capacity", "-5");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-form .field-error");
    expect(await page.locator("#edit-capacity").locator("xpath=..").locator(".field-error").count()).toBe(1);

    await page.fill("#edit-capacity", "4321");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-message .ok");
    const saved = await (await fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`)).json();
    expect(saved.properties.capacity).toBe(4321);

    // someone else changes it; the clerk's next save must not overwrite that
    await fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`, { method: "PATCH", headers: { "content-type": "application/json", "If-Match": `"${saved.properties.version}"` }, body: JSON.stringify({ properties: { occupancy: 7 } }) });
    await page.fill("#edit-capacity", "999");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-message .conflict");
    expect(await page.textContent("#editor-message")).toContain("其他人已修改");
    const after = await (await fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`)).json();
    expect(after.properties).toMatchObject({ capacity: 4321, occupancy: 7 });
    await screenshot(page, "07-edit-conflict");
  });

  it("prints the map as a PNG with its legend", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#print")]);
    expect(download.suggestedFilename()).toMatch(/^hazmap-\d{12}\.png$/);
    const path = new URL("../../test-results/e2e/08-print.png", import.meta.url).pathname;
    await download.saveAs(path);
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(width).toBeGreaterThan(1366 - 340); // the map's width plus the legend
    expect(height).toBeGreaterThan(700);
  });

  it("an analyst exports a derived risk layer, limited to the view, with the keyboard alone", async () => {
    await page.focus("#export summary");
    await page.keyboard.press("Enter"); // opens the <details>
    await page.focus("#export-layer");
    await page.selectOption("#export-layer", "village-risk");
    await page.selectOption("#export-format", "geojson");
    await page.focus("#export-in-view");
    await page.keyboard.press("Space");
    const href = (await page.getAttribute("#export-link", "href"))!;
    const bbox = new URL(href, w.base).searchParams.get("bbox")!;
    expect(bbox.split(",")).toHaveLength(4);
    await page.focus("#export-link");
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(download.suggestedFilename()).toMatch(/^village-risk-\d{8}\.geojson$/);
    const exported = JSON.parse(readFileSync((await download.path())!, "utf8"));
    const api = await (await fetch(`${w.base}/api/v1/layers/village-risk/features?bbox=${bbox}&limit=10000`)).json();
    expect(api.numberMatched).toBeGreaterThan(0);
    expect(exported.features.map((f: { id: number }) => f.id).sort()).toEqual(api.features.map((f: { id: number }) => f.id).sort());
    await screenshot(page, "09-export");
  });

  it("fits a 1920×1080 command-centre screen and a 1366×768 laptop: map and panel side by side, nothing cut off", async () => {
    for (const viewport of [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }]) {
      await page.setViewportSize(viewport);
      await page.waitForFunction(() => (window as unknown as { hazmap: { map: { loaded(): boolean } } }).hazmap.map.loaded());
      const [map, panel] = [(await page.locator("#map").boundingBox())!, (await page.locator("#panel").boundingBox())!];
      expect(map.x + map.width).toBeLessThanOrEqual(panel.x + 1);
      expect(panel.x + panel.width).toBeLessThanOrEqual(viewport.width);
      expect(map.width).toBeGreaterThan(viewport.width * 0.6);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(await rendered(["villages-point"])).toBeGreaterThan(0);
      if (viewport.width === 1920) await screenshot(page, "10-command-centre-1920");
    }
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
