import { describe, expect, it } from "vitest";
import { geodesicDistance, within, type LonLat } from "../support/truth.ts";
import { useDemoWorld } from "../support/demo_world.ts";
import { ITEMS } from "../../data/items.ts";

/** An item's unit as the catalogue declares it. */
const unitOf = (code: string) => {
  const { unit_zh, unit_en } = ITEMS.find((i) => i.code === code)!;
  return { unit_zh, unit_en };
};

const demo = useDemoWorld();

const ask = (body: object) =>
  demo.world.fetch(`${demo.world.base}/api/v1/supply-plan`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Brute force: per item, depots holding it by geodesic distance (ties by id), take until met. */
function truth(at: LonLat, items: { item: string; quantity: number }[], maxDistance = Infinity) {
  const picks: { depot_id: number; item: string; quantity: number }[] = [];
  const shortfall: { item: string; quantity: number; unit_zh: string; unit_en: string }[] = [];
  for (const { item, quantity } of items) {
    let need = quantity;
    const holders = demo.snapshot.depots
      .filter((d) => (d.stock.get(item) ?? 0) > 0)
      .map((d) => ({ d, dist: geodesicDistance(at, d.at) }))
      .filter((x) => within(x.dist, maxDistance))
      .sort((a, b) => a.dist - b.dist || a.d.id - b.d.id);
    for (const { d } of holders) {
      if (need <= 0) break;
      const take = Math.min(need, d.stock.get(item)!);
      picks.push({ depot_id: d.id, item, quantity: take });
      need -= take;
    }
    if (need > 0) shortfall.push({ item, quantity: need, ...unitOf(item) });
  }
  return { picks, shortfall };
}

const key = (p: { depot_id: number; item: string; quantity: number }) => `${p.item}:${p.depot_id}:${p.quantity}`;

describe("supply plan against brute force", () => {
  it.each([
    [
      [104.3, 30.85],
      [
        { item: "tent", quantity: 3000 },
        { item: "boat", quantity: 5 },
      ],
      undefined,
    ],
    [
      [104.15, 30.95],
      [
        { item: "water", quantity: 800 },
        { item: "quilt", quantity: 200 },
        { item: "generator", quantity: 4 },
      ],
      20000,
    ],
    [[104.45, 30.7], [{ item: "sandbag", quantity: 1_000_000 }], undefined],
  ] as const)("at %j", async (at, items, maxDistance) => {
    // the straight plan (the demo county has roads: by default the plan is by road, test/roads/)
    const res = await ask({ lon: at[0], lat: at[1], items, max_distance_m: maxDistance, by: "straight" });
    expect(res.status).toBe(200);
    const got = await res.json();
    expect(got.by).toBe("straight");
    const want = truth(at as unknown as LonLat, items as never, maxDistance);
    expect(got.picks.map(key).sort()).toEqual(want.picks.map(key).sort());
    expect(got.shortfall).toEqual(want.shortfall);
    for (const p of got.picks) expect(p).toMatchObject(unitOf(p.item)); // every quantity says its unit
    const distances = got.picks.map((p: { distance_m: number }) => p.distance_m);
    expect(distances).toEqual([...distances].sort((a, b) => a - b)); // nearest first
  });

  it("names an unknown item, a duplicate item and a bad quantity", async () => {
    const errors = async (body: object) => {
      const res = await ask(body);
      expect(res.status).toBe(400);
      return (await res.json()).errors.map((e: { path: unknown[] }) => e.path.join("."));
    };
    expect(
      await errors({
        lon: 104,
        lat: 30,
        items: [
          { item: "tent", quantity: 1 },
          { item: "unicorn", quantity: 1 },
        ],
      }),
    ).toEqual(["items.1.item"]);
    expect(
      await errors({
        lon: 104,
        lat: 30,
        items: [
          { item: "tent", quantity: 1 },
          { item: "tent", quantity: 2 },
        ],
      }),
    ).toEqual(["items"]);
    expect(await errors({ lon: 104, lat: 30, items: [{ item: "tent", quantity: -1 }] })).toEqual(["items.0.quantity"]);
    expect(await errors({ lon: -181, lat: 30, items: [{ item: "tent", quantity: 1 }] })).toEqual(["lon"]);
  });

  it("takes a quantity written with the item's unit (800 箱 of water is 800), and refuses another unit (422) naming the field and the unit", async () => {
    const at = { lon: 104.15, lat: 30.95 };
    const plain = await (
      await ask({
        ...at,
        items: [
          { item: "water", quantity: 800 },
          { item: "tent", quantity: 5 },
        ],
      })
    ).json();
    const written = await ask({
      ...at,
      items: [
        { item: "water", quantity: "800 箱" },
        { item: "tent", quantity: "5 tents" },
      ],
    });
    expect(written.status).toBe(200);
    expect(await written.json()).toEqual(plain);
    const bottles = await ask({
      ...at,
      items: [
        { item: "tent", quantity: 5 },
        { item: "water", quantity: "1000 瓶" },
      ],
    });
    expect([bottles.status, bottles.headers.get("content-type")]).toEqual([422, "application/problem+json; charset=utf-8"]);
    const problem = await bottles.json();
    expect(problem).toMatchObject({
      type: "/problems/wrong-unit",
      errors: [{ path: ["items", 1, "quantity"], message: "饮用水 (water) is counted in 箱 (cases), not 瓶: give the number of 箱" }],
    });
  });
});
