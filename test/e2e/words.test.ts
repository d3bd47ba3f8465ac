// The page speaks plain Chinese: codes by their labels in popups, filters, plans and the audit trail;
// the server's refusals in Chinese; no console error on an anonymous first visit.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { clickOnMap, newMapPage, openPart, reachable, screenshot, SIZES, useBrowserWorld } from "../support/browser.ts";
import { withToken } from "../support/world.ts";
import { createToken } from "../../server/auth/tokens.ts";

const e2e = useBrowserWorld();

/** English codes and table names that must never reach a reader of the Chinese page. */
const CODES =
  /\b(chemical_plant|fuel_station|hazmat|firefighting|standby|deployed|open|closed|full|school|depot_stock|api_tokens|item_code|fields|team_type|risk_level|version|updated_at)\b/;

/** The popup's table as "label value" lines. */
const popupText = async (page: Page) =>
  (
    await page.locator(".maplibregl-popup-content tr").evaluateAll((rows) => rows.map((r) => `${r.children[0]!.textContent} ${r.children[1]!.textContent}`))
  ).join("\n");

describe("words a county's staff read", () => {
  it("an anonymous first visit logs no console error, and 'who am I' answers 200", async () => {
    const w = e2e.world;
    const { page, errors } = await newMapPage(e2e.browser, w.base);
    const me = await page.evaluate(async () => {
      const res = await fetch("/api/v1/auth/me");
      return [res.status, await res.json()];
    });
    expect(me).toEqual([200, { user: null, via: null, csrf_token: null }]);
    expect(errors).toEqual([]);
  });

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: popups show labels, a risk level as 重大 with its red; a team's specialties in words`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, device);
      const { rows: hazards } = await w.db.raw(
        "SELECT id::int, name, ST_X(geom) AS x, ST_Y(geom) AS y FROM hazards WHERE risk_level = 1 AND kind = 'chemical_plant' AND GeometryType(geom) = 'POINT' ORDER BY id LIMIT 1",
      );
      await clickOnMap(page, hazards[0].x, hazards[0].y);
      await page.waitForSelector(".maplibregl-popup-content table");
      const hazard = await popupText(page);
      expect(hazard).toContain(hazards[0].name);
      expect(hazard).toMatch(/类型\s+化工企业/);
      expect(hazard).toMatch(/风险等级\s+重大/);
      expect(hazard).not.toMatch(CODES);
      const swatch = await page.locator(".maplibregl-popup-content td .swatch").evaluate((e) => getComputedStyle(e).backgroundColor);
      expect(swatch).toBe("rgb(215, 25, 28)"); // 红 #d7191c
      expect(await reachable(page, ".maplibregl-popup-content td .swatch")).toBe(true);
      await screenshot(page, `words-popup-hazard${suffix}-zh`);

      // a team standing at the end of its own road: the tap finds the team, drawn over the road, not the road
      const { rows: teams } = await w.db.raw(
        "SELECT name, ST_X(geom) AS x, ST_Y(geom) AS y FROM teams WHERE team_type = 'hazmat' AND specialties @> ARRAY['hazmat', 'firefighting'] ORDER BY id LIMIT 1",
      );
      await page.keyboard.press("Escape");
      await page.evaluate(() => document.querySelectorAll(".maplibregl-popup").forEach((p) => p.remove()));
      await clickOnMap(page, teams[0].x, teams[0].y);
      await page.waitForFunction(() => document.querySelector(".maplibregl-popup-content")?.textContent?.includes("队伍类型"));
      const team = await popupText(page);
      expect(team).toMatch(new RegExp(`名称\\s+${teams[0].name}\n`));
      expect(team).toMatch(/队伍类型\s+危化品救援/);
      expect(team).toMatch(/专长\s+危化品处置、灭火/);
      expect(team).toMatch(/状态\s+(待命|已出动)/);
      expect(team).not.toMatch(CODES);
      await screenshot(page, `words-popup-team${suffix}-zh`);
      expect(errors).toEqual([]);
    });
  }

  it("typing 危化 in the specialty filter finds the hazmat teams; hazards are offered by their risk in words", async () => {
    const w = e2e.world;
    const { page, errors } = await newMapPage(e2e.browser, w.base);
    const options = await page.locator("#nearest-hazard option").allTextContents();
    expect(options.slice(1).every((o) => /^\[(重大|较大|一般|低)\] /.test(o))).toBe(true);
    expect(await page.locator("#nearest-specialties option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toContain("危化品处置");

    await page.fill("#nearest-specialty", "危化");
    await page.press("#nearest-specialty", "Enter"); // a change, before the incident: nothing asked yet
    await page.uncheck("#nearest-standby");
    await page.selectOption("#nearest-hazard", { index: 1 });
    await page.waitForSelector("#nearest ol[data-layer=teams] li");
    expect(await page.inputValue("#nearest-specialty")).toBe("危化品处置");
    const listed = (await page.locator("#nearest ol[data-layer=teams] li button").allTextContents()).map((x) => x.split(" · ")[0]);
    const hazardId = await page.inputValue("#nearest-hazard");
    const api = await (await w.fetch(`${w.base}/api/v1/nearest?layer=teams&hazard_id=${hazardId}&specialty=hazmat&limit=3`)).json();
    const { rows } = await w.db.raw("SELECT count(*)::int AS n FROM teams WHERE 'hazmat' = ANY(specialties)");
    expect(api.features.length).toBe(Math.min(3, rows[0].n));
    expect(listed).toEqual(api.features.map((f: { properties: { name: string } }) => f.properties.name));
    await screenshot(page, "words-specialty-zh");
    expect(errors).toEqual([]);
  });

  it("an evacuation plan's people are 拟安置, not 已安置", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
    await page.click("#evacuation summary");
    const { rows } = await w.db.raw("SELECT id FROM hazards WHERE kind = 'flood_zone' ORDER BY risk_level, id LIMIT 1");
    await page.selectOption("#evac-hazard", String(rows[0].id));
    await page.click("#evac-plan");
    await page.waitForSelector("#evac-assigned");
    expect(await page.textContent("#evac-assigned")).toMatch(/^拟安置: /);
    expect(await page.textContent("#evacuation")).not.toContain("已安置");
  });

  for (const [i, { size, device, suffix }] of SIZES.entries()) {
    it(`at ${size}: the audit trail names tables, fields and codes in words: 储备库库存, 状态 开放 → 关闭, an export's filters`, async () => {
      const w = e2e.world;
      const clerk = await w.db("users").where({ username: "clerk" }).first("id");
      const asClerk = withToken((await createToken(w.db, Number(clerk.id), "words test")).token);
      const { rows: shelters } = await w.db.raw("SELECT id::int, version FROM shelters WHERE status = 'open' ORDER BY id LIMIT 1");
      const closed = await asClerk(`${w.base}/api/v1/layers/shelters/features/${shelters[0].id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "If-Match": `"${shelters[0].version}"` },
        body: JSON.stringify({ properties: { status: "closed" } }),
      });
      expect(closed.status).toBe(200);
      // tents of a number of their own at each size: each run's stock is a change
      const tents = 7 + i;
      const { rows: depots } = await w.db.raw("SELECT id::int, version FROM depots WHERE level = 'village' ORDER BY id LIMIT 1");
      const stocked = await asClerk(`${w.base}/api/v1/depots/${depots[0].id}/stock`, {
        method: "PUT",
        headers: { "content-type": "application/json", "If-Match": `"${depots[0].version}"` },
        body: JSON.stringify({ rows: [{ item: "tent", quantity: tents }] }),
      });
      expect(stocked.status).toBe(200);
      const exported = await w.fetch(`${w.base}/api/v1/layers/shelters/export?format=csv&status=open&lang=zh`);
      expect(exported.status).toBe(200);
      await exported.arrayBuffer();

      const { page, errors } = await newMapPage(e2e.browser, w.base, "admin", device);
      await openPart(page, "audit");
      await page.waitForSelector("#audit-list > li");
      const entities = await page.locator("#audit-entity option").allTextContents();
      expect(entities).toEqual(expect.arrayContaining(["储备库库存", "用户账户", "API 令牌", "应急避难场所"]));
      const trail = (await page.locator("#audit-list > li").allTextContents()).join("\n");
      expect(trail).not.toMatch(CODES);
      const entry = page.locator("#audit-list > li", { hasText: `应急避难场所 #${shelters[0].id} · v${shelters[0].version + 1}` });
      expect(await entry.locator(".audit-changes li").allTextContents()).toContain("状态 开放 → 关闭");
      expect(trail).toContain("储备库库存");
      expect(trail).toMatch(new RegExp(`修改 储备库库存 #\\d+物资 帐篷数量 \\d+ → ${tents}`));
      expect(trail).toMatch(/筛选条件 状态 = 开放/);
      expect(trail).toMatch(/导出字段 名称、外部编码/);
      await entry.scrollIntoViewIfNeeded();
      await screenshot(page, `words-audit${suffix}-zh`);
      expect(errors).toEqual([]);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: a refusal from the server reads in Chinese on the Chinese page: 用户名或密码错误`, async () => {
      const w = e2e.world;
      const { page } = await newMapPage(e2e.browser, w.base, undefined, device);
      // a phone's sign-in by taps, a laptop's by the keyboard's Enter
      const touch = await page.evaluate(() => navigator.maxTouchPoints > 0);
      await (touch ? page.tap("#sign-in") : page.click("#sign-in"));
      await page.waitForSelector("#sign-in-dialog[open]");
      await page.fill("#sign-in-username", "admin");
      await page.fill("#sign-in-password", "not the password");
      await (touch ? page.tap("#sign-in-form button[type=submit]") : page.press("#sign-in-password", "Enter"));
      await page.waitForFunction(() => document.querySelector("#sign-in-dialog")?.textContent?.includes("用户名或密码错误"));
      expect(await page.locator("#sign-in-dialog").textContent()).not.toContain("wrong user name or password");
      expect(await page.isVisible("#sign-out")).toBe(false);
      await screenshot(page, `words-sign-in-refused${suffix}-zh`);
    });
  }
});
