// Editing a shelter in a real browser, by role: a clerk's form with field errors and a stale edit
// explained, a commander who may change occupancy alone, a clerk of another township refused.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { clickOnMap, newMapPage, PASSWORD, screenshot, useBrowserWorld } from "../support/browser.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import type { World } from "../support/world.ts";

const e2e = useBrowserWorld();

/** A shelter with nothing drawn above it nearby (depots, teams and hazards are drawn over shelters), as it stands now. */
async function quietShelter(w: World): Promise<{ id: number; version: number; capacity: number; x: number; y: number }> {
  const { rows } = await w.db.raw(`
    SELECT s.id::int, s.version, s.capacity, ST_X(s.geom) AS x, ST_Y(s.geom) AS y FROM shelters s
    WHERE NOT EXISTS (SELECT 1 FROM depots d WHERE ST_DWithin(d.geom::geography, s.geom::geography, 300))
      AND NOT EXISTS (SELECT 1 FROM teams t WHERE ST_DWithin(t.geom::geography, s.geom::geography, 300))
      AND NOT EXISTS (SELECT 1 FROM hazards h WHERE ST_DWithin(h.geom::geography, s.geom::geography, 300))
    ORDER BY s.id LIMIT 1`);
  return rows[0];
}

/** Open the editor the way people do: click the shelter, then Edit in its popup. */
async function openEditor(page: Page, s: { x: number; y: number }) {
  await clickOnMap(page, s.x, s.y);
  await page.click(".maplibregl-popup button.edit");
  await page.waitForSelector("#editor-form");
}

describe("editing a shelter on the map", () => {
  it("a clerk edits a shelter in the form: field errors beside the field, a stale edit explained", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base, "clerk");
    const s = await quietShelter(w);
    await openEditor(page, s);

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
    await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": `"${saved.properties.version}"` },
      body: JSON.stringify({ properties: { occupancy: 7 } }),
    });
    await page.fill("#edit-capacity", "999");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-message .conflict");
    expect(await page.textContent("#editor-message")).toContain("其他人已修改");
    const after = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`)).json();
    expect(after.properties).toMatchObject({ capacity: 4321, occupancy: 7 });
    await screenshot(page, "07-edit-conflict");
  });

  it("a commander changes only a shelter's occupancy: the form shows that field alone", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base, "commander");
    expect(await page.locator("#editor button[id^=add-]").count()).toBe(0);
    const s = await quietShelter(w);
    await openEditor(page, s);
    expect(await page.locator("#editor-form [name]").evaluateAll((fields) => fields.map((f) => f.getAttribute("name")))).toEqual(["occupancy"]);
    await page.fill("#edit-occupancy", "12");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-message .ok");
    const after = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`)).json();
    expect(after.properties).toMatchObject({ capacity: s.capacity, occupancy: 12 });
  });

  it("a clerk of another township is refused, and the form says why in the server's words, in Chinese, naming the township", async () => {
    const w = e2e.world;
    const s = await quietShelter(w);
    const { rows } = await w.db.raw(
      "SELECT admin_code, name FROM townships WHERE NOT ST_Covers(geom, (SELECT geom FROM shelters WHERE id = ?)) ORDER BY admin_code LIMIT 1",
      [s.id],
    );
    await createAccount(w.db, { username: "clerk.hill", password: PASSWORD, roles: ["clerk"], townships: [rows[0].admin_code] });
    const { page } = await newMapPage(e2e.browser, w.base, "clerk.hill");
    await openEditor(page, s);
    await page.fill("#edit-capacity", "1");
    await page.click("#editor-form button[type=submit]");
    await page.waitForSelector("#editor-message .conflict");
    expect(await page.textContent("#editor-message")).toBe(`应急避难场所 ${s.id} 位于您负责的乡镇（${rows[0].name} ${rows[0].admin_code}）之外`);
    const after = await (await w.fetch(`${w.base}/api/v1/layers/shelters/features/${s.id}`)).json();
    expect(after.properties.capacity).toBe(s.capacity);
  });
});
