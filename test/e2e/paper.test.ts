// Paper from the web app, in Chinese at 1366×768 and on a phone: the map printed as a PDF, a township's
// evacuation book.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clickOnMap, newMapPage, openPart, screenshot, SIZES, useBrowserWorld } from "../support/browser.ts";
import { readPdf } from "../support/pdf.ts";

const e2e = useBrowserWorld();
const squeeze = (s: string) => s.replace(/\s+/g, "");

describe("paper", () => {
  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: a commander prints the map as an A4 PDF: the map at 200 dpi, title, unit, the screen's legend of what is shown, as text`, async () => {
      const { page, errors } = await newMapPage(e2e.browser, e2e.world.base, "commander", device);
      await page.click("#print");
      await page.fill("#print-title", "石场村山洪转移图");
      await page.fill("#print-unit", "示范县应急管理局");
      await page.selectOption("#print-paper", "A4");
      await page.selectOption("#print-orientation", "landscape");
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click("#print-make")]);
      expect(download.suggestedFilename()).toBe("石场村山洪转移图.pdf");
      const pdf = readPdf(readFileSync((await download.path())!), `print-map${suffix}-zh`);
      expect(pdf.pages).toBe(1);
      expect(pdf.fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
      const text = squeeze(pdf.text);
      for (const words of ["石场村山洪转移图", "示范县应急管理局", "图例", "北", "制图日期", "比例尺"]) expect(text).toContain(words);
      // the legend is the screen's: each key of each layer shown, under its layer's name where it has several
      for (const words of [
        "应急避难场所·空余≥30%",
        "救援队伍·综合消防救援",
        "应急物资储备库·县级储备库",
        "危险源/风险隐患点·重大",
        "行政村(大小示人口)",
        "乡镇界",
        "县城、乡镇、村",
      ])
        expect(text).toContain(words);
      // the map frame of A4 landscape (267 × 155 mm) at 200 dpi, whatever the screen
      const [, , , width, height, , , , , , , , ppi] = pdf.images[0]!.trim().split(/\s+/);
      expect(Math.abs(Number(width) - (267 / 25.4) * 200)).toBeLessThan(4);
      expect(Math.abs(Number(height) - (155 / 25.4) * 200)).toBeLessThan(4);
      expect(Math.abs(Number(ppi) - 200)).toBeLessThan(2);
      expect(await page.isVisible("#print-dialog")).toBe(false);
      expect(errors).toEqual([]);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: a planner downloads a township's evacuation book from the planning panel`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, "planner", device);
      await openPart(page, "planner");
      const township = await w.db("townships").orderBy("admin_code", "desc").first("admin_code", "name");
      await page.waitForSelector(`#book-township option[value="${township.admin_code}"]`, { state: "attached" });
      await page.selectOption("#book-township", township.admin_code);
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click("#evacuation-book")]);
      expect(download.suggestedFilename()).toBe(`${township.name}避险转移手册.pdf`);
      const pdf = readPdf(readFileSync((await download.path())!));
      const text = squeeze(pdf.text);
      expect(text).toContain(`${township.name}避险转移手册`);
      const villages = await w.db("villages").where({ township_code: township.admin_code }).where("population", ">", 0).select("name", "population");
      for (const v of villages) expect(text).toContain(squeeze(`${v.name} 人口 ${v.population.toLocaleString("en-US")} 人`));
      await screenshot(page, `book-planner${suffix}-zh`);
      expect(errors).toEqual([]);
    });
  }

  for (const { size, device, suffix } of SIZES) {
    it(`at ${size}: a commander downloads a village's township book from the village's popup`, async () => {
      const w = e2e.world;
      const { page, errors } = await newMapPage(e2e.browser, w.base, "commander", device);
      const { rows } = await w.db.raw(
        "SELECT v.name, v.township_code, t.name AS township, ST_X(v.geom) AS x, ST_Y(v.geom) AS y FROM villages v JOIN townships t ON t.admin_code = v.township_code ORDER BY v.id LIMIT 1",
      );
      await clickOnMap(page, rows[0].x, rows[0].y);
      await page.waitForSelector(".maplibregl-popup .evacuation-book");
      await page.waitForFunction(() => !window.hazmap.map.isMoving() && window.hazmap.map.areTilesLoaded());
      await screenshot(page, `book-popup${suffix}-zh`);
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), page.click(".maplibregl-popup .evacuation-book")]);
      const text = squeeze(readPdf(readFileSync((await download.path())!)).text);
      expect(text).toContain(`${rows[0].township}避险转移手册`);
      expect(text).toContain(rows[0].name);
      expect(errors).toEqual([]);
    });
  }

  it("a viewer is not offered the book", async () => {
    const { page } = await newMapPage(e2e.browser, e2e.world.base, "viewer");
    await page.click("#planner summary");
    expect(await page.locator("#evacuation-book").count()).toBe(0);
  });
});
