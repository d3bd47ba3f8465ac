// Issue 18's web side: incidents on the map, live, and the commander's loop in the incident panel —
// open an incident (drawn, or a circle on a phone) → its needs → send the supply plan's lines in one
// action → deploy a team → a note → the situation report, read back with pdftotext; the stock really
// leaves the depots (read through the API); another open map sees the incident appear without a reload;
// a reader sees incidents and their figures but no button that writes; a refused send names the item.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { drawnSoon, newMapPage, PHONE, useBrowserWorld } from "../support/browser.ts";
import { readPdf } from "../support/pdf.ts";
import type { World } from "../support/world.ts";

const e2e = useBrowserWorld();

/** Screenshots kept with the tests, to look at (test/e2e/screenshots/). */
const keep = (page: Page, name: string) => page.screenshot({ path: `test/e2e/screenshots/${name}.png` });

/** The most populous village of the demo county: the incident is drawn round it. */
async function bigVillage(w: World): Promise<{ name: string; lon: number; lat: number }> {
  const { rows } = await w.db.raw("SELECT name, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM villages WHERE population > 0 ORDER BY population DESC, id LIMIT 1");
  return rows[0];
}

/** Every depot's stock, by depot and item, read through the API. */
async function allStock(w: World): Promise<Map<string, number>> {
  const { rows } = await w.db.raw("SELECT id::int FROM depots ORDER BY id");
  const stock = new Map<string, number>();
  for (const { id } of rows) {
    const depot = await (await w.fetch(`${w.base}/api/v1/depots/${id}/stock`)).json();
    for (const r of depot.rows as { item: string; quantity: number }[]) stock.set(`${id}/${r.item}`, r.quantity);
  }
  return stock;
}

/** Click (or tap) the map at a place, which must be in the part of the map the panel leaves free. */
async function pressMap(page: Page, lonLat: [number, number], touch: boolean) {
  const at = await page.evaluate((p) => window.hazmap.map.project(p), lonLat);
  const box = (await page.locator("#map").boundingBox())!;
  const panelTop = await page.evaluate(() => document.querySelector("#panel")!.getBoundingClientRect().top);
  const [x, y] = [box.x + at.x, box.y + at.y];
  expect(x > box.x && x < box.x + box.width && y > box.y && y < Math.min(box.y + box.height, touch ? panelTop : Number.POSITIVE_INFINITY)).toBe(true);
  if (touch) await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
}

/** A control pressed as the device does: a tap on a phone, a click on a laptop. */
const press = (page: Page, selector: string, touch: boolean) => (touch ? page.tap(selector) : page.click(selector));

const incidentNamed = async (w: World, name: string) => {
  const open = await (await w.fetch(`${w.base}/api/v1/incidents?open=true`)).json();
  return open.features.find((f: { properties: { name: string } }) => f.properties.name === name) as { id: number; properties: { version: number } };
};

/**
 * The commander's loop on `page`, the incident opened by drawing (a laptop) or as a circle (a phone):
 * what it asserts holds on either; returns the incident's id.
 */
async function commanderLoop(w: World, page: Page, name: string, touch: boolean, shot: string): Promise<number> {
  const village = await bigVillage(w);
  const pt: [number, number] = [village.lon, village.lat];
  if (touch) await page.tap("#sheet-tabs button[aria-controls=incidents]");
  else await page.click("#incidents > summary");
  await press(page, "#incident-new", touch);
  await page.fill("#incident-name", name);
  await page.selectOption("#incident-kind", "flood");
  await page.selectOption("#incident-level", "2");
  await page.evaluate((p) => window.hazmap.map.jumpTo({ center: p, zoom: 13 }), pt);
  if (touch) {
    await page.tap("label:has(#incident-area-circle)");
    await pressMap(page, pt, true);
    await page.waitForFunction(() => document.querySelector("#incident-area-hint")!.textContent!.includes("圆心已选定"));
    await page.fill("#incident-radius", "1.5");
  } else {
    // a square round the village, corner by corner
    for (const [dx, dy] of [
      [-0.012, -0.01],
      [0.012, -0.01],
      [0.012, 0.01],
      [-0.012, 0.01],
    ])
      await pressMap(page, [pt[0] + dx!, pt[1] + dy!], false);
    await page.waitForFunction(() => document.querySelector("#incident-area-hint")!.textContent!.includes("（4）"));
  }
  await keep(page, `${shot}-open-zh`);
  await press(page, "#incident-create", touch);
  await page.waitForFunction((n) => document.querySelector("#incident-title")?.textContent === n, name);
  const incident = await incidentNamed(w, name);
  expect(incident).toBeDefined();
  const id = incident.id;
  // the village is inside the area: it is counted, and the table says each need in its item's unit
  const needs = await (await w.fetch(`${w.base}/api/v1/incidents/${id}/needs?days=3`)).json();
  expect(needs.villages).toBeGreaterThan(0);
  await page.waitForSelector("#needs-table tbody tr");
  const rows = await page.$$eval("#needs-table tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
  expect(rows.length).toBe(needs.items.length);
  for (const [i, item] of needs.items.entries()) {
    expect(rows[i]![0]).toBe(item.name_zh);
    expect(rows[i]![1]).toBe(`${item.need.toLocaleString("zh-CN")} ${item.unit_zh}`);
    expect(rows[i]![4]).toBe(`${item.shortfall.toLocaleString("zh-CN")} ${item.unit_zh}`);
  }
  expect(await page.textContent("#needs-info")).toMatch(needs.by === "road" ? /公路 60 分钟内/ : /直线 30 km 内/);
  expect(await page.textContent("#needs-info")).toContain(`${needs.population.toLocaleString("zh-CN")} 人`);

  // send from the supply plan: every line, in one action; the stock leaves the depots
  const before = await allStock(w);
  await press(page, "#incident-plan", touch);
  await page.waitForSelector("#incident-send");
  await keep(page, `${shot}-plan-zh`);
  await press(page, "#incident-send", touch);
  await page.waitForSelector("#incident-sent");
  const { dispatches } = await (await w.fetch(`${w.base}/api/v1/incidents/${id}/dispatches`)).json();
  expect(dispatches.length).toBeGreaterThan(0);
  const after = await allStock(w);
  const taken = new Map<string, number>();
  for (const d of dispatches) for (const i of d.items) taken.set(`${d.depot_id}/${i.item}`, i.quantity);
  for (const [key, was] of before) expect(after.get(key), key).toBe(was - (taken.get(key) ?? 0));
  await page.waitForFunction((n) => document.querySelectorAll("#incident-dispatches li.dispatch.sent").length === n, dispatches.length);
  // the table follows: what was sent is counted as dispatched
  const first = dispatches[0].items[0];
  const sentOfFirst = dispatches
    .flatMap((d: { items: { item: string; quantity: number }[] }) => d.items)
    .filter((i: { item: string }) => i.item === first.item);
  const total = sentOfFirst.reduce((s: number, i: { quantity: number }) => s + i.quantity, 0);
  await page.waitForFunction(
    ([item, text]) =>
      [...document.querySelectorAll("#needs-table tbody tr")].some((tr) => tr.children[0]!.textContent === item && tr.children[2]!.textContent === text),
    [first.name_zh, `${total.toLocaleString("zh-CN")} ${first.unit_zh}`] as const,
  );

  // deploy the nearest team on standby
  await page.waitForSelector("#incident-team option", { state: "attached" });
  const teamName = (await page.textContent("#incident-team option:checked"))!.split(" · ")[0]!;
  await press(page, "#incident-deploy", touch);
  await page.waitForFunction((t) => document.querySelector("#incident-deployments")!.textContent!.includes(`${t} · 已派遣`), teamName);
  const { rows: team } = await w.db.raw("SELECT status FROM teams WHERE name = ?", [teamName]);
  expect(team[0].status).toBe("deployed");

  // a note, on the timeline with the rest
  await page.fill("#incident-note", "群众已转移至安置点");
  await press(page, "#incident-add-note", touch);
  await page.waitForFunction(() => document.querySelector("#incident-timeline")!.textContent!.includes("记录：群众已转移至安置点"));
  const timeline = await page.textContent("#incident-timeline");
  for (const words of ["开设事件", "调拨发出", "派遣队伍", teamName]) expect(timeline).toContain(words);

  // the situation report the button gives
  const [download] = await Promise.all([page.waitForEvent("download"), press(page, "#incident-report", touch)]);
  const pdf = readPdf(readFileSync((await download.path())!));
  expect(pdf.text).toContain(name);
  for (const d of dispatches) for (const i of d.items) expect(pdf.text).toContain(i.name_zh);
  expect(pdf.text).toContain(teamName);
  await keep(page, `${shot}-zh`);
  return id;
}

describe("incidents in the web app", () => {
  // each test starts from the county as it was: a loop sends all the stock in reach (the needs exceed it)
  beforeAll(() => e2e.world.db.raw("CREATE TABLE stock_at_start AS SELECT depot_id, item_code, quantity FROM depot_stock"));
  beforeEach(async () => {
    const db = e2e.world.db;
    await db.raw("UPDATE depot_stock s SET quantity = a.quantity FROM stock_at_start a WHERE a.depot_id = s.depot_id AND a.item_code = s.item_code");
    await db.raw("UPDATE teams t SET status = 'standby' FROM deployments d WHERE d.team_id = t.id AND d.released_at IS NULL");
    await db.raw("UPDATE deployments SET released_at = now() WHERE released_at IS NULL");
    await db.raw("UPDATE incidents SET ended_at = now() WHERE ended_at IS NULL");
  });

  it("a commander's loop at 1366×768; another open map (an analyst's) sees the incident appear live, and has no button that writes", async () => {
    const w = e2e.world;
    const reader = await newMapPage(e2e.browser, w.base, "analyst");
    const commander = await newMapPage(e2e.browser, w.base, "commander");
    const before = await reader.page.evaluate(() => document.querySelector("#incident-list")!.textContent);
    expect(before).toContain("暂无进行中的突发事件");
    const id = await commanderLoop(w, commander.page, "青龙河山洪", false, "incident-commander");
    const village = await bigVillage(w);

    // the reader's map: drawn, listed, in the layers panel with its legend, without a reload
    await drawnSoon(reader.page, ["incidents-fill"], id);
    await reader.page.waitForFunction(() => document.querySelector("#incident-list")!.textContent!.includes("青龙河山洪"));
    expect(await reader.page.textContent("label[for=toggle-incidents]")).toBe("突发事件 (1)");
    expect(await reader.page.textContent("#layers li:has(#toggle-incidents) .legend")).toContain("Ⅱ级 重大");
    await drawnSoon(reader.page, ["incidents-label"], id);
    // its popup, and from it the panel: the figures, but nothing that writes
    // a spot of the area with nothing else drawn near it (a shelter there would answer with its own popup)
    await reader.page.evaluate((p) => window.hazmap.map.jumpTo({ center: p, zoom: 14 }), [village.lon, village.lat] as [number, number]);
    await reader.page.waitForFunction(() => window.hazmap.map.areTilesLoaded());
    const spot = await reader.page.evaluate((i) => {
      const map = window.hazmap.map;
      const { clientWidth: w, clientHeight: h } = map.getCanvas();
      for (let y = 20; y < h - 20; y += 15)
        for (let x = 20; x < w - 20; x += 15) {
          const near = map.queryRenderedFeatures([
            [x - 12, y - 12],
            [x + 12, y + 12],
          ]);
          const background = ["townships", "hazard-zones", "built_up", "water_areas", "waterways", "places"];
          if (
            map.queryRenderedFeatures([x, y]).some((f) => f.layer.id === "incidents-fill" && f.id === i) &&
            near.every((f) => f.source === "incidents" || background.includes(f.sourceLayer!) || (f.layer.type === "symbol" && !f.layer.layout?.["icon-image"]))
          )
            return map.unproject([x, y]).toArray() as [number, number];
        }
      return undefined;
    }, id);
    expect(spot).toBeDefined();
    await pressMap(reader.page, spot!, false);
    await reader.page.waitForSelector(`.maplibregl-popup [data-incident="${id}"]`);
    const popup = await reader.page.textContent(".maplibregl-popup");
    for (const words of ["青龙河山洪", "洪涝", "Ⅱ级 重大", "开始时间"]) expect(popup).toContain(words);
    await keep(reader.page, "incident-reader-popup-zh");
    await reader.page.click(".maplibregl-popup button.open-incident");
    await reader.page.waitForFunction(() => document.querySelector("#incident-title")?.textContent === "青龙河山洪");
    await reader.page.waitForSelector("#incident-dispatches li.dispatch");
    expect(await reader.page.isVisible("#incident-report")).toBe(true);
    for (const write of ["#incident-new", "#incident-close", "#incident-plan", "#incident-deploy", "#incident-add-note", ".dispatch-delivered", ".release"])
      expect(await reader.page.isVisible(write), write).toBe(false);
    await keep(reader.page, "incident-reader-zh");

    // closed by the commander, it leaves the reader's map
    commander.page.once("dialog", (d) => void d.accept());
    await commander.page.click("#incident-close");
    await reader.page.waitForFunction(() => document.querySelector("#incident-list")!.textContent!.includes("暂无进行中的突发事件"));
    await reader.page.waitForFunction(() => window.hazmap.map.queryRenderedFeatures({ layers: ["incidents-fill", "incidents-label"] }).length === 0);
    expect(commander.errors).toEqual([]);
    expect(reader.errors).toEqual([]);
  }, 180_000);

  it("a commander's loop on a phone (390×844), by taps, the area a circle", async () => {
    const w = e2e.world;
    const { page, errors } = await newMapPage(e2e.browser, w.base, "commander", PHONE);
    await commanderLoop(w, page, "石桥镇内涝", true, "incident-phone");
    expect(errors).toEqual([]);
  }, 180_000);

  it("a send refused (a depot emptied meanwhile) names the item in Chinese and sends nothing", async () => {
    const w = e2e.world;
    const { page, errors } = await newMapPage(e2e.browser, w.base, "commander");
    const village = await bigVillage(w);
    const res = await w.fetch(`${w.base}/api/v1/incidents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "后山滑坡", kind: "landslide", level: 3, area: { lon: village.lon, lat: village.lat, radius_m: 1000 } }),
    });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    await page.waitForFunction(() => document.querySelector("#incident-list")!.textContent!.includes("后山滑坡"));
    await page.click("#incidents > summary");
    await page.click(`#incident-list button[data-id="${id}"]`);
    await page.click("#incident-plan");
    await page.waitForSelector("#incident-send");
    // the first line's depot runs out of its item before the send
    const first = (await page.textContent("#incident-plan-lines ol li"))!;
    const depot = first.split(" · ")[0]!;
    const { rows } = await w.db.raw(
      "SELECT s.depot_id, s.item_code, i.name_zh FROM depot_stock s JOIN depots d ON d.id = s.depot_id JOIN items i ON i.code = s.item_code WHERE d.name = ? AND ? LIKE '%' || i.name_zh || '%'",
      [depot, first],
    );
    expect(rows.length).toBe(1);
    await w.db.raw("UPDATE depot_stock SET quantity = 0 WHERE depot_id = ? AND item_code = ?", [rows[0].depot_id, rows[0].item_code]);
    const before = await allStock(w);
    await page.click("#incident-send");
    await page.waitForSelector("#incident-refused");
    const refusal = await page.textContent("#incident-refused");
    expect(refusal).toContain("库存不足");
    expect(refusal).toContain(`${depot} ${rows[0].name_zh}`);
    expect(refusal).toContain("未发出任何物资");
    expect(await allStock(w)).toEqual(before);
    expect((await (await w.fetch(`${w.base}/api/v1/incidents/${id}/dispatches`)).json()).dispatches).toEqual([]);
    await keep(page, "incident-refused-zh");
    // the browser logs the refusal it was given, and nothing else went wrong
    expect(errors).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
  }, 120_000);
});
