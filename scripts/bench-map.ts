// First meaningful map: from navigation to the county's villages and shelters drawn (and on to every
// tile loaded and drawn) in headless Chromium against the demo county, a fresh browser profile each
// time (cold) and the same page reloaded (warm). Usage: npx tsx scripts/bench-map.ts [--runs N]
// (./scripts/start's database must exist: it runs against DATABASE_URL or the demo cluster).
import type { Page } from "playwright-core";
import { launchBrowser } from "../test/support/browser.ts";
import { serveProduct } from "./serve_product.ts";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5433/hazmap";
const served = await serveProduct(url);
const { base } = served;

interface Timing {
  script: number;
  drawn: number;
  complete: number;
}

/**
 * ms from navigation start, as the page measures it on every animation frame: the entry bundle loaded,
 * the villages and shelters first drawn (the first meaningful map), every tile loaded and drawn.
 */
async function firstMap(page: Page): Promise<Timing> {
  await page.goto(base);
  await page.waitForFunction(() => (window as unknown as { complete?: number }).complete, null, { timeout: 30_000 });
  return page.evaluate(() => {
    const w = window as unknown as { drawn: number; complete: number };
    const entry = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).find((e) => e.name.endsWith(".js"))!;
    return { script: entry.responseEnd, drawn: w.drawn, complete: w.complete };
  });
}

// Plain JavaScript, not a function: tsx would name inner functions with a helper the page lacks.
const MEASURE = `
  const frame = () => {
    const map = window.hazmap?.map;
    try {
      if (map && !window.drawn && map.queryRenderedFeatures({ layers: ["villages-point", "shelters-point"] }).length > 0) window.drawn = performance.now();
      if (map && window.drawn && map.loaded() && map.areTilesLoaded()) return void (window.complete = performance.now());
    } catch {
      // the style is not loaded yet
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);`;

const browser = await launchBrowser();
const results: Record<"cold" | "warm", Timing[]> = { cold: [], warm: [] };
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addInitScript(MEASURE);
  const page = await context.newPage();
  results.cold.push(await firstMap(page));
  results.warm.push(await firstMap(page));
  await context.close();
}
await browser.close();
// the server's piped log keeps this process alive until it is stopped
await served.stop();

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`\nfirst meaningful map, demo county, 1366×768, ${runs} runs (median ms; target ≤ 1500)`);
for (const kind of ["cold", "warm"] as const) {
  const r = results[kind];
  const m = (f: (x: (typeof r)[number]) => number) => median(r.map(f)).toFixed(0).padStart(6);
  console.log(
    `${kind.padEnd(5)} entry script ${m((x) => x.script)}   layers drawn ${m((x) => x.drawn)}   every tile drawn ${m((x) => x.complete)}   (layers drawn, each run: ${r.map((x) => x.drawn.toFixed(0)).join(" ")})`,
  );
}
