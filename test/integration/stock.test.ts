import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES } from "../fixtures/features.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
let depot: number;
beforeAll(async () => {
  w = await startWorld();
  const res = await w.fetch(`${w.base}/api/v1/layers/depots/features`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(SAMPLES.depots!.feature),
  });
  depot = (await res.json()).id;
});
afterAll(() => w.close());

const put = (rows: unknown[], version: number) =>
  w.fetch(`${w.base}/api/v1/depots/${depot}/stock`, {
    method: "PUT",
    headers: { "content-type": "application/json", "If-Match": `"${version}"` },
    body: JSON.stringify({ rows }),
  });

describe("depot stock", () => {
  it("replaces the stock, keeps unchanged rows' timestamps, and lists low and expiring rows", async () => {
    const first = await put(
      [
        { item: "tent", quantity: 300, reorder_level: 50 },
        { item: "water", quantity: 20, reorder_level: 100, expires_on: "2026-12-15" },
        { item: "food", quantity: 500, reorder_level: 100, expires_on: "2027-06-01" },
      ],
      1,
    );
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).toBe('"2"');
    const before = (await first.json()).rows;
    expect(before.map((r: { item: string; low: boolean }) => [r.item, r.low])).toEqual([
      ["food", false],
      ["tent", false],
      ["water", true],
    ]);
    expect(before.find((r: { item: string }) => r.item === "tent")).toMatchObject({ name_zh: "帐篷", unit_zh: "顶", quantity: 300, expires_on: null });

    const second = await (
      await put(
        [
          { item: "tent", quantity: 300, reorder_level: 50 },
          { item: "water", quantity: 20, reorder_level: 100, expires_on: "2026-12-15" },
          { item: "quilt", quantity: 40, reorder_level: 40 },
        ],
        2,
      )
    ).json();
    expect(second.rows.map((r: { item: string }) => r.item)).toEqual(["quilt", "tent", "water"]);
    const tentBefore = before.find((r: { item: string }) => r.item === "tent").updated_at;
    expect(second.rows.find((r: { item: string }) => r.item === "tent").updated_at).toBe(tentBefore);

    const low = await (await w.fetch(`${w.base}/api/v1/stock?low=true`)).json();
    expect(low.rows.map((r: { item: string; depot_id: number }) => [r.depot_id, r.item]).sort()).toEqual([
      [depot, "quilt"],
      [depot, "water"],
    ]);
    const expiring = await (await w.fetch(`${w.base}/api/v1/stock?expires_before=2027-01-01`)).json();
    expect(expiring.rows.map((r: { item: string }) => r.item)).toEqual(["water"]);
    const tents = await (await w.fetch(`${w.base}/api/v1/stock?item=tent`)).json();
    expect(tents.rows).toHaveLength(1);
    expect((await w.fetch(`${w.base}/api/v1/stock?expires_before=soon`)).status).toBe(400);
  });

  it("refuses duplicate items and negative quantities, naming them", async () => {
    const dup = await put(
      [
        { item: "tent", quantity: 1 },
        { item: "tent", quantity: 2 },
      ],
      3,
    );
    expect(dup.status).toBe(400);
    expect((await dup.json()).errors[0].path).toEqual(["rows"]);
    const neg = await put([{ item: "tent", quantity: -1 }], 3);
    expect((await neg.json()).errors[0].path).toEqual(["rows", 0, "quantity"]);
  });

  it("takes quantities written with the item's unit, and refuses another unit (422) naming the field and the unit, changing nothing", async () => {
    const version = Number((await w.fetch(`${w.base}/api/v1/depots/${depot}/stock`)).headers.get("etag")!.replaceAll('"', ""));
    const ok = await put(
      [
        { item: "water", quantity: "1,197 箱", reorder_level: "100箱" },
        { item: "tent", quantity: "30 tents" },
      ],
      version,
    );
    expect(ok.status).toBe(200);
    const rows = (await ok.json()).rows;
    expect(rows.map((r: Record<string, unknown>) => [r.item, r.quantity, r.reorder_level, r.unit_zh, r.unit_en])).toEqual([
      ["tent", 30, 0, "顶", "tents"],
      ["water", 1197, 100, "箱", "cases"],
    ]);
    const bottles = await put(
      [
        { item: "water", quantity: "1000 瓶" },
        { item: "tent", quantity: 30, reorder_level: "5 件" },
      ],
      version + 1,
    );
    expect(bottles.status).toBe(422);
    expect((await bottles.json()).errors).toEqual([
      { path: ["rows", 0, "quantity"], message: "饮用水 (water) is counted in 箱 (cases), not 瓶: give the number of 箱" },
      { path: ["rows", 1, "reorder_level"], message: "帐篷 (tent) is counted in 顶 (tents), not 件: give the number of 顶" },
    ]);
    const after = await w.fetch(`${w.base}/api/v1/depots/${depot}/stock`);
    expect(after.headers.get("etag")).toBe(`"${version + 1}"`);
    expect((await after.json()).rows.map((r: { quantity: number }) => r.quantity)).toEqual([30, 1197]);
    const half = await put([{ item: "water", quantity: "1.5 箱" }], version + 1);
    expect((await half.json()).errors[0].path).toEqual(["rows", 0, "quantity"]);
  });
});
