// Editing a shelter in a real browser, by role, at a laptop's size and on a phone: a clerk's form with field
// errors and a stale edit explained, a commander who may change occupancy alone, a clerk of another
// township refused.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { clickOnMap, drawnSoon, newMapPage, openPart, PASSWORD, reachable, rendered, screenshot, SIZES, useBrowserWorld } from "../support/browser.ts";
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

/** Open the editor the way people do: click the shelter, then Edit in its popup; the form comes into view (a phone's sheet rises to it). */
async function openEditor(page: Page, s: { x: number; y: number }) {
  await clickOnMap(page, s.x, s.y);
  await page.click(".maplibregl-popup button.edit");
  await page.waitForSelector("#editor-form");
  await expect.poll(() => reachable(page, "#editor-form [name]")).toBe(true);
}

describe("editing a shelter on the map", () => {
  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: a clerk edits a shelter in the form: field errors beside the field, a stale edit explained`, async () => {
      const w = e2e.world;
      const { page } = await newMapPage(e2e.browser, w.base, "clerk", device);
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
      await screenshot(page, `edit-conflict${suffix}-zh`);
    });
  }

  for (const { size, device } of SIZES) {
    it(`at ${size}: a commander changes only a shelter's occupancy: the form shows that field alone`, async () => {
      const w = e2e.world;
      const { page } = await newMapPage(e2e.browser, w.base, "commander", device);
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
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: a clerk adds a shelter and edits it at once; a form can be cancelled and the add buttons come back`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, "clerk", device);
      await openPart(page, "editor");
      const spot = await emptySpot(w);
      const name = `${suffix ? "手机" : ""}新建避难场所`;
      await page.click("#add-shelters");
      expect(await page.isVisible("#add-shelters")).toBe(true);
      await clickOnMap(page, spot.x, spot.y);
      await page.waitForSelector("#editor-form");
      await expect.poll(() => reachable(page, "#editor-form [name]")).toBe(true);
      expect(await page.isVisible("#add-shelters")).toBe(false); // the form stands in for the add buttons
      await page.fill("#edit-name", name);
      await page.fill("#edit-capacity", "300");
      await page.click("#editor-form button[type=submit]");
      await page.waitForSelector("#editor-message .ok");
      // the form now shows the server's defaults (已安置人数 0): saving again is an edit, and it saves
      expect(await page.inputValue("#edit-occupancy")).toBe("0");
      await page.fill("#edit-capacity", "350");
      await page.click("#editor-form button[type=submit]");
      await page.waitForFunction(() => document.querySelector("#editor-message .ok")?.textContent?.includes("v2"));
      expect(await page.locator("#editor-form .field-error").count()).toBe(0);
      const { rows } = await w.db.raw("SELECT capacity, occupancy, version FROM shelters WHERE name = ?", [name]);
      expect(rows).toEqual([{ capacity: 350, occupancy: 0, version: 2 }]);
      await screenshot(page, `clerk-create-edit${suffix}-zh`);
      await page.click("#editor-cancel");
      expect(await page.locator("#editor-form").count()).toBe(0);
      expect(await page.isVisible("#add-shelters")).toBe(true);
      expect(await page.locator(".maplibregl-marker").count()).toBe(0);
      expect(errors).toEqual([]);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: a clerk sees their township outlined and named, is offered 编辑 only inside it, and a refusal names the townships in Chinese`, async () => {
      const w = e2e.world;
      const s = await quietShelter(w);
      const { rows } = await w.db.raw(
        `SELECT mine.admin_code, mine.name AS mine, theirs.name AS theirs FROM townships mine, townships theirs
         WHERE ST_Covers(theirs.geom, (SELECT geom FROM shelters WHERE id = ?)) AND NOT ST_Covers(mine.geom, (SELECT geom FROM shelters WHERE id = ?))
         ORDER BY mine.admin_code LIMIT 1`,
        [s.id, s.id],
      );
      const { admin_code, mine, theirs } = rows[0];
      // a clerk of their own at each size
      const username = `clerk.hill${suffix}`;
      await createAccount(w.db, { username, password: PASSWORD, roles: ["clerk"], townships: [admin_code] });
      const { page } = await newMapPage(e2e.browser, w.base, username, device);
      expect(await rendered(page, ["my-townships-line"])).toBeGreaterThan(0);
      await drawnSoon(page, ["my-townships-label"]);
      const labels = await page.evaluate(() => window.hazmap.map.queryRenderedFeatures({ layers: ["my-townships-label"] }).map((f) => f.properties.name));
      expect(labels).toContain(mine);
      await screenshot(page, `clerk-township${suffix}-zh`);
      // outside: the popup reads, and offers no 编辑
      await clickOnMap(page, s.x, s.y);
      await page.waitForSelector(".maplibregl-popup [data-layer=shelters]");
      expect(await page.locator(".maplibregl-popup button.edit").count()).toBe(0);
      // a new shelter placed outside is refused, and the refusal names both townships
      await openPart(page, "editor");
      await page.click("#add-shelters");
      const spot = await emptySpot(w, admin_code);
      await clickOnMap(page, spot.x, spot.y);
      await page.waitForSelector("#editor-form");
      await page.fill("#edit-name", "越界避难所");
      await page.fill("#edit-capacity", "10");
      await page.click("#editor-form button[type=submit]");
      await page.waitForSelector("#editor-message .conflict");
      expect(await page.textContent("#editor-message")).toMatch(
        new RegExp(`^此操作会把应急避难场所 \\d+ 移到${spot.township}，在您负责的乡镇（${mine} ${admin_code}）之外$`),
      );
      expect(theirs).not.toBe(mine);
      await screenshot(page, `clerk-refused${suffix}-zh`);
    });
  }
});

/** A point inside a township (not `not`), with nothing drawn within 500 m: where a new shelter is placed by a click. */
async function emptySpot(w: World, not = ""): Promise<{ x: number; y: number; township: string }> {
  const { rows } = await w.db.raw(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y, t.name AS township FROM townships t, LATERAL ST_PointOnSurface(t.geom) p
     WHERE t.admin_code IS DISTINCT FROM ?
       AND NOT EXISTS (SELECT 1 FROM (SELECT geom FROM shelters UNION ALL SELECT geom FROM depots UNION ALL SELECT geom FROM teams
                                      UNION ALL SELECT geom FROM hazards UNION ALL SELECT geom FROM villages) o
                       WHERE ST_DWithin(o.geom::geography, p::geography, 500))
     ORDER BY t.admin_code LIMIT 1`,
    [not],
  );
  return rows[0];
}
