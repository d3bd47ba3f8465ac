// An admin reads the audit trail in a real browser, at a laptop's size and on a phone: pages of entries, a
// filter by actor, and an edit shown with its fields before and after.
import { describe, expect, it } from "vitest";
import { newMapPage, openPart, screenshot, SIZES, useBrowserWorld } from "../support/browser.ts";
import { withToken } from "../support/world.ts";
import { createToken } from "../../server/auth/tokens.ts";

const e2e = useBrowserWorld();

describe("the audit trail", () => {
  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: an admin reads the audit trail: filtered by actor, the clerk's edit with its fields before and after`, async () => {
      const w = e2e.world;
      // the clerk's edit, through the API (a capacity of its own at each size: the edit is each run's)
      const { rows } = await w.db.raw("SELECT id::int, version, capacity FROM shelters ORDER BY id LIMIT 1");
      const edited = rows[0];
      const capacity = edited.capacity + 1;
      const clerk = await w.db("users").where({ username: "clerk" }).first("id");
      const asClerk = withToken((await createToken(w.db, Number(clerk.id), "audit test")).token);
      const res = await asClerk(`${w.base}/api/v1/layers/shelters/features/${edited.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "If-Match": `"${edited.version}"` },
        body: JSON.stringify({ properties: { capacity } }),
      });
      expect(res.status).toBe(200);

      const { page, errors } = await newMapPage(e2e.browser, w.base, "admin", device);
      await openPart(page, "audit");
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
      // this edit: the shelter at the version it made
      const entry = page.locator("#audit-list > li", { hasText: `#${edited.id} · v${edited.version + 1}` });
      expect(await entry.count()).toBe(1);
      expect(await entry.textContent()).toContain("修改");
      expect(await entry.locator(".audit-changes li").allTextContents()).toEqual([`容纳人数 ${edited.capacity} → ${capacity}`]);
      // a phone's reader raises the sheet to its full height to read the trail
      if (await page.isVisible("#sheet-bar")) await page.tap("#sheet-handle");
      await entry.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => !document.querySelector("#panel")!.getAnimations().length);
      await screenshot(page, `audit${suffix}-zh`);
      expect(errors).toEqual([]);
    });
  }
});
