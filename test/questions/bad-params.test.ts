import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

describe("questions refuse bad parameters with a 400 naming the field", () => {
  it.each([
    ["/nearest?lon=190&lat=30&layer=depots", "lon"],
    ["/nearest?lon=104&lat=-95&layer=depots", "lat"],
    ["/nearest?lon=abc&lat=30&layer=depots", "lon"],
    ["/nearest?lon=104&lat=30&layer=depots&limit=101", "limit"],
    ["/nearest?lon=104&lat=30&layer=depots&max_distance_m=-1", "max_distance_m"],
    ["/nearest?lon=104&lat=30&layer=depots&item=unicorn", "item"],
    ["/nearest?lon=104&lat=30&layer=shelters&item=tent", "item"],
    ["/nearest?lon=104&lat=30&layer=depots&item=water&min_quantity=1000%E7%93%B6", "min_quantity"], // 1000瓶: refused, never read as 1000 箱
    ["/nearest?lon=104&lat=30&layer=volcanoes", "layer"],
    ["/nearest?lon=104&lat=30&layer=depots&colour=red", "colour"],
    ["/nearest?layer=shelters", "lon"],
    ["/nearest?layer=shelters", "lat"],
    ["/nearest?lon=104&layer=shelters", "lat"],
    ["/nearest?lon=104&lat=30&hazard_id=1&layer=shelters", "hazard_id"],
    ["/nearest?hazard_id=1&layer=hazards", "hazard_id"],
    ["/nearest?hazard_id=0&layer=shelters", "hazard_id"],
    ["/nearest?lon=104&lat=30&layer=depots&include_unusable=true", "include_unusable"],
    ["/nearest?lon=104&lat=30&layer=shelters&include_unusable=yes", "include_unusable"],
    ["/nearest?lon=104&lat=30&layer=shelters&status=full", "status"],
    ["/nearest?lon=104&lat=30&layer=shelters&by=car", "by"],
    ["/nearest?lon=104&lat=30&layer=hazards&by=road", "by"],
    ["/nearest?lon=104&lat=30&layer=teams&by=straight&avoid_hazards=1", "avoid_hazards"],
    ["/nearest?lon=104&lat=30&layer=teams&avoid_hazards=5", "avoid_hazards"],
    ["/nearest?lon=104&lat=30&layer=teams&direction=up", "direction"],
    ["/nearest?lon=104&lat=30&layer=teams&by=straight&direction=to_point", "direction"],
    ["/service-area?layer=roads&minutes=10", "layer"],
    ["/service-area?layer=teams", "minutes"],
    ["/service-area?layer=teams&minutes=10,abc", "minutes"],
    ["/service-area?layer=teams&minutes=0", "minutes"],
    ["/service-area?layer=teams&minutes=1,2,3,4,5,6,7", "minutes"],
    ["/service-area?layer=teams&minutes=10&id=0", "id"],
    ["/service-area?layer=teams&minutes=10&direction=to_point", "direction"],
    ["/service-area?layer=teams&minutes=10&avoid_hazards=0", "avoid_hazards"],
    ["/shelter-capacity?radius_m=-3", "radius_m"],
    ["/coverage-gaps?layer=shelters&radius_m=NaN", "radius_m"],
    ["/coverage-gaps?layer=shelters", "minutes"],
    ["/coverage-gaps?layer=shelters&radius_m=500&minutes=10", "radius_m"],
    ["/coverage-gaps?layer=shelters&minutes=0", "minutes"],
    ["/coverage-gaps?layer=shelters&minutes=241", "minutes"],
    ["/coverage-gaps?layer=shelters&minutes=10&by=straight", "by"],
    ["/coverage-gaps?layer=shelters&radius_m=500&by=road", "by"],
    ["/coverage-gaps?layer=shelters&radius_m=500&avoid_hazards=1", "avoid_hazards"],
    ["/coverage-gaps?layer=shelters&minutes=10&avoid_hazards=9", "avoid_hazards"],
  ])("GET %s", async (url, field) => {
    const res = await w.fetch(`${w.base}/api/v1${url}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await res.json()).errors.map((e: { path: unknown[] }) => e.path[0])).toContain(field);
  });

  it("a service area of a resource that does not exist is a 404 problem", async () => {
    const res = await w.fetch(`${w.base}/api/v1/service-area?layer=teams&id=999999&minutes=10`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await res.json()).detail).toBe("teams 999999 does not exist");
  });

  it("nearest from a hazard that does not exist is a 404 problem", async () => {
    const res = await w.fetch(`${w.base}/api/v1/nearest?hazard_id=999999&layer=shelters`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await res.json()).detail).toBe("hazard 999999 does not exist");
  });

  it.each([
    ["/site-suggestions", { layer: "shelters", radius_m: -1, count: 3 }, "radius_m"],
    ["/site-suggestions", { layer: "shelters", radius_m: 100, count: 0 }, "count"],
    [
      "/evacuation-plan",
      {
        area: {
          type: "Polygon",
          coordinates: [
            [
              [0, 0],
              [1, 1],
              [1, 0],
              [0, 1],
              [0, 0],
            ],
          ],
        },
      },
      "area",
    ],
    ["/evacuation-plan", {}, "area"],
    ["/evacuation-plan", { area: { lon: 104, lat: 30, radius_m: 500 }, by: "car" }, "by"],
    ["/evacuation-plan", { area: { lon: 104, lat: 30, radius_m: 500 }, max_minutes: 0 }, "max_minutes"],
    ["/evacuation-plan", { area: { lon: 104, lat: 30, radius_m: 500 }, by: "road", max_distance_m: 500 }, "max_distance_m"],
    ["/evacuation-plan", { area: { lon: 104, lat: 30, radius_m: 500 }, by: "straight", max_minutes: 10 }, "max_minutes"],
    ["/evacuation-plan", { area: { lon: 104, lat: 30, radius_m: 500 }, max_distance_m: 500, avoid_hazards: 1 }, "avoid_hazards"],
    ["/evacuation-plan", { area: { lon: 104, lat: 30, radius_m: 500 }, avoid_hazards: 5 }, "avoid_hazards"],
    ["/supply-plan", { lon: 104, lat: 30, items: [{ item: "tent", quantity: 1 }], by: "air" }, "by"],
    ["/supply-plan", { lon: 104, lat: 30, items: [{ item: "tent", quantity: 1 }], max_minutes: -1 }, "max_minutes"],
    ["/supply-plan", { lon: 104, lat: 30, items: [{ item: "tent", quantity: 1 }], by: "straight", max_minutes: 10 }, "max_minutes"],
    ["/supply-plan", { lon: 104, lat: 30, items: [{ item: "tent", quantity: 1 }], by: "straight", avoid_hazards: 2 }, "avoid_hazards"],
  ])("POST %s", async (url, body, field) => {
    const res = await w.fetch(`${w.base}/api/v1${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.map((e: { path: unknown[] }) => e.path[0])).toContain(field);
  });
});
