// Any screen, in a real browser: a phone's and a tablet's own layout (the map fills the screen, the panel
// is a bottom sheet), the main workflows on a phone by touch, and an automated WCAG 2.1 AA check (axe-core).
import { describe, expect, it } from "vitest";
import type { BrowserContextOptions, Page } from "playwright-core";
import { createRequire } from "node:module";
import type { GeoJSONSource } from "maplibre-gl";
import { drawnSoon, expectAnswerInView, newMapPage, PASSWORD, PHONE, reachable, screenshot, useBrowserWorld, waitForMap } from "../support/browser.ts";

const e2e = useBrowserWorld();
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const TABLET: BrowserContextOptions = { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true };
const TABLET_LANDSCAPE: BrowserContextOptions = { viewport: { width: 1024, height: 700 }, hasTouch: true };

/** WCAG 2.0 and 2.1, A and AA, as axe-core finds them on the page as it stands: each as "rule: element, …". */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return violations;
}

/** The part of the map the sheet leaves free, in the map's own pixels: [width, height above the sheet]. */
const freeMap = (page: Page) =>
  page.evaluate(() => {
    const map = document.querySelector("#map")!.getBoundingClientRect();
    const panel = document.querySelector("#panel")!.getBoundingClientRect();
    return { width: map.width, height: Math.min(map.height, panel.top - map.top), top: map.top, left: map.left };
  });

/**
 * Tap the first empty spot of the map above the sheet (no feature but a township under the finger), scanning
 * rows from `rows(height)[0]` towards `[1]` (px below the map's top, 7 px apart); where it is on the map.
 */
async function tapEmptySpot(page: Page, rows: (height: number) => [from: number, to: number]) {
  const free = await freeMap(page);
  const [from, to] = rows(free.height);
  const spot = await page.evaluate(
    ({ width, from, to }) => {
      const { map } = window.hazmap;
      const step = from < to ? 7 : -7;
      for (let y = from; step > 0 ? y < to : y > to; y += step)
        for (let x = 40; x < width - 40; x += 7)
          if (map.queryRenderedFeatures([x, y]).every((f) => f.sourceLayer === "townships")) return { x, y, ...map.unproject([x, y]) };
      throw new Error("no empty spot");
    },
    { width: free.width, from, to },
  );
  await page.touchscreen.tap(free.left + spot.x, free.top + spot.y);
  return spot;
}

/** Every control of the header and the panel smaller than 44×44 px (a checkbox or radio is measured by its label). */
const smallTargets = (page: Page, controls = "header :is(button, input), #panel :is(button, select, input, summary, a[href], [tabindex='0'])") =>
  page.evaluate(
    (controls) =>
      [...document.querySelectorAll<HTMLElement>(controls)].flatMap((e) => {
        const box = (e instanceof HTMLInputElement && (e.type === "checkbox" || e.type === "radio") ? e.labels?.[0] : e)?.getBoundingClientRect();
        if (!box || box.width === 0 || e.closest("[hidden], details:not([open]) > :not(summary)")) return [];
        return box.height < 44 || box.width < 44
          ? [`${e.id || e.tagName.toLowerCase()} "${e.textContent?.trim().slice(0, 20)}" ${box.width.toFixed(0)}×${box.height.toFixed(0)}`]
          : [];
      }),
    controls,
  );

/** Sign in with taps alone (the sheet stays out of the way); the page reloads, built for the role. */
async function tapSignIn(page: Page, username: string) {
  await page.tap("#sign-in");
  await page.waitForSelector("#sign-in-dialog[open]");
  expect(await smallTargets(page, "#sign-in-form :is(input, button)")).toEqual([]);
  await page.fill("#sign-in-username", username);
  await page.fill("#sign-in-password", PASSWORD);
  await Promise.all([page.waitForEvent("load"), page.tap("#sign-in-form button[type=submit]")]);
  await waitForMap(page);
}

/** A screenshot once the map has stopped moving and drawn its tiles. */
async function settledScreenshot(page: Page, name: string) {
  await page.waitForFunction(() => !window.hazmap.map.isMoving() && window.hazmap.map.areTilesLoaded());
  await screenshot(page, name);
}

/** The sheet's state once it has stopped moving and scrolling. */
async function sheetAt(page: Page, state: "peek" | "half" | "full") {
  await page.waitForFunction((s) => document.querySelector<HTMLElement>("#panel")!.dataset.sheet === s, state);
  await page.waitForFunction(() => !document.querySelector("#panel")!.getAnimations().length);
  await page.evaluate(
    () =>
      new Promise<void>((settled) => {
        const panel = document.querySelector("#panel")!;
        let last = -1;
        const still = () => (panel.scrollTop === last ? settled() : ((last = panel.scrollTop), setTimeout(still, 150)));
        still();
      }),
  );
}

/** The sheet risen to half with the nearest resources in reach, the first depot the API's for `at`. */
async function expectSheetRaisedToNearest(page: Page, at: { lng: number; lat: number }) {
  const w = e2e.world;
  await page.waitForSelector("#nearest ol[data-layer=depots] li");
  await sheetAt(page, "half");
  await page.waitForFunction(() => !window.hazmap.map.isMoving());
  expect(await reachable(page, "#nearest .results li")).toBe(true);
  const listed = await page.textContent("#nearest ol[data-layer=depots] li");
  const api = await (await w.fetch(`${w.base}/api/v1/nearest?layer=depots&lon=${at.lng}&lat=${at.lat}&limit=3`)).json();
  expect(listed!.startsWith(api.features[0].properties.name)).toBe(true);
}

describe("a phone and a tablet: the map fills the screen, the panel is a bottom sheet", () => {
  it("at 390×844, 820×1180 and 1024×700 the map fills the screen, the whole county shows above the peeking sheet, and sign-in and search are reachable", async () => {
    const w = e2e.world;
    const { bounds } = await (await w.fetch(`${w.base}/tiles/townships.json`)).json();
    for (const [device, name] of [
      [PHONE, "screens-phone-390x844-zh"],
      [TABLET, "screens-tablet-820x1180-zh"],
      [TABLET_LANDSCAPE, "screens-tablet-1024x700-zh"],
    ] as const) {
      const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, device);
      const { width, height } = device.viewport!;
      const map = (await page.locator("#map").boundingBox())!;
      expect(map.width, name).toBe(width);
      expect(map.y + map.height, name).toBe(height);
      expect(await page.getAttribute("#panel", "data-sheet")).toBe("peek");
      const free = await freeMap(page);
      expect(free.height, name).toBeGreaterThan(height * 0.6);
      // each corner of the county is drawn inside the map, above the sheet
      const corners = await page.evaluate(
        ([w, s, e, n]) =>
          [
            [w, s],
            [e, n],
            [w, n],
            [e, s],
          ].map((c) => window.hazmap.map.project(c as [number, number])),
        bounds as number[],
      );
      for (const c of corners) {
        expect(c.x, `${name}: corner ${c.x},${c.y}`).toBeGreaterThanOrEqual(0);
        expect(c.x, name).toBeLessThanOrEqual(free.width);
        expect(c.y, name).toBeGreaterThanOrEqual(0);
        expect(c.y, name).toBeLessThanOrEqual(free.height);
      }
      for (const s of ["#sign-in", "#search-input", "#lang", "#sheet-handle", ".maplibregl-ctrl-zoom-in"])
        expect(await reachable(page, s), `${name}: ${s}`).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await settledScreenshot(page, name);
      // the sheet at full height leaves the header, and so signing in, uncovered; every control is big enough to tap
      await page.tap("#sheet-handle");
      await sheetAt(page, "half");
      await page.tap("#sheet-handle");
      await sheetAt(page, "full");
      expect(await reachable(page, "#sign-in"), name).toBe(true);
      expect(await reachable(page, "#search-input"), name).toBe(true);
      for (const details of await page.locator("#panel details:not([hidden]) > summary").all()) await details.tap();
      expect(await smallTargets(page), name).toEqual([]);
      await page.tap("#sheet-handle");
      await sheetAt(page, "peek");
      expect(errors).toEqual([]);
    }
  });

  it("a desktop keeps the panel beside the map, with no sheet", async () => {
    const { page } = await newMapPage(e2e.browser, e2e.world.base);
    expect(await page.isVisible("#sheet-bar")).toBe(false);
    const [map, panel] = [(await page.locator("#map").boundingBox())!, (await page.locator("#panel").boundingBox())!];
    expect(map.x + map.width).toBeLessThanOrEqual(panel.x + 1);
    expect(await page.evaluate(() => window.hazmap.map.getPadding().bottom)).toBe(0);
    await settledScreenshot(page, "screens-desktop-1366x768-zh");
  });

  it("a phone: tapping the map raises the sheet to the nearest resources, the API's answer for that point", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base, undefined, PHONE);
    // an empty spot above the sheet, in its lower half (the sheet rises over it)
    const spot = await tapEmptySpot(page, (height) => [Math.round(height * 0.9), height / 2]);
    await expectSheetRaisedToNearest(page, spot);
    await settledScreenshot(page, "screens-phone-nearest-zh");
  });

  it("a phone with a keyboard: Enter on the map asks from its centre and raises the sheet to the answer, as a tap does", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base, undefined, PHONE);
    await page.focus("#map canvas");
    const at = await page.evaluate(() => window.hazmap.map.getCenter());
    await page.keyboard.press("Enter");
    await expectSheetRaisedToNearest(page, at);
  });

  it("a phone: the layers tab opens the layer list; tapping a layer hides it on the map, and the list stays where it was", async () => {
    const { page } = await newMapPage(e2e.browser, e2e.world.base, undefined, PHONE);
    await page.tap("#sheet-tabs button[aria-controls=layers]");
    await sheetAt(page, "half");
    expect(await reachable(page, "#layers h2")).toBe(true);
    const visibility = () => page.evaluate(() => window.hazmap.map.getLayoutProperty("shelters-point", "visibility") ?? "visible");
    expect(await visibility()).toBe("visible");
    await page.tap("#layers label[for=toggle-shelters]");
    expect(await page.isChecked("#toggle-shelters")).toBe(false);
    expect(await visibility()).toBe("none");
    await settledScreenshot(page, "screens-phone-layers-zh");
    // a layer further down the list, toggled: the sheet keeps its place in the list
    const last = page.locator("#layers li:last-child label");
    await last.scrollIntoViewIfNeeded();
    await sheetAt(page, "half");
    const scrolled = () => page.evaluate(() => document.querySelector("#panel")!.scrollTop);
    const before = await scrolled();
    expect(before).toBeGreaterThan(0);
    await last.tap();
    await sheetAt(page, "half");
    expect(await scrolled()).toBe(before);
  });

  it("a phone: a planner signs in by taps and checks shelter coverage; the uncovered villages are the API's", async () => {
    const w = e2e.world;
    const { page } = await newMapPage(e2e.browser, w.base, undefined, PHONE);
    await tapSignIn(page, "planner");
    expect(await reachable(page, "#sign-out")).toBe(true);
    await page.tap("#sheet-tabs button[aria-controls=planner]");
    await sheetAt(page, "half");
    await page.fill("#gap-radius", "5");
    await page.tap("#find-gaps");
    await page.waitForSelector("#gap-summary");
    const api = await (await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=5000`)).json();
    expect(api.summary.uncovered_villages).toBeGreaterThan(0);
    expect(await page.textContent("#gap-summary")).toContain(`${api.summary.uncovered_villages} 个村`);
    expect(await reachable(page, "#gap-summary")).toBe(true);
    await settledScreenshot(page, "screens-phone-planner-zh");
  });
});

describe("WCAG 2.1 AA (axe-core) finds nothing", () => {
  for (const [device, size] of [
    [{}, "desktop 1366×768"],
    [PHONE, "phone 390×844"],
  ] as const) {
    it(`at ${size}: anonymous with the search open, then a commander signed in (by taps on a phone) with every panel open`, async () => {
      const w = e2e.world;
      // axe's script goes in as an inline script, which the product's CSP refuses
      const { page } = await newMapPage(e2e.browser, w.base, undefined, { ...device, bypassCSP: true });
      const { rows } = await w.db.raw("SELECT name FROM villages ORDER BY id LIMIT 1");
      await page.fill("#search-input", rows[0].name.slice(0, 2));
      await page.waitForSelector("#search-results li");
      expect(await accessibilityViolations(page), `${size}, anonymous`).toEqual([]);
      await page.fill("#search-input", "");
      if (device === PHONE) await tapSignIn(page, "commander");
      else {
        await page.click("#sign-in");
        await page.fill("#sign-in-username", "commander");
        await page.fill("#sign-in-password", PASSWORD);
        await Promise.all([page.waitForEvent("load"), page.press("#sign-in-password", "Enter")]);
        await waitForMap(page);
      }
      await page.evaluate(() => {
        for (const d of document.querySelectorAll<HTMLDetailsElement>("#panel details")) d.open = true;
        document.querySelector<HTMLElement>("#panel")!.dataset.sheet = "full";
      });
      expect(await accessibilityViolations(page), `${size}, commander`).toEqual([]);
    });
  }
});

describe("a phone: what a tap opens lands above the sheet, its popup clear of it", () => {
  /** Where the popup's point is (page pixels), the popup's box and the top of the sheet, once the map has come to rest. */
  async function placed(page: Page, lonLat: [number, number]) {
    await page.waitForSelector(".maplibregl-popup");
    // the map comes to rest, and then may move the popup into view: rest twice
    for (let i = 0; i < 2; i++) {
      await page.waitForFunction(() => !window.hazmap.map.isMoving());
      await page.waitForTimeout(400);
    }
    return page.evaluate((at) => {
      const map = document.querySelector("#map")!.getBoundingClientRect();
      const point = window.hazmap.map.project(at);
      const popup = document.querySelector(".maplibregl-popup")!.getBoundingClientRect();
      return {
        x: map.left + point.x,
        y: map.top + point.y,
        popup: { top: popup.top, bottom: popup.bottom, left: popup.left, right: popup.right },
        mapTop: map.top,
        sheetTop: document.querySelector("#panel")!.getBoundingClientRect().top,
        controls: (({ left, right, top, bottom }) => ({ left, right, top, bottom }))(
          document.querySelector(".maplibregl-ctrl-top-left")!.getBoundingClientRect(),
        ),
      };
    }, lonLat);
  }

  /** The point above the sheet and below the top bar, the popup's box wholly between them and on screen. */
  function expectClear(where: Awaited<ReturnType<typeof placed>>, what: string) {
    expect(where.y, `${what}: the point above the sheet`).toBeLessThan(where.sheetTop);
    expect(where.y, `${what}: the point below the top bar`).toBeGreaterThan(where.mapTop);
    expect(where.popup.bottom, `${what}: the popup clear of the sheet`).toBeLessThanOrEqual(where.sheetTop);
    expect(where.popup.top, `${what}: the popup below the top bar`).toBeGreaterThanOrEqual(where.mapTop);
    expect(where.popup.left).toBeGreaterThanOrEqual(0);
    expect(where.popup.right).toBeLessThanOrEqual(PHONE.viewport!.width);
    // nor under the zoom buttons
    const { controls: c, popup: p } = where;
    expect(p.left >= c.right || p.top >= c.bottom || p.bottom <= c.top, `${what}: the popup beside the zoom buttons`).toBe(true);
  }

  /** A feature's coordinates from its popup's layer and id. */
  async function openedAt(page: Page): Promise<[number, number]> {
    const [layer, id] = await page.$eval(".maplibregl-popup [data-layer]", (e) => [(e as HTMLElement).dataset.layer!, (e as HTMLElement).dataset.id!]);
    const { rows } = await e2e.world.db.raw(`SELECT ST_X(geom) x, ST_Y(geom) y FROM ${layer} WHERE id = ?`, [Number(id)]);
    return [rows[0].x, rows[0].y];
  }

  it("a search hit: the map flies there and the village and its popup show above the half-open sheet", async () => {
    const w = e2e.world;
    const { page, errors } = await newMapPage(e2e.browser, w.base, undefined, PHONE);
    // the southernmost village: low on the map, where the sheet is
    const { rows } = await w.db.raw("SELECT name, ST_X(geom) x, ST_Y(geom) y FROM villages ORDER BY ST_Y(geom) LIMIT 1");
    // the sheet half open, as when one reads it and then looks something up
    await page.tap("#sheet-handle");
    await sheetAt(page, "half");
    await page.fill("#search-input", rows[0].name);
    await page.waitForSelector("#search-results li");
    await page.press("#search-input", "Enter");
    await page.waitForSelector(`.maplibregl-popup [data-layer=villages]`);
    expectClear(await placed(page, [rows[0].x, rows[0].y]), "search");
    await settledScreenshot(page, "screens-phone-search-popup-zh");
    expect(errors).toEqual([]);
  });

  it("a nearest result tapped in the half-open sheet: the depot and its popup above the sheet", async () => {
    const { page, errors } = await newMapPage(e2e.browser, e2e.world.base, undefined, PHONE);
    await tapEmptySpot(page, (height) => [Math.round(height * 0.5), height - 20]);
    await page.waitForSelector("#nearest ol[data-layer=depots] li button");
    await sheetAt(page, "half");
    await page.tap("#nearest ol[data-layer=depots] li button");
    await page.waitForSelector(".maplibregl-popup [data-layer=depots]");
    const depot = await openedAt(page);
    expectClear(await placed(page, depot), "nearest result");
    // and the line to it from where was tapped (its route by road, or a straight line), the popup a few lines
    const key = await page.$eval("#nearest ol[data-layer=depots] li button", (b) => (b as HTMLElement).dataset.key!);
    const line = await page.evaluate(async (k) => {
      const data = (await window.hazmap.map.getSource<GeoJSONSource>("nearest-lines")!.getData()) as GeoJSON.FeatureCollection<GeoJSON.LineString>;
      return data.features.find((f) => f.properties!.key === k)!.geometry.coordinates as [number, number][];
    }, key);
    expect(line.length).toBeGreaterThan(1);
    await expectAnswerInView(page, depot, line);
    await settledScreenshot(page, "screens-phone-result-popup-zh");
    expect(errors).toEqual([]);
  });

  it("a shelter tapped near the top of the map and one near the sheet: each point with its popup in view", async () => {
    const { page, errors } = await newMapPage(e2e.browser, e2e.world.base, undefined, PHONE);
    await page.evaluate(() => window.hazmap.map.jumpTo({ zoom: window.hazmap.map.getZoom() + 1 }));
    await page.waitForFunction(() => window.hazmap.map.areTilesLoaded());
    await drawnSoon(page, ["shelters-point"]);
    for (const where of ["top", "bottom"] as const) {
      const free = await freeMap(page);
      // the shelter drawn nearest the top (or the bottom) of the free map, not at its very edge
      const icon = await page.evaluate(
        ({ where, height }) => {
          const { map } = window.hazmap;
          const shown = map
            .queryRenderedFeatures({ layers: ["shelters-point"] })
            .map((f) => ({ id: Number(f.id), at: map.project((f.geometry as GeoJSON.Point).coordinates as [number, number]) }))
            .filter((f) => f.at.y > 30 && f.at.y < height - 30 && f.at.x > 30 && f.at.x < innerWidth - 30);
          shown.sort((a, b) => (where === "top" ? a.at.y - b.at.y : b.at.y - a.at.y));
          return shown[0]!;
        },
        { where, height: free.height },
      );
      await page.touchscreen.tap(free.left + icon.at.x, free.top + icon.at.y);
      // its popup (or that of what is drawn over it there: a village's dot, a hazard)
      await page.waitForSelector(".maplibregl-popup [data-layer]");
      expectClear(await placed(page, await openedAt(page)), `a shelter near the ${where}`);
      if (where === "top") await settledScreenshot(page, "screens-phone-tap-popup-zh");
      await page.tap(".maplibregl-popup-close-button");
    }
    expect(errors).toEqual([]);
  });
});
