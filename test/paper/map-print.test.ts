import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { readPdf } from "../support/pdf.ts";
import { orderPdf } from "../../server/paper/order_pdf.ts";

const png = readFileSync("test/e2e/screenshots/nearest-by-road-zh.png");
const pngSize = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
const squeeze = (s: string) => s.replace(/\s+/g, "");

const body = (extra: Record<string, unknown> = {}) => ({
  title: "石场村山洪转移图",
  unit: "示范县应急管理局",
  paper: "A4",
  orientation: "landscape",
  image: `data:image/png;base64,${png.toString("base64")}`,
  metres_per_pixel: 12.5,
  date: "2026-12-04",
  // the screen legend's symbols (a map icon as its shape in a unit box), as the web app sends them
  legend: [
    {
      label: "应急避难场所 · 空余 ≥ 30%",
      symbol: {
        shape: [
          [0.5, 0.04],
          [0.97, 0.46],
          [0.03, 0.46],
        ],
        holes: [[0.4, 0.62, 0.2, 0.34]],
        colour: "#2e7d32",
      },
    },
    {
      label: "救援队伍 · 危化品救援",
      symbol: {
        shape: [
          [0.08, 0.06],
          [0.92, 0.06],
          [0.5, 0.97],
        ],
        colour: "#1a2f6e",
        edge: "#ffffff",
        mark: "化",
      },
    },
    { label: "国道", symbol: { line: "#e2462f" } },
    { label: "道路中断", symbol: { line: "#d7191c", dashed: true } },
    { label: "危险源影响范围", symbol: { fill: "#f28c2833", outline: "#f28c28" } },
    { label: "覆盖范围外的村", symbol: { dot: "#ffffff", ring: "#d7191c" } },
    { label: "地名", symbol: { text: "地名", colour: "#263238" } },
  ],
  ...extra,
});

describe("the map printed as PDF", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w?.close());
  const post = (b: unknown, fetcher: (url: string, init?: RequestInit) => Promise<Response> = w.fetch) =>
    fetcher(`${w.base}/api/v1/print/map.pdf`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b) });

  it("is one page: the map image, title, unit, legend, scale and date as searchable text in an embedded subset CJK font", async () => {
    const res = await post(body());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="map-\d{8}\.pdf"; filename\*=UTF-8''/);
    const bytes = Buffer.from(await res.arrayBuffer());
    const pdf = readPdf(bytes);
    expect(pdf.pages).toBe(1);
    expect(pdf.fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
    const text = squeeze(pdf.text);
    for (const words of [
      "石场村山洪转移图",
      "示范县应急管理局",
      "图例",
      "应急避难场所·空余≥30%",
      "救援队伍·危化品救援",
      "覆盖范围外的村",
      "国道",
      "道路中断",
      "危险源影响范围",
      "北",
      "制图日期：2026年12月4日",
    ])
      expect(text).toContain(words);
    // the scale bar is a round length, and the printed ratio is what the image's resolution on paper makes
    // of its metres per pixel (pdfimages reads the image's placement: pixels per inch of paper)
    expect(pdf.text).toMatch(/\b(1|2|5|10|20|50|100|200|500)0* (米|公里)/);
    expect(pdf.images).toHaveLength(1);
    const [, , , width, height, , , , , , , , ppi] = pdf.images[0]!.trim().split(/\s+/);
    expect([Number(width), Number(height)]).toEqual([pngSize.width, pngSize.height]);
    const ratio = Number(/约1:([\d,]+)/.exec(text)![1]!.replaceAll(",", ""));
    expect(ratio / ((12.5 * Number(ppi)) / 0.0254)).toBeCloseTo(1, 2);
  });

  it("refuses bad input naming each field, as problem+json, and anyone not signed in", async () => {
    const bad = await post(
      body({ title: "", paper: "B5", image: "data:text/html;base64,PGI+", metres_per_pixel: -1, legend: [{ label: "x", symbol: { dot: "red" } }] }),
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const paths = (await bad.json()).errors.map((e: { path: (string | number)[] }) => e.path.join("."));
    expect(paths.sort()).toEqual(["image", "legend.0.symbol.dot", "metres_per_pixel", "paper", "title"]);
    const unreadable = await post(body({ image: `data:image/png;base64,${Buffer.from("not a png").toString("base64")}` }));
    expect(unreadable.status).toBe(400);
    expect((await unreadable.json()).errors).toEqual([{ path: ["image"], message: expect.any(String) }]);
    const anonymous = await post(body(), fetch);
    expect(anonymous.status).toBe(401);
    const huge = await post(body({ image: `data:image/png;base64,${"A".repeat(41 * 1024 * 1024)}` }));
    expect(huge.status).toBe(413);
    expect(huge.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});

describe("a plan printed as an order (调度单)", () => {
  it("is one page: title, issuing unit, date, the table in Chinese, signature lines", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => [`石场村${i + 1}组`, 100 + i, `示范县第${i + 1}中学`, 1.5 + i]);
    const bytes = await orderPdf(
      { name: "疏散安置", headers: ["村庄", "拟安置人数（人）", "避难场所", "直线距离（公里）"], rows },
      { unit: "示范县应急管理局", at: new Date("2026-12-04T20:00:00Z") },
    );
    const pdf = readPdf(Buffer.from(bytes), "order-zh");
    expect(pdf.pages).toBe(1);
    expect(pdf.fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
    const text = squeeze(pdf.text);
    // 20:00 UTC is the next day in China
    for (const words of ["疏散安置调度单", "签发单位：示范县应急管理局", "日期：2026年12月5日", "拟安置人数（人）", "签发人", "审核人", "接收人"])
      expect(text).toContain(words);
    for (const [village, people, shelter] of rows) expect(text).toContain(squeeze(`${village} ${people} ${shelter}`));
  });

  it("in English when the plan was asked in English", async () => {
    const bytes = await orderPdf(
      { name: "Evacuation plan", headers: ["Village", "People to move"], rows: [["石场村", 120]] },
      { lang: "en", at: new Date("2026-12-04T08:00:00Z") },
    );
    const text = squeeze(readPdf(Buffer.from(bytes)).text);
    for (const words of ["Evacuationplan—dispatchorder", "Issuedby：", "Date：2026-12-04", "石场村120", "Approved"]) expect(text).toContain(words);
  });
});
