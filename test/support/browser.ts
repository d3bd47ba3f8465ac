import { chromium, type Browser, type Page } from "playwright-core";
import { mkdirSync } from "node:fs";

/** Debian's Chromium, headless, software WebGL; nothing leaves the machine. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
      "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
  });
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
  await page.waitForFunction(() => {
    const { map } = (window as unknown as { hazmap: { map: { loaded(): boolean; areTilesLoaded(): boolean } } }).hazmap;
    return map.loaded() && map.areTilesLoaded();
  }, null, { timeout: 30_000 });
}
