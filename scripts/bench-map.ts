// First meaningful map: from navigation to the county drawn (map idle, every tile loaded, villages and
// shelters on screen) in headless Chromium against the demo county, a fresh browser profile each
// time (cold) and the same page reloaded (warm). Usage: npx tsx scripts/bench-map.ts [--runs N]
// (./scripts/start's database must exist: it runs against DATABASE_URL or the demo cluster).
import { spawn } from "node:child_process";
import type { Page } from "playwright-core";
import { launchBrowser } from "../test/support/browser.ts";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5433/hazmap";
const port = 3992;
const served = spawn("node", ["--import", "tsx", "server/main.ts"], { env: { ...process.env, DATABASE_URL: url, PORT: String(port) }, stdio: "inherit" });
const base = `http://127.0.0.1:${port}`;
for (let up = false; !up; await new Promise((r) => setTimeout(r, 200))) up = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);

/** ms from navigation start until the map is drawn, as the page itself measures it. */
async function firstMap(page: Page): Promise<{ drawn: number; script: number }> {
  await page.goto(base);
  await page.waitForFunction(() => {
    const h = (window as unknown as { hazmap?: { map: { loaded(): boolean; areTilesLoaded(): boolean; queryRenderedFeatures(o: object): unknown[] } } }).hazmap;
    return h && h.map.loaded() && h.map.areTilesLoaded() && h.map.queryRenderedFeatures({ layers: ["villages-point", "shelters-point"] }).length > 0;
  }, null, { polling: 16, timeout: 30_000 });
  return page.evaluate(() => {
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    return {
      drawn: performance.now(),
      script: resources.find((e) => e.name.endsWith(".js"))!.responseEnd, // the entry bundle
    };
  });
}

const browser = await launchBrowser();
const results: Record<"cold" | "warm", { drawn: number; script: number }[]> = { cold: [], warm: [] };
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  results.cold.push(await firstMap(page));
  results.warm.push(await firstMap(page));
  await context.close();
}
await browser.close();
served.kill("SIGTERM");

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`\nfirst meaningful map, demo county, 1366×768, ${runs} runs (median ms; target ≤ 2000)`);
for (const kind of ["cold", "warm"] as const) {
  const r = results[kind];
  const m = (f: (x: (typeof r)[number]) => number) => median(r.map(f)).toFixed(0).padStart(6);
  console.log(`${kind.padEnd(5)} entry script ${m((x) => x.script)}   drawn ${m((x) => x.drawn)}   (all drawn: ${r.map((x) => x.drawn.toFixed(0)).join(" ")})`);
}
