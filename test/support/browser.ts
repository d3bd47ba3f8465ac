import { afterAll, beforeAll, expect, onTestFinished } from "vitest";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import type { GeoJSONSource, Map as MapLibreMap } from "maplibre-gl";
import { mkdirSync } from "node:fs";
import { useDemoWorld, type DemoWorld } from "./demo_world.ts";
import { createAccount } from "../../server/auth/accounts.ts";

declare global {
  /** What web/src/main.ts leaves on the page's window: the map, for tests and the console. */
  interface Window {
    hazmap: { map: MapLibreMap };
  }
}

/** Debian's Chromium, headless, software WebGL; nothing leaves the machine. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
    ],
  });
}

/** One account per role (the clerk may edit the whole county), all with this password. */
export const PASSWORD = "e2e-passphrase";
export const ACCOUNTS = [
  { username: "viewer", display_name: "赵敏", roles: ["viewer"] },
  { username: "clerk", display_name: "钱进", roles: ["clerk"], townships: ["*"] },
  { username: "commander", display_name: "孙强", roles: ["commander"] },
  { username: "planner", display_name: "郑洁", roles: ["planner"] },
  { username: "analyst", display_name: "周琳", roles: ["analyst"] },
  { username: "admin", display_name: "吴磊", roles: ["admin"] },
];

/**
 * For the tests of one file: the demo county with an account per role (anonymous reads allowed unless
 * said otherwise, as in the demo), and Chromium. Each test opens its own page with newPage.
 */
export function useBrowserWorld({ anonymousRead = true } = {}): DemoWorld & { readonly browser: Browser } {
  const demo = useDemoWorld({
    anonymousRead,
    prepare: async (db) => {
      for (const a of ACCOUNTS) await createAccount(db, { ...a, password: PASSWORD });
    },
  });
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());
  return {
    get world() {
      return demo.world;
    },
    get snapshot() {
      return demo.snapshot;
    },
    get browser() {
      if (!browser) throw new Error("the browser starts before the tests: read it inside a test");
      return browser;
    },
  };
}

/** A page of the current test, and what went wrong in it or left the server. */
export interface TestPage {
  page: Page;
  /** Console errors and uncaught exceptions, but the one refusal expected while no one is signed in. */
  errors: string[];
  /** Requests to any host but the server. */
  foreignRequests: string[];
}

/** A phone held upright: 390×844, touch. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** The sizes every main workflow runs at: a 1366×768 laptop and a phone; `suffix` names their screenshots. */
export const SIZES = [
  { size: "1366×768", device: {} as BrowserContextOptions, suffix: "" },
  { size: "phone 390×844", device: PHONE, suffix: "-phone" },
] as const;

/**
 * Open a part of the panel (a `details` or a section, by id) as its user would: on a phone or tablet its
 * tab in the bottom sheet, on a wider screen its summary (left open if it is open).
 */
export async function openPart(page: Page, id: string) {
  if (await page.isVisible("#sheet-bar")) {
    await page.tap(`#sheet-tabs button[aria-controls=${id}]`);
    await sheetSettled(page);
  } else if (!(await page.$eval(`#${id}`, (e) => !(e instanceof HTMLDetailsElement) || e.open))) await page.click(`#${id} summary`);
}

/**
 * Resolves when the bottom sheet has stopped moving: while it rises the map's padding follows it, so a
 * centre set meanwhile is moved with the map (bottom_sheet.ts) — a test placing the map waits for this.
 */
async function sheetSettled(page: Page) {
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const was = window.hazmap.map.getPadding().bottom;
        setTimeout(() => resolve(window.hazmap.map.getPadding().bottom === was && !document.querySelector("#panel")?.getAnimations().length), 300);
      }),
  );
}

/**
 * A laptop-sized page (or another device's, `device`) in a browser context of its own (no cookies, no
 * storage), closed when the test ends.
 */
export async function newPage(browser: Browser, base: string, device: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, ...device });
  onTestFinished(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  const foreignRequests: string[] = [];
  // every console error counts, the anonymous first visit's too ("who is signed in?" answers 200, user null)
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => !r.url().startsWith(base) && !r.url().startsWith("blob:") && !r.url().startsWith("data:") && foreignRequests.push(r.url()));
  return { page, errors, foreignRequests };
}

/** A new page (newPage) with the map open on it, signed in as `username` when given. */
export async function newMapPage(browser: Browser, base: string, username?: string, device?: BrowserContextOptions): Promise<TestPage> {
  const opened = await newPage(browser, base, device);
  await openMap(opened.page, base);
  if (username) await signInAs(opened.page, username, PASSWORD);
  return opened;
}

export const SCREENSHOTS = new URL("../../test-results/e2e/", import.meta.url);

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname });
}

/** Open the app and wait until the map has drawn every tile and the panels are up. */
export async function openMap(page: Page, base: string) {
  await page.goto(base);
  await waitForMap(page);
}

/**
 * Sign in through the top bar's form, as people do (signing out first when someone is signed in); the
 * page reloads, built for the new roles, and this waits for its map.
 */
export async function signInAs(page: Page, username: string, password: string) {
  if (await page.isVisible("#sign-out")) {
    await Promise.all([page.waitForEvent("load"), page.click("#sign-out")]);
    await waitForMap(page);
  }
  await page.click("#sign-in");
  await page.fill("#sign-in-username", username);
  await page.fill("#sign-in-password", password);
  await Promise.all([page.waitForEvent("load"), page.press("#sign-in-password", "Enter")]);
  await waitForMap(page);
}

/** Wait until the map has drawn every tile and the panels are up. */
export async function waitForMap(page: Page) {
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  await page.waitForFunction(() => window.hazmap.map.loaded() && window.hazmap.map.areTilesLoaded(), null, { timeout: 30_000 });
}

/** Zoom to a point and click it, as a person clicks a feature on the map (taps it, on a touch screen). */
export async function clickOnMap(page: Page, x: number, y: number) {
  await page.evaluate((lonLat) => window.hazmap.map.jumpTo({ center: lonLat, zoom: 15 }), [x, y] as [number, number]);
  // an open popup may move the map after the jump to keep itself in view (popup_in_view.ts): click where the point is once it rests
  await page.waitForFunction(() => !window.hazmap.map.isMoving() && window.hazmap.map.areTilesLoaded());
  const at = await page.evaluate((lonLat) => window.hazmap.map.project(lonLat), [x, y] as [number, number]);
  const box = (await page.locator("#map").boundingBox())!;
  if (await page.evaluate(() => navigator.maxTouchPoints > 0)) await page.touchscreen.tap(box.x + at.x, box.y + at.y);
  else await page.mouse.click(box.x + at.x, box.y + at.y);
}

/** Whether the element is on screen and is what a finger at its centre touches (nothing covers it). */
export const reachable = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const e = document.querySelector(s);
    if (!e) return false;
    const r = e.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    return r.width > 0 && x >= 0 && y >= 0 && x <= innerWidth && y <= innerHeight && e.contains(document.elementFromPoint(x, y));
  }, selector);

/**
 * Waits until these map layers draw a feature (feature `id` when given): labels are placed a few frames
 * after the tiles load, so a symbol layer read at once may not have them yet.
 */
export const drawnSoon = (page: Page, layers: string[], id?: number) =>
  page.waitForFunction(
    ([ls, i]) => window.hazmap.map.queryRenderedFeatures({ layers: ls as string[] }).some((f) => i === null || f.id === i),
    [layers, id ?? null] as const,
    { timeout: 10_000 },
  );

/** How many features of these map layers are drawn. */
export const rendered = (page: Page, layers: string[]) => page.evaluate((ids) => window.hazmap.map.queryRenderedFeatures({ layers: ids }).length, layers);

/** How many features a GeoJSON overlay of the map holds. */
export const drawn = (page: Page, source: string) =>
  page.evaluate(async (id) => {
    const data = await window.hazmap.map.getSource<GeoJSONSource>(id)!.getData();
    return data.type === "FeatureCollection" ? data.features.length : 1;
  }, source);

/**
 * On a phone, what a tapped result shows stays in the map the sheet leaves free, as 高德 and 天地图 keep it:
 * once the map and its popup have come to rest, the feature at `at` and its popup (a few lines: at most
 * ~40 % of the free map's height) above the sheet, and the whole of `line` (the route to it, [lon, lat]s)
 * drawn in the free map.
 */
export async function expectAnswerInView(page: Page, at: [number, number], line: [number, number][] = []) {
  await page.waitForSelector(".maplibregl-popup");
  // the map comes to rest, and then may move the popup into view: rest twice
  for (let i = 0; i < 2; i++) {
    await page.waitForFunction(() => !window.hazmap.map.isMoving());
    await page.waitForTimeout(400);
  }
  const seen = await page.evaluate(
    ({ at, line }) => {
      const { map } = window.hazmap;
      const box = document.querySelector("#map")!.getBoundingClientRect();
      const free = {
        top: box.top,
        left: box.left,
        right: box.right,
        bottom: Math.min(box.bottom, document.querySelector("#panel")!.getBoundingClientRect().top),
      };
      const onPage = (lonLat: [number, number]) => (({ x, y }) => ({ x: box.left + x, y: box.top + y }))(map.project(lonLat));
      const popup = document.querySelector(".maplibregl-popup")!.getBoundingClientRect();
      return { free, point: onPage(at), line: line.map(onPage), popup: { top: popup.top, bottom: popup.bottom, left: popup.left, right: popup.right } };
    },
    { at, line },
  );
  const { free, point, popup } = seen;
  expect(point.y, "the feature above the sheet").toBeLessThan(free.bottom);
  expect(point.y, "the feature below the top bar").toBeGreaterThan(free.top);
  expect(point.x).toBeGreaterThan(free.left);
  expect(point.x).toBeLessThan(free.right);
  expect(popup.top, "the popup below the top bar").toBeGreaterThanOrEqual(free.top);
  expect(popup.bottom, "the popup clear of the sheet").toBeLessThanOrEqual(free.bottom);
  expect(popup.left).toBeGreaterThanOrEqual(free.left);
  expect(popup.right).toBeLessThanOrEqual(free.right);
  expect(popup.bottom - popup.top, "a popup of a few lines").toBeLessThanOrEqual(0.4 * (free.bottom - free.top));
  const xs = seen.line.map((p) => p.x);
  const ys = seen.line.map((p) => p.y);
  if (!xs.length) return;
  expect(Math.min(...ys), "the route below the top bar").toBeGreaterThanOrEqual(free.top);
  expect(Math.max(...ys), "the route above the sheet").toBeLessThanOrEqual(free.bottom);
  expect(Math.min(...xs), "the route on screen").toBeGreaterThanOrEqual(free.left);
  expect(Math.max(...xs), "the route on screen").toBeLessThanOrEqual(free.right);
}
