// An analyst in a real browser: exports with the keyboard alone, and API tokens.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { newMapPage, screenshot, useBrowserWorld } from "../support/browser.ts";

const e2e = useBrowserWorld();

describe("an analyst's exports and tokens", () => {
  it("an analyst exports a derived risk layer, limited to the view, with the keyboard alone", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base, "analyst");
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
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base, "analyst");
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
});
