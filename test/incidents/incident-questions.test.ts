// The questions asked for an incident (incident_id=) on a real PostGIS through the real HTTP server:
// each answers exactly as the same question asked with the incident's area or point given, and against
// independent counts (turf's point-in-polygon, GeographicLib's distances, the norms' arithmetic); the
// refusals name incident_id, in Chinese for a Chinese reader; the people sheltered for an incident are
// the occupancy its shelters reported while it was open, the same figure in its needs and its report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { geodesicDistance, type LonLat } from "../support/truth.ts";
import { AREA, inArea, insertVillages, VILLAGES } from "../support/incident_area.ts";

let w: World;

// AREA drawn round three of the villages, a shelter, a depot and a team; more of each outside it
const SHELTERS = [
  { name: "中心小学", at: [120.64, 23.83] as LonLat, capacity: 800 },
  { name: "东岸体育馆", at: [120.72, 23.86] as LonLat, capacity: 600 },
  { name: "北山公园", at: [120.66, 23.93] as LonLat, capacity: 1500 },
  // 50 km east: too far to shelter the area's people
  { name: "海滨广场", at: [121.15, 23.85] as LonLat, capacity: 900 },
];
const DEPOTS = [
  { name: "乡镇储备库", at: [120.65, 23.86] as LonLat, stock: { tent: 7, quilt: 30, water: 100 } as Record<string, number> },
  { name: "县储备库", at: [120.9, 23.85] as LonLat, stock: { tent: 500, water: 2000, food: 800 } as Record<string, number> },
];
const TEAMS = [
  { name: "消防救援大队", at: [120.66, 23.84] as LonLat },
  { name: "民兵应急连", at: [120.8, 23.84] as LonLat },
];
const ids = new Map<string, number>();

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
async function answer(path: string, init?: RequestInit, status = 200) {
  const res = await w.fetch(`${w.base}/api/v1${path}`, init);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function insert(sql: string, values: (string | number | null)[]): Promise<number> {
  return Number((await w.db.raw(`${sql} RETURNING id`, values)).rows[0].id);
}
async function openIncident(area: unknown = AREA, name = "山洪"): Promise<number> {
  return (await answer("/incidents", json("POST", { name, kind: "flood", level: 2, area }), 201)).id;
}

beforeAll(async () => {
  w = await startWorld();
  await insertVillages(w.db);
  for (const s of SHELTERS)
    ids.set(
      s.name,
      await insert("INSERT INTO shelters (name, geom, capacity) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326), ?)", [s.name, ...s.at, s.capacity]),
    );
  for (const d of DEPOTS) {
    const id = await insert("INSERT INTO depots (name, geom) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [d.name, ...d.at]);
    ids.set(d.name, id);
    for (const [item, quantity] of Object.entries(d.stock)) await w.db("depot_stock").insert({ depot_id: id, item_code: item, quantity });
  }
  for (const t of TEAMS) ids.set(t.name, await insert("INSERT INTO teams (name, geom) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326))", [t.name, ...t.at]));
});
afterAll(() => w?.close());

describe("a question asked for an incident is the question asked of its area or point", () => {
  it("exposure: what lies in the incident's area, as turf counts it; the same villages its needs and report count", async () => {
    const id = await openIncident();
    const exposed = await answer(`/exposure?incident_id=${id}`);
    expect(exposed.incident).toMatchObject({ id, name: "山洪", ended_at: null });
    expect(exposed.hazard).toBeUndefined();
    const names = (list: { name: string }[]) => list.map((f) => f.name).sort();
    const villages = VILLAGES.filter((v) => inArea(v.at));
    expect(villages).toHaveLength(3);
    expect(names(exposed.villages)).toEqual(names(villages));
    expect(exposed.population).toBe(villages.reduce((s, v) => s + v.population, 0));
    expect(names(exposed.shelters)).toEqual(names(SHELTERS.filter((s) => inArea(s.at))));
    expect(names(exposed.depots)).toEqual(names(DEPOTS.filter((d) => inArea(d.at))));
    expect(names(exposed.teams)).toEqual(names(TEAMS.filter((t) => inArea(t.at))));
    for (const f of [...exposed.villages, ...exposed.shelters, ...exposed.depots, ...exposed.teams]) expect(f.distance_m).toBe(0);
    expect(exposed.zone.type).toBe("MultiPolygon");
    expect(exposed.zone.coordinates[0]).toEqual(AREA.coordinates);

    const needs = await answer(`/incidents/${id}/needs?by=straight`);
    expect(needs.villages).toBe(exposed.villages.length);
    expect(needs.population).toBe(exposed.population);
    const report = await answer(`/incidents/${id}/report`);
    expect(names(report.affected.villages)).toEqual(names(exposed.villages));

    // GET /exposure?hazard_id= is /hazards/{id}/exposure
    const hazard = await insert(
      "INSERT INTO hazards (name, kind, risk_level, influence_radius_m, geom) VALUES ('尾矿库', 'tailings_pond', 1, 3000, ST_SetSRID(ST_MakePoint(120.65, 23.85), 4326))",
      [],
    );
    expect(await answer(`/exposure?hazard_id=${hazard}`)).toEqual(await answer(`/hazards/${hazard}/exposure`));
  });

  it("nearest: from the incident's point (a point of its area), the same features as asked from that point", async () => {
    const id = await openIncident();
    for (const [layer, extra] of [
      ["shelters", "&by=straight"],
      ["depots", "&item=tent"],
      ["teams", ""],
      ["hazards", ""],
    ] as const) {
      const viaIncident = await answer(`/nearest?incident_id=${id}&layer=${layer}&limit=10${extra}`);
      const { point } = viaIncident.incident;
      expect(inArea([point.lon, point.lat])).toBe(true);
      const explicit = await answer(`/nearest?lon=${point.lon}&lat=${point.lat}&layer=${layer}&limit=10${extra}`);
      const { incident, ...members } = viaIncident;
      expect(incident).toMatchObject({ id, name: "山洪", ended_at: null });
      expect(members).toEqual(explicit);
    }
    // the shelters nearest first by GeographicLib's distances from that point (only usable ones: all of them here)
    const { incident, features } = await answer(`/nearest?incident_id=${id}&layer=shelters&limit=10&by=straight`);
    const from: LonLat = [incident.point.lon, incident.point.lat];
    const truth = SHELTERS.map((s) => ({ name: s.name, d: geodesicDistance(from, s.at) })).sort((a, b) => a.d - b.d);
    expect(features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(truth.map((t) => t.name));
    features.forEach((f: { properties: { distance_m: number } }, i: number) => expect(Math.abs(f.properties.distance_m - truth[i]!.d)).toBeLessThan(0.01));
  });

  it("supply plan: to the incident's point, by default for what its people need and was not yet sent, as the norms count it", async () => {
    const id = await openIncident();
    await answer(`/incidents/${id}/dispatches`, json("POST", { depot_id: ids.get("乡镇储备库"), items: [{ item: "tent", quantity: 3 }] }), 201);
    const viaIncident = await answer("/supply-plan", json("POST", { incident_id: id, days: 2, by: "straight" }));
    const { incident, demand, ...plan } = viaIncident;
    expect(incident).toMatchObject({ id, ended_at: null });

    // the demand by the norms, counted here: the people of the villages turf finds in the area
    const villages = VILLAGES.filter((v) => inArea(v.at));
    const population = villages.reduce((s, v) => s + v.population, 0);
    const households =
      villages.reduce((s, v) => s + (v.households ?? 0), 0) +
      Math.ceil(villages.filter((v) => v.households === null).reduce((s, v) => s + v.population, 0) / 2.62);
    const { norms } = await answer("/needs-norms");
    const want = (norms as { item: string; quantity: number; per: string }[])
      .map((n) => {
        const base = n.per === "person_day" ? population * 2 : n.per === "person" ? population : households;
        const need = Math.ceil((Math.round(n.quantity * 100) * base) / 100);
        return { item: n.item, quantity: need - (n.item === "tent" ? 3 : 0) };
      })
      .filter((d) => d.quantity > 0);
    expect(demand.days).toBe(2);
    expect([...demand.items].sort((a, b) => a.item.localeCompare(b.item))).toEqual(want.sort((a, b) => a.item.localeCompare(b.item)));

    // the same plan as asked from the point for those items
    const explicit = await answer("/supply-plan", json("POST", { lon: incident.point.lon, lat: incident.point.lat, items: demand.items, by: "straight" }));
    expect(plan).toEqual(explicit);
    // tents: the 4 left nearby, then the county's 500, and what neither holds short
    const tents = want.find((d) => d.item === "tent")!.quantity;
    expect(plan.picks.filter((p: { item: string }) => p.item === "tent").map((p: { depot_id: number; quantity: number }) => [p.depot_id, p.quantity])).toEqual([
      [ids.get("乡镇储备库"), 4],
      [ids.get("县储备库"), Math.min(500, tents - 4)],
    ]);
    expect(plan.shortfall.find((l: { item: string }) => l.item === "tent")?.quantity ?? 0).toBe(Math.max(0, tents - 504));

    // nobody in the area: nothing to draw
    const empty = await openIncident({ lon: 120.5, lat: 23.7, radius_m: 1000 }, "空区");
    expect(await answer("/supply-plan", json("POST", { incident_id: empty, by: "straight" }))).toMatchObject({
      demand: { days: 3, items: [] },
      picks: [],
      shortfall: [],
    });

    // items given: the incident only gives the point
    const items = [{ item: "water", quantity: 150 }];
    const { incident: again, ...given } = await answer("/supply-plan", json("POST", { incident_id: id, items }));
    expect(again.id).toBe(id);
    expect(given).toEqual(await answer("/supply-plan", json("POST", { lon: incident.point.lon, lat: incident.point.lat, items })));
    expect(given.demand).toBeUndefined();
  });

  it("evacuation plan: over the incident's area, the plan asked with that area", async () => {
    const id = await openIncident();
    for (const options of [{}, { by: "straight", max_distance_m: 12_000 }]) {
      const { incident, ...viaIncident } = await answer("/evacuation-plan", json("POST", { incident_id: id, ...options }));
      expect(incident.id).toBe(id);
      expect(viaIncident).toEqual(await answer("/evacuation-plan", json("POST", { area: AREA, ...options })));
      const villages = VILLAGES.filter((v) => inArea(v.at));
      expect(viaIncident.affected).toEqual({ villages: villages.length, population: villages.reduce((s, v) => s + v.population, 0) });
      // the shelters receiving lie outside the area, and the one 50 km away is out of reach
      for (const s of viaIncident.shelters) expect(inArea(SHELTERS.find((x) => x.name === s.name)!.at), s.name).toBe(false);
      expect(viaIncident.shelters.map((s: { name: string }) => s.name)).not.toContain("海滨广场");
    }
  });

  it("a closed incident still answers, saying when it ended", async () => {
    const id = await openIncident();
    const ended = new Date(Date.now() + 1000).toISOString();
    await answer(`/incidents/${id}`, json("PATCH", { ended_at: ended }, { "If-Match": '"1"' }));
    const asked = [
      (await answer(`/exposure?incident_id=${id}`)).incident,
      (await answer(`/nearest?incident_id=${id}&layer=teams`)).incident,
      (await answer("/supply-plan", json("POST", { incident_id: id }))).incident,
      (await answer("/evacuation-plan", json("POST", { incident_id: id }))).incident,
    ];
    for (const incident of asked) expect(new Date(incident.ended_at).toISOString()).toBe(ended);
  });
});

describe("the OpenAPI document", () => {
  it("describes incident_id on the four questions, from the schemas their routes parse", async () => {
    const { paths } = await answer("/openapi.json");
    const query = (path: string) => paths[path].get.parameters.find((p: { name: string }) => p.name === "incident_id");
    const body = (path: string) => paths[path].post.requestBody.content["application/json"].schema;
    for (const param of [query("/api/v1/nearest"), query("/api/v1/exposure")]) {
      expect(param).toMatchObject({ in: "query", required: false, schema: { type: "integer", minimum: 1 } });
      expect(param.schema.description).toMatch(/instead of a point or area/);
    }
    for (const schema of [body("/api/v1/supply-plan"), body("/api/v1/evacuation-plan")]) {
      expect(schema.properties.incident_id).toMatchObject({ type: "integer", minimum: 1 });
      expect(schema.required ?? []).not.toContain("incident_id");
    }
    // neither the point nor the needs are required of a supply plan for an incident, nor the area of an evacuation
    expect(body("/api/v1/supply-plan").required ?? []).toEqual([]);
    expect(body("/api/v1/evacuation-plan").required ?? []).toEqual([]);
    expect(body("/api/v1/supply-plan").properties.items.description).toMatch(/need − dispatched/);
  });
});

describe("refusals name incident_id", () => {
  const get = (path: string, lang?: string) => w.fetch(`${w.base}/api/v1${path}`, { headers: lang ? { "Accept-Language": lang } : {} });
  const post = (path: string, body: unknown, lang?: string) => w.fetch(`${w.base}/api/v1${path}`, json("POST", body, lang ? { "Accept-Language": lang } : {}));

  it("an incident and a point or area together: 400 naming incident_id, in Chinese for zh", async () => {
    const id = await openIncident();
    const asked = (lang?: string) => [
      get(`/exposure?incident_id=${id}&hazard_id=1`, lang),
      get(`/nearest?incident_id=${id}&lon=120.6&lat=23.8&layer=shelters`, lang),
      get(`/nearest?incident_id=${id}&hazard_id=1&layer=shelters`, lang),
      post("/supply-plan", { incident_id: id, lon: 120.6, lat: 23.8, items: [{ item: "tent", quantity: 1 }] }, lang),
      post("/evacuation-plan", { incident_id: id, area: AREA }, lang),
    ];
    for (const res of await Promise.all(asked())) {
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect((await res.json()).errors).toContainEqual({
        path: ["incident_id"],
        message: "ask either for an incident (incident_id) or for a point or area, not both",
      });
    }
    for (const res of await Promise.all(asked("zh-CN"))) {
      expect(res.status).toBe(400);
      expect((await res.json()).errors).toContainEqual({ path: ["incident_id"], message: "请只给出事件(incident_id)或地点/区域之一，不能同时给出" });
    }
  });

  it("an incident that does not exist: 404, in Chinese for zh; nothing given: 400 naming what is missing", async () => {
    const asked = (lang?: string) => [
      get("/exposure?incident_id=987654", lang),
      get("/nearest?incident_id=987654&layer=shelters", lang),
      post("/supply-plan", { incident_id: 987654 }, lang),
      post("/evacuation-plan", { incident_id: 987654 }, lang),
    ];
    for (const res of await Promise.all(asked())) {
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect((await res.json()).detail).toBe("incident 987654 does not exist");
    }
    for (const res of await Promise.all(asked("zh-CN"))) {
      expect(res.status).toBe(404);
      expect((await res.json()).detail).toBe("事件 987654 不存在");
    }
    const missing: [Promise<Response>, string[]][] = [
      [get("/exposure"), ["hazard_id"]],
      [post("/supply-plan", {}), ["lon", "lat", "items"]],
      [post("/evacuation-plan", {}), ["area"]],
      [post("/supply-plan", { lon: 120.6, lat: 23.8, items: [{ item: "tent", quantity: 1 }], days: 2 }), ["days"]],
      [get("/nearest?incident_id=abc&layer=shelters"), ["incident_id"]],
    ];
    for (const [res, fields] of missing) {
      const r = await res;
      expect(r.status).toBe(400);
      expect((await r.json()).errors.map((e: { path: string[] }) => e.path[0]).sort()).toEqual(fields.sort());
    }
  });
});

describe("people sheltered for an incident", () => {
  /** A shelter reports its occupancy as its keeper does: a PATCH at the version last seen. */
  const report = async (shelter: string, occupancy: number) => {
    const url = `${w.base}/api/v1/layers/shelters/features/${ids.get(shelter)}`;
    const version = (await w.fetch(url)).headers.get("etag")!;
    const res = await w.fetch(url, {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json", "If-Match": version },
      body: JSON.stringify({ properties: { occupancy } }),
    });
    expect(res.status).toBe(200);
  };

  it("are the occupancy last reported while it was open by the shelters near its area: the same in its needs and its report", async () => {
    // reported before the incident: not counted until the shelter reports again
    await report("北山公园", 40);
    const id = await openIncident();
    await report("中心小学", 120);
    await report("中心小学", 260);
    await report("东岸体育馆", 75);
    // 50 km away: beyond the 30 km the incident's shelters are within
    await report("海滨广场", 300);
    // the independent count: the last figure each shelter within 30 km reported since the incident opened
    const reported = { 中心小学: 260, 东岸体育馆: 75 };
    const near = (name: string) =>
      inArea(SHELTERS.find((s) => s.name === name)!.at) || geodesicDistance(SHELTERS.find((s) => s.name === name)!.at, [120.7, 23.85]) < 30_000;
    expect(near("海滨广场")).toBe(false);
    const people = Object.values(reported).reduce((s, n) => s + n, 0);

    const needs = await answer(`/incidents/${id}/needs?by=straight`);
    expect(needs.sheltered).toBe(people);
    const figures = await answer(`/incidents/${id}/report`);
    expect(figures.sheltered.people).toBe(people);
    expect(figures.needs.sheltered).toBe(people);
    expect(Object.fromEntries(figures.sheltered.shelters.map((s: { name: string; occupancy: number }) => [s.name, s.occupancy]))).toEqual(reported);

    // closed, it keeps what was reported while it was open, whatever the shelters report later
    const ended = new Date().toISOString();
    await answer(`/incidents/${id}`, json("PATCH", { ended_at: ended }, { "If-Match": '"1"' }));
    await new Promise((r) => setTimeout(r, 50));
    await report("中心小学", 10);
    await report("北山公园", 500);
    expect((await answer(`/incidents/${id}/needs?by=straight`)).sheltered).toBe(people);
    expect((await answer(`/incidents/${id}/report`)).sheltered.shelters.find((s: { name: string }) => s.name === "中心小学").occupancy).toBe(260);
    // an incident opened now counts what is reported from now on
    const later = await openIncident();
    expect((await answer(`/incidents/${later}/needs?by=straight`)).sheltered).toBe(0);
    await report("北山公园", 520);
    expect((await answer(`/incidents/${later}/needs?by=straight`)).sheltered).toBe(520);
  });
});
