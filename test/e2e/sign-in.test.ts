// Signing in with the keyboard alone, in a real browser; a viewer is offered no editing, export or admin panels.
import { describe, expect, it } from "vitest";
import { clickOnMap, newMapPage, PASSWORD, screenshot, useBrowserWorld, waitForMap } from "../support/browser.ts";

const e2e = useBrowserWorld();

describe("signing in", () => {
  it("signs in with the keyboard alone; a viewer sees no editor, no export and no admin panels", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base);
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
    await page.waitForSelector("#sign-in-error:has-text('用户名或密码错误')"); // the server's words, in the page's language
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("sign-in-password");
    await screenshot(page, "11-sign-in-refused");
    await page.keyboard.type(PASSWORD); // the wrong one is selected: typing replaces it
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    await waitForMap(page);

    expect(await page.textContent("#account-name")).toBe("赵敏 · 查看员");
    for (const panel of ["#editor", "#export", "#tokens", "#audit"]) expect(await page.isHidden(panel), `viewer: ${panel}`).toBe(true);
    const { rows } = await w.db.raw("SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM shelters ORDER BY id LIMIT 1");
    await clickOnMap(page, rows[0].x, rows[0].y);
    await page.waitForSelector(".maplibregl-popup table");
    expect(await page.locator(".maplibregl-popup button.edit").count()).toBe(0);
    await screenshot(page, "12-viewer");
  });
});
