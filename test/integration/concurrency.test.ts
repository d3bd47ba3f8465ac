import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES } from "../fixtures/features.ts";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

const patch = (url: string, properties: unknown, ifMatch?: string) =>
  w.fetch(url, {
    method: "PATCH",
    headers: { "content-type": "application/json", ...(ifMatch ? { "If-Match": ifMatch } : {}) },
    body: JSON.stringify({ properties }),
  });

describe("optimistic concurrency with If-Match", () => {
  it("two PATCHes with the same If-Match: exactly one wins, the other gets 412 and changes nothing", async () => {
    for (let round = 0; round < 10; round++) {
      const res = await w.fetch(`${w.base}/api/v1/layers/shelters/features`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(SAMPLES.shelters!.feature),
      });
      const url = `${w.base}${res.headers.get("location")}`;
      const [a, b] = await Promise.all([patch(url, { occupancy: 111 }, '"1"'), patch(url, { occupancy: 222 }, '"1"')]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 412]);
      const winner = a.status === 200 ? 111 : 222;
      const loser = a.status === 412 ? a : b;
      expect(loser.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect((await loser.json()).detail).toMatch(/someone else changed it/);
      const now = await (await w.fetch(url)).json();
      expect(now.properties.occupancy).toBe(winner);
      expect(now.properties.version).toBe(2);
    }
  });

  it("a write without If-Match is refused with 428 and changes nothing", async () => {
    const res = await w.fetch(`${w.base}/api/v1/layers/teams/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(SAMPLES.teams!.feature),
    });
    const url = `${w.base}${res.headers.get("location")}`;
    const refused = await patch(url, { headcount: 1 });
    expect(refused.status).toBe(428);
    expect((await w.fetch(url, { method: "DELETE" })).status).toBe(428);
    expect((await patch(url, { headcount: 1 }, "*")).status).toBe(412);
    expect((await (await w.fetch(url)).json()).properties).toMatchObject({ headcount: 45, version: 1 });
  });

  it("a stock write bumps the depot's version, so stale stock edits are refused too", async () => {
    const res = await w.fetch(`${w.base}/api/v1/layers/depots/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(SAMPLES.depots!.feature),
    });
    const id = (await res.json()).id;
    const put = (quantity: number, v: string) =>
      w.fetch(`${w.base}/api/v1/depots/${id}/stock`, {
        method: "PUT",
        headers: { "content-type": "application/json", "If-Match": v },
        body: JSON.stringify({ rows: [{ item: "tent", quantity }] }),
      });
    const [a, b] = await Promise.all([put(10, '"1"'), put(20, '"1"')]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const stock = await (await w.fetch(`${w.base}/api/v1/depots/${id}/stock`)).json();
    expect(stock.rows[0].quantity).toBe(a.status === 200 ? 10 : 20);
    const feature = await w.fetch(`${w.base}/api/v1/layers/depots/features/${id}`);
    expect(feature.headers.get("etag")).toBe('"2"');
    expect(
      (
        await w.fetch(`${w.base}/api/v1/depots/${id}/stock`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ rows: [] }),
        })
      ).status,
    ).toBe(428);
  });
});
