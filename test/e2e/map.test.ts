import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Browser, ConsoleMessage, Page } from "playwright-core";
import { startDemoWorld, type World } from "../support/world.ts";
import { launchBrowser, openMap, screenshot, signInAs, waitForMap } from "../support/browser.ts";
import { createAccount } from "../../server/auth/accounts.ts";

let w: World;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

/** One account per role; the clerk may edit the whole county. */
const PASSWORD = "e2e-passphrase";
const ACCOUNTS = [
  { username: "viewer", display_name: "赵敏", roles: ["viewer"] },
  { username: "clerk", display_name: "钱进", roles: ["clerk"], townships: ["*"] },
  { username: "commander", display_name: "孙强", roles: ["commander"] },
  { username: "analyst", display_name: "周琳", roles: ["analyst"] },
  { username: "admin", display_name: "吴磊", roles: ["admin"] },
];

beforeAll(async () => {
  w = await startDemoWorld({ anonymousRead: true }); // as in the demo
  for (const a of ACCOUNTS) await createAccount(w.db, { ...a, password: PASSWORD });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  // the one refusal expected: "who is signed in?" answered 401 while no one is
  const anonymous = (m: ConsoleMessage) => m.location().url.endsWith("/api/v1/auth/me") && m.text().includes("401");
  page.on("console", (m) => m.type() === "error" && !anonymous(m) && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("request", (r) => !r.url().startsWith(w.base) && !r.url().startsWith("blob:") && !r.url().startsWith("data:") && foreignRequests.push(r.url()));
  await openMap(page, w.base);
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

/** The shelter the clerk edits (nothing drawn above it nearby), then the commander and the audit trail look at. */
let edited: { id: number; capacity: number; x: number; y: number };

/** Zoom to a point and click it, as a person clicks a feature on the map. */
async function clickOnMap(x: number, y: number) {
  const at = await page.evaluate((lonLat) => {
    const { map } = (window as unknown as { hazmap: { map: { project(c: [number, number]): { x: number; y: number }; jumpTo(o: object): void } } }).hazmap;
    map.jumpTo({ center: lonLat, zoom: 15 });
    return map.project(lonLat);
  }, [x, y] as [number, number]);
  await page.waitForFunction(() => (window as unknown as { hazmap: { map: { areTilesLoaded(): boolean } } }).hazmap.map.areTilesLoaded());
  const box = (await page.locator("#map").boundingBox())!;
  await page.mouse.click(box.x + at.x, box.y + at.y);
}

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
    const api = await (await w.fetch(`${w.base}/api/v1/nearest?layer=depots&lon=${spot.lng}&lat=${spot.lat}&limit=3`)).json();
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
    const api = await (await w.fetch(`${w.base}/api/v1/nearest?layer=shelters&lon=${at.lng}&lat=${at.lat}&limit=3`)).json();
    expect(await page.textContent("#nearest ol[data-layer=shelters] li")).toContain(api.features[0].properties.name);
  });

  it("a commander picks a hazard as the incident and filters: depots holding tents, standby teams of a specialty, shelters with room", async () => {
    const hazardId = await page.evaluate(() => document.querySelector<HTMLSelectElement>("#nearest-hazard")!.options[1]!.value);
    const before = await page.textContent("#nearest .results p");
    await page.selectOption("#nearest-hazard", hazardId);
    const hazard = await (await w.fetch(`${w.base}/api/v1/layers/hazards/features/${hazardId}`)).json();
    await page.waitForFunction((before) => { const p = document.querySelector("#nearest .results p"); return p && p.textContent !== before; }, before);
    const [lon, lat] = await page.evaluate(() => document.querySelector("#nearest .results p")!.textContent!.split(": ")[1]!.split(", ").map(Number) as [number, number]);
    if (hazard.geometry.type === "Point") expect([lon.toFixed(4), lat.toFixed(4)]).toEqual(hazard.geometry.coordinates.map((v: number) => v.toFixed(4)));
    const listed = async (layer: string) => (await page.locator(`#nearest ol[data-layer=${layer}] li`).allTextContents()).map((x) => x.split(" · ")[0]);
    // a picked hazard is asked from itself
    const names = async (query: string) => (await (await w.fetch(`${w.base}/api/v1/nearest?${query}&hazard_id=${hazardId}&limit=3`)).json()).features.map((f: { properties: { name: string } }) => f.properties.name);
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
    // tents are counted in 顶: the filter and each depot's stock say so
    expect(await page.textContent("#nearest-quantity-unit")).toBe("顶");
    for (const li of await page.locator("#nearest ol[data-layer=depots] li").allTextContents()) if (li !== "无") expect(li).toMatch(/ · \d+ 顶$/);
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
    const api = await (await w.fetch(`${w.base}/api/v1/supply-plan`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ lon, lat, items: [{ item: "tent", quantity: 999999 }] }) })).json();
    const picks = await page.locator("#supply-picks li").allTextContents();
    expect(picks.map((p) => p.split(" · ")[0])).toEqual(api.picks.map((p: { name: string }) => p.name));
    expect(api.shortfall).toHaveLength(1);
    expect(await page.textContent("#supply-rows .supply-unit")).toBe("顶");
    picks.forEach((p, i) => expect(p).toContain(` ${api.picks[i].quantity} 顶 · `));
    expect(await page.textContent("#supply-shortfall")).toContain(`${api.shortfall[0].quantity} 顶`);
    expect(await drawn("supply-lines")).toBe(api.picks.length);
    await screenshot(page, "02c-supply-plan");
  });

  it("the coverage-gap panel counts what the API counts, and suggests sites", async () => {
    await page.click("#planner summary");
    await page.fill("#gap-radius", "5");
    await page.click("#find-gaps");
    await page.waitForSelector("#gap-summary");
    const api = await (await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=5000`)).json();
    const text = await page.textContent("#gap-summary");
    expect(text).toContain(`${api.summary.uncovered_villages} 个村`);
    expect(api.summary.uncovered_villages).toBeGreaterThan(0);
    expect(await drawn("gaps")).toBe(api.summary.uncovered_villages);
    await page.click("#suggest-sites");
    await page.waitForSelector("#site-list li");
    const sites = await (await w.fetch(`${w.base}/api/v1/site-suggestions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ layer: "shelters", radius_m: 5000, count: 3 }) })).json();
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
    const plan = await (await w.fetch(`${w.base}/api/v1/evacuation-plan`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ area: { hazard_id: rows[0].id }, max_distance_m: 20000 }) })).json();
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
    const plan = await (await w.fetch(`${w.base}/api/v1/evacuation-plan`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ area: polygon, max_distance_m: 20000 }) })).json();
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
    const res = await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`, { method: "PATCH", headers: { "content-type": "application/json", "If-Match": `"${s.version}"` }, body: JSON.stringify({ properties: { occupancy: s.capacity, status: "full" } }) });
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

  it("signs in with the keyboard alone; a viewer sees no editor, no export and no admin panels", async () => {
    for (const panel of ["#editor", "#export", "#tokens", "#audit"]) expect(await page.isHidden(panel), `anonymous: ${panel}`).toBe(true);
    await page.focus("#sign-in");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#sign-in-dialog[open]");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("sign-in-username");
    await page.keyboard.press("Escape");
    await page.waitForSelector("#sign-in-dialog:not([open])", { state: "attached" });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("sign-in");

    await page.keyboard.press("Enter");
    await page.keyboard.type("viewer");
    await page.keyboard.press("Tab");
    await page.keyboard.type("a wrong password");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#sign-in-error:has-text('wrong user name or password')");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("sign-in-password");
    await screenshot(page, "11-sign-in-refused");
    await page.keyboard.type(PASSWORD); // the wrong one is selected: typing replaces it
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    await waitForMap(page);

    expect(await page.textContent("#account-name")).toBe("赵敏 · 查看员");
    for (const panel of ["#editor", "#export", "#tokens", "#audit"]) expect(await page.isHidden(panel), `viewer: ${panel}`).toBe(true);
    const { rows } = await w.db.raw("SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM shelters ORDER BY id LIMIT 1");
    await clickOnMap(rows[0].x, rows[0].y);
    await page.waitForSelector(".maplibregl-popup table");
    expect(await page.locator(".maplibregl-popup button.edit").count()).toBe(0);
    await screenshot(page, "12-viewer");
  });

  it("a clerk edits a shelter in the form: field errors beside the field, a stale edit explained", async () => {
    await signInAs(page, "clerk", PASSWORD);
    // a shelter with nothing drawn above it nearby (depots and teams are drawn over shelters)
    const { rows } = await w.db.raw(`
      SELECT s.id::int, s.version, s.capacity, ST_X(s.geom) AS x, ST_Y(s.geom) AS y FROM shelters s
      WHERE NOT EXISTS (SELECT 1 FROM depots d WHERE ST_DWithin(d.geom::geography, s.geom::geography, 300))
        AND NOT EXISTS (SELECT 1 FROM teams t WHERE ST_DWithin(t.geom::geography, s.geom::geography, 300))
        AND NOT EXISTS (SELECT 1 FROM hazards h WHERE ST_DWithin(h.geom::geography, s.geom::geography, 300))
      ORDER BY s.id LIMIT 1`);
    const s = rows[0];
    edited = s;
    // open the editor the way a clerk does: click the shelter, then Edit in its popup
    await clickOnMap(s.x, s.y);
    await page.click(".maplibregl-popup button.edit");
    await page.waitForSelector("#editor-form");

    await page.fill("#edit-capacity", "-5");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-form .field-error");
    expect(await page.locator("#edit-capacity").locator("xpath=..").locator(".field-error").count()).toBe(1);

    await page.fill("#edit-capacity", "4321");
    // a write made with the session cookie is refused (403) without the session's CSRF token
    const [write] = await Promise.all([page.waitForRequest((r) => r.method() === "PATCH"), page.click("#editor-form button[type=submit]")]);
    expect(write.headers()["x-csrf-token"]).toMatch(/^[\w-]{40,}$/);
    await page.waitForSelector("#editor-message .ok");
    const saved = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`)).json();
    expect(saved.properties.capacity).toBe(4321);

    // someone else changes it; the clerk's next save must not overwrite that
    await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`, { method: "PATCH", headers: { "content-type": "application/json", "If-Match": `"${saved.properties.version}"` }, body: JSON.stringify({ properties: { occupancy: 7 } }) });
    await page.fill("#edit-capacity", "999");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-message .conflict");
    expect(await page.textContent("#editor-message")).toContain("其他人已修改");
    const after = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`)).json();
    expect(after.properties).toMatchObject({ capacity: 4321, occupancy: 7 });
    await screenshot(page, "07-edit-conflict");
  });

  it("a commander changes only a shelter's occupancy: the form shows that field alone", async () => {
    await signInAs(page, "commander", PASSWORD);
    expect(await page.locator("#editor button[id^=add-]").count()).toBe(0);
    await clickOnMap(edited.x, edited.y);
    await page.click(".maplibregl-popup button.edit");
    await page.waitForSelector("#editor-form");
    expect(await page.locator("#editor-form [name]").evaluateAll((fields) => fields.map((f) => f.getAttribute("name")))).toEqual(["occupancy"]);
    await page.fill("#edit-occupancy", "12");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-message .ok");
    const after = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features/${edited.id}`)).json();
    expect(after.properties).toMatchObject({ capacity: 4321, occupancy: 12 });
  });

  it("a clerk of another township is refused, and the form says why in the server's words", async () => {
    const { rows } = await w.db.raw("SELECT admin_code FROM townships WHERE NOT ST_Covers(geom, (SELECT geom FROM shelters WHERE id = ?)) ORDER BY admin_code LIMIT 1", [edited.id]);
    await createAccount(w.db, { username: "clerk.hill", password: PASSWORD, roles: ["clerk"], townships: [rows[0].admin_code] });
    await signInAs(page, "clerk.hill", PASSWORD);
    await clickOnMap(edited.x, edited.y);
    await page.click(".maplibregl-popup button.edit");
    await page.fill("#edit-capacity", "1");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-message .conflict");
    expect(await page.textContent("#editor-message")).toBe(`shelters ${edited.id} lies outside your townships (${rows[0].admin_code})`);
    const after = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features/${edited.id}`)).json();
    expect(after.properties.capacity).toBe(4321);
  });

  it("an admin reads the audit trail: filtered by actor, the clerk's edit with its fields before and after", async () => {
    await signInAs(page, "admin", PASSWORD);
    await page.click("#audit summary");
    await page.waitForSelector("#audit-list > li");
    // a page of 20, newest first; the next 20 by the keyboard, focus on the first of them
    expect(await page.locator("#audit-list > li").count()).toBe(20);
    await page.focus("#audit-older");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelectorAll("#audit-list > li").length === 40);
    expect(await page.evaluate(() => [...document.querySelectorAll("#audit-list > li")].indexOf(document.activeElement!))).toBe(20);
    await page.fill("#audit-actor", "clerk");
    await page.press("#audit-actor", "Enter");
    await page.waitForFunction(() => [...document.querySelectorAll("#audit-list .audit-actor")].every((e) => e.textContent === "clerk"));
    const api = await (await w.fetch(`${w.base}/api/v1/audit?actor=clerk&limit=20`)).json();
    expect(api.entries.length).toBeGreaterThan(0);
    expect(await page.locator("#audit-list > li").count()).toBe(api.entries.length);
    const entry = page.locator("#audit-list > li", { hasText: `#${edited.id}` });
    expect(await entry.count()).toBe(1);
    expect(await entry.textContent()).toContain("修改");
    expect(await entry.locator(".audit-changes li").allTextContents()).toEqual([`容纳人数 ${edited.capacity} → 4321`]);
    await entry.scrollIntoViewIfNeeded();
    await screenshot(page, "13-audit");
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
    await signInAs(page, "analyst", PASSWORD);
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
    const api = await (await w.fetch(`${w.base}/api/v1/layers/village-risk/features?bbox=${bbox}&limit=10000`)).json();
    expect(api.numberMatched).toBeGreaterThan(0);
    expect(exported.features.map((f: { id: number }) => f.id).sort()).toEqual(api.features.map((f: { id: number }) => f.id).sort());
    await screenshot(page, "09-export");
  });

  it("an analyst makes an API token, shown once, that works as a Bearer token until it is revoked", async () => {
    await page.click("#tokens summary");
    await page.fill("#token-name", "QGIS 工作站");
    await page.press("#token-name", "Enter");
    await page.waitForSelector("#token-secret-box:not([hidden])");
    const token = await page.inputValue("#token-secret");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("token-secret");
    expect(await page.textContent("#token-secret-box")).toContain("不会再次显示");
    const me = () => fetch(`${w.base}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    const res = await me();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { username: "analyst" }, via: "token" });
    await screenshot(page, "14-token");
    await page.click("#token-list button[aria-label='吊销 QGIS 工作站']");
    await page.waitForSelector("#token-list li:has-text('已吊销')");
    expect(await page.isHidden("#token-secret-box")).toBe(true);
    expect((await me()).status).toBe(401);
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

describe("a server that lets no one read without signing in", () => {
  let closed: World;
  beforeAll(async () => {
    closed = await startDemoWorld({ anonymousRead: false });
    await createAccount(closed.db, { username: "viewer", password: PASSWORD, roles: ["viewer"] });
  });
  afterAll(() => closed?.close());

  it("shows the sign-in form first, gets no map data until a viewer signs in, then draws the map", async () => {
    const visitor = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const answers: { url: string; status: number }[] = [];
    visitor.on("response", (r) => answers.push({ url: r.url(), status: r.status() }));
    await visitor.goto(closed.base);
    await visitor.waitForSelector("#sign-in-dialog[open]");
    expect(await visitor.evaluate(() => document.activeElement?.id)).toBe("sign-in-username");
    expect(await visitor.isHidden("#map")).toBe(true);
    await screenshot(visitor, "15-sign-in-required");
    const mapData = (a: { url: string }) => /\/tiles\/|\/api\/v1\/(layers|items|changes)/.test(new URL(a.url).pathname);
    expect(answers.filter(mapData).map((a) => a.status)).toEqual([401]); // the one question: may anyone read?

    // Escape closes the form; the page still offers to sign in
    await visitor.keyboard.press("Escape");
    await visitor.click("#sign-in-required button");
    await visitor.fill("#sign-in-username", "viewer");
    await visitor.fill("#sign-in-password", PASSWORD);
    await Promise.all([visitor.waitForEvent("load"), visitor.press("#sign-in-password", "Enter")]);
    await waitForMap(visitor);
    expect(await visitor.evaluate(() => (window as unknown as { hazmap: { map: { queryRenderedFeatures(o: object): unknown[] } } }).hazmap.map.queryRenderedFeatures({ layers: ["villages-point"] }).length)).toBeGreaterThan(0);
    expect(answers.filter(mapData).slice(1).every((a) => a.status < 400)).toBe(true);
    expect(await visitor.textContent("#account-name")).toBe("viewer · 查看员");
    await visitor.close();
  });
});
