// Incidents on a real PostGIS through the real HTTP server: opening one, its needs by the norms against
// an independent count of the villages in its area, sending stock atomically under racing clients,
// deploying teams, and the timeline that records who did what.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, withToken, type World } from "../support/world.ts";
import { AREA, inArea, insertVillages, VILLAGES } from "../support/incident_area.ts";
import { readPdf } from "../support/pdf.ts";
import { GENERAL_INCIDENT_KIND_WORDS, INCIDENT_KINDS } from "../../data/incident_kinds.ts";
import { HAZARD_KINDS } from "../../server/layers/hazards.ts";
import { listenToChanges } from "../support/live_changes.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";

let w: World;
const as = new Map<string, (url: string, init?: RequestInit) => Promise<Response>>();

// AREA drawn round three of the villages; a fourth village and a depot lie outside it
let depotInside: number;
let depotOutside: number;
let team: number;
let shelter: number;

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  w = await startWorld();
  for (const role of ["viewer", "commander", "planner"]) {
    const account = await createAccount(w.db, { username: `the-${role}`, password: "a long enough password", roles: [role], townships: [] });
    as.set(role, withToken((await createToken(w.db, account.id, "tests")).token));
  }
  await insertVillages(w.db);
  const depot = async (name: string, lon: number, lat: number, stock: [string, number][]) => {
    const { rows } = await w.db.raw("INSERT INTO depots (name, geom) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326)) RETURNING id", [name, lon, lat]);
    for (const [item, quantity] of stock) await w.db("depot_stock").insert({ depot_id: rows[0].id, item_code: item, quantity });
    return Number(rows[0].id);
  };
  depotInside = await depot("乡镇储备库", 120.65, 23.86, [
    ["tent", 7],
    ["quilt", 3],
    ["water", 100],
  ]);
  depotOutside = await depot("县储备库", 120.9, 23.85, [["tent", 500]]);
  team = Number(
    (await w.db.raw("INSERT INTO teams (name, geom) VALUES ('消防救援大队', ST_SetSRID(ST_MakePoint(120.66, 23.84), 4326)) RETURNING id")).rows[0].id,
  );
  shelter = Number(
    (await w.db.raw("INSERT INTO shelters (name, geom, capacity) VALUES ('中心小学', ST_SetSRID(ST_MakePoint(120.64, 23.83), 4326), 800) RETURNING id")).rows[0]
      .id,
  );
});
afterAll(() => w.close());

const openIncident = async (area: unknown = AREA, name = "山洪") => {
  const res = await as.get("commander")!(`${w.base}/api/v1/incidents`, json("POST", { name, kind: "flood", level: 2, area }));
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; properties: { version: number } };
};

describe("incidents", () => {
  it("a commander opens one by a drawn area, a circle or a hazard's zone; everyone reading sees it; a viewer cannot open one", async () => {
    const drawn = await openIncident();
    const circle = await openIncident({ lon: 120.65, lat: 23.85, radius_m: 2000 }, "危化品泄漏");
    const { rows } = await w.db.raw(
      "INSERT INTO hazards (name, kind, risk_level, influence_radius_m, geom) VALUES ('尾矿库', 'tailings_pond', 1, 1500, ST_SetSRID(ST_MakePoint(120.66, 23.86), 4326)) RETURNING id",
    );
    const fromHazard = await openIncident({ hazard_id: Number(rows[0].id) }, "尾矿库溃坝");

    const list = await (await as.get("viewer")!(`${w.base}/api/v1/incidents`)).json();
    expect(list.features.map((f: { id: number }) => f.id)).toEqual(expect.arrayContaining([drawn.id, circle.id, fromHazard.id]));
    // the circle's area: 2 km on the spheroid from its centre (a 64-gon inside the true circle, within 0.2 %)
    const { rows: radii } = await w.db.raw(
      "SELECT max(ST_Distance(ST_SetSRID(ST_MakePoint(120.65, 23.85), 4326)::geography, (d).geom::geography)) AS far FROM (SELECT ST_DumpPoints(geom) AS d FROM incidents WHERE id = ?) p",
      [circle.id],
    );
    expect(radii[0].far).toBeCloseTo(2000, -1);
    const hazardArea = await (await w.fetch(`${w.base}/api/v1/incidents/${fromHazard.id}`)).json();
    expect(hazardArea.properties.hazard_id).toBe(Number(rows[0].id));

    expect((await as.get("viewer")!(`${w.base}/api/v1/incidents`, json("POST", { name: "x", kind: "flood", level: 2, area: AREA }))).status).toBe(403);
    const bad = await as.get("commander")!(`${w.base}/api/v1/incidents`, json("POST", { name: "x", kind: "meteor", level: 5, area: { hazard_id: 999999 } }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { path: string[] }) => e.path.join("."))).toEqual(expect.arrayContaining(["kind", "level"]));
    const noZone = await as.get("commander")!(`${w.base}/api/v1/incidents`, json("POST", { name: "x", kind: "flood", level: 2, area: { hazard_id: 999999 } }));
    expect(noZone.status).toBe(422);
    expect((await noZone.json()).errors[0].path).toEqual(["area", "hazard_id"]);
  });

  it("is changed only at the version last seen, and closed by its end time", async () => {
    const incident = await openIncident();
    const url = `${w.base}/api/v1/incidents/${incident.id}`;
    const changed = await as.get("commander")!(url, json("PATCH", { level: 1 }, { "If-Match": '"1"' }));
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).toBe('"2"');
    expect((await as.get("commander")!(url, json("PATCH", { level: 3 }, { "If-Match": '"1"' }))).status).toBe(412);
    const early = await as.get("commander")!(url, json("PATCH", { ended_at: "2000-01-01T00:00:00Z" }, { "If-Match": '"2"' }));
    expect(early.status).toBe(400);
    expect((await early.json()).errors[0].path).toEqual(["ended_at"]);
    const closed = await as.get("commander")!(url, json("PATCH", { ended_at: new Date(Date.now() + 1000).toISOString() }, { "If-Match": '"2"' }));
    expect(closed.status).toBe(200);
    const open = await (await w.fetch(`${w.base}/api/v1/incidents?open=true`)).json();
    expect(open.features.map((f: { id: number }) => f.id)).not.toContain(incident.id);
    const refused = await as.get("commander")!(`${url}/dispatches`, json("POST", { depot_id: depotOutside, items: [{ item: "tent", quantity: 1 }] }));
    expect(refused.status).toBe(409);
  });

  it("the kinds the API takes (data/incident_kinds.ts) are exactly those the table's CHECK takes", async () => {
    const { rows } = await w.db.raw(
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'incidents'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%kind%'",
    );
    expect(rows).toHaveLength(1);
    const checked = [...(rows[0].def as string).matchAll(/'(\w+)'::text/g)].map((m) => m[1]);
    expect(checked.sort()).toEqual([...INCIDENT_KINDS].sort());
    // and each has words: the hazards' kinds by the hazards layer, the general ones by the shared list
    const unworded = INCIDENT_KINDS.filter((k) => !(k in HAZARD_KINDS) && !GENERAL_INCIDENT_KIND_WORDS[k]);
    expect(unworded).toEqual([]);
  });
});

describe("needs", () => {
  it("are the norms times the people of the villages in the area, counted independently; minus what was sent and what is in reach", async () => {
    const incident = await openIncident();
    const norms = await (await w.fetch(`${w.base}/api/v1/needs-norms`)).json();
    const inside = VILLAGES.filter((v) => inArea(v.at));
    expect(inside.map((v) => v.name)).toEqual(["甲村", "乙村", "丙村"]);
    const population = inside.reduce((s, v) => s + v.population, 0);
    const households =
      inside.reduce((s, v) => s + (v.households ?? 0), 0) + Math.ceil(inside.filter((v) => v.households === null).reduce((s, v) => s + v.population, 0) / 2.62);

    const needs = await (await w.fetch(`${w.base}/api/v1/incidents/${incident.id}/needs?days=3&by=straight&reach_m=0`)).json();
    expect(needs).toMatchObject({ population, households, villages: 3, days: 3, by: "straight", reach: { metres: 0 } });
    expect(needs.items.map((i: { item: string }) => i.item).sort()).toEqual(norms.norms.map((n: { item: string }) => n.item).sort());
    // stock inside the area (distance 0) is in reach; the county depot 25 km east is not
    const held: Record<string, number> = { tent: 7, quilt: 3, water: 100 };
    for (const n of norms.norms as { item: string; quantity: number; per: string }[]) {
      const base = n.per === "person_day" ? population * 3 : n.per === "person" ? population : households;
      // exact in hundredths (the norms have at most two decimals): no float rounding in the truth
      const need = Math.ceil((Math.round(n.quantity * 100) * base) / 100);
      const line = needs.items.find((i: { item: string }) => i.item === n.item);
      expect(line, n.item).toMatchObject({ need, dispatched: 0, in_reach: held[n.item] ?? 0, shortfall: Math.max(0, need - (held[n.item] ?? 0)) });
    }

    const given = await (await w.fetch(`${w.base}/api/v1/incidents/${incident.id}/needs?days=1&people=100&by=straight&reach_m=50000`)).json();
    expect(given).toMatchObject({ population: 100, households: Math.ceil(100 / 2.62), villages: 0 });
    expect(given.items.find((i: { item: string }) => i.item === "tent").in_reach).toBe(507);
  });

  it("counts what was sent to the incident, and a planner sets the norms at the version they saw", async () => {
    const incident = await openIncident();
    await as.get("commander")!(
      `${w.base}/api/v1/incidents/${incident.id}/dispatches`,
      json("POST", { depot_id: depotOutside, items: [{ item: "tent", quantity: 20 }] }),
    );
    const needs = await (await w.fetch(`${w.base}/api/v1/incidents/${incident.id}/needs?by=straight&reach_m=0`)).json();
    const tent = needs.items.find((i: { item: string }) => i.item === "tent");
    expect(tent.dispatched).toBe(20);
    expect(tent.shortfall).toBe(Math.max(0, tent.need - 20 - tent.in_reach));

    const before = await w.fetch(`${w.base}/api/v1/needs-norms`);
    const version = before.headers.get("etag")!;
    const norms = [{ item: "water", quantity: 1.5, per: "person_day", source: "县应急局 2026" }];
    expect((await as.get("commander")!(`${w.base}/api/v1/needs-norms`, json("PUT", { norms }, { "If-Match": version }))).status).toBe(403);
    const unknown = await as.get("planner")!(
      `${w.base}/api/v1/needs-norms`,
      json("PUT", { norms: [{ item: "unicorn", quantity: 1, per: "person" }] }, { "If-Match": version }),
    );
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors[0].path).toEqual(["norms", 0, "item"]);
    const put = await as.get("planner")!(`${w.base}/api/v1/needs-norms`, json("PUT", { norms }, { "If-Match": version }));
    expect(put.status).toBe(200);
    expect((await put.json()).norms).toEqual([expect.objectContaining({ item: "water", quantity: 1.5, per: "person_day", unit_zh: "箱" })]);
    expect((await as.get("planner")!(`${w.base}/api/v1/needs-norms`, json("PUT", { norms }, { "If-Match": version }))).status).toBe(412);
    const after = await (await w.fetch(`${w.base}/api/v1/incidents/${incident.id}/needs?days=2&people=10&by=straight`)).json();
    expect(after.items).toEqual([expect.objectContaining({ item: "water", need: 30 })]);
  });
});

describe("sending stock", () => {
  const stockOf = async (depot: number) =>
    Object.fromEntries((await w.db("depot_stock").where({ depot_id: depot }).select("item_code", "quantity")).map((r) => [r.item_code, r.quantity]));

  it("twenty clients racing for the last seven tents send exactly seven; stock ends at zero, never below", async () => {
    const incident = await openIncident();
    const url = `${w.base}/api/v1/incidents/${incident.id}/dispatches`;
    await w.db("depot_stock").where({ depot_id: depotInside, item_code: "tent" }).update({ quantity: 7 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => as.get("commander")!(url, json("POST", { depot_id: depotInside, items: [{ item: "tent", quantity: 1 }] }))),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(7);
    expect(statuses.filter((s) => s === 409)).toHaveLength(13);
    expect((await stockOf(depotInside)).tent).toBe(0);
    const listed = await (await w.fetch(url)).json();
    expect(listed.dispatches.reduce((s: number, d: { items: { quantity: number }[] }) => s + d.items[0]!.quantity, 0)).toBe(7);
  });

  it("refuses the whole dispatch when any item is short, naming it, and takes nothing", async () => {
    const incident = await openIncident();
    await w.db("depot_stock").where({ depot_id: depotInside, item_code: "quilt" }).update({ quantity: 3 });
    const before = await stockOf(depotInside);
    const res = await as.get("commander")!(
      `${w.base}/api/v1/incidents/${incident.id}/dispatches`,
      json("POST", {
        depot_id: depotInside,
        items: [
          { item: "water", quantity: 10 },
          { item: "quilt", quantity: 4 },
        ],
      }),
    );
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = await res.json();
    expect(problem.errors).toEqual([{ path: ["items", 1, "quantity"], message: expect.stringContaining("holds 3") }]);
    expect(await stockOf(depotInside)).toEqual(before);
    // the same refusal for a reader of Chinese: the item and its unit in Chinese, nothing in English
    const inChinese = await as.get("commander")!(
      `${w.base}/api/v1/incidents/${incident.id}/dispatches`,
      json("POST", { depot_id: depotInside, items: [{ item: "quilt", quantity: 4 }] }, { "Accept-Language": "zh-CN" }),
    );
    const zh = await inChinese.json();
    expect(zh.detail).toMatch(/^库存不足：.+ 的棉被只有 3 床，不足 4 床；未发出任何物资$/);
    expect(zh.errors[0].message).toMatch(/的棉被只有 3 床，不足 4 床$/);
    expect(`${zh.title}${zh.detail}`).not.toMatch(/[A-Za-z]{3,}/);
    expect(await stockOf(depotInside)).toEqual(before);
    const missing = await as.get("commander")!(
      `${w.base}/api/v1/incidents/${incident.id}/dispatches`,
      json("POST", { depot_id: 987654, items: [{ item: "water", quantity: 1 }] }),
    );
    expect(missing.status).toBe(422);
    expect((await missing.json()).errors[0].path).toEqual(["depot_id"]);
    expect(
      (
        await as.get("viewer")!(
          `${w.base}/api/v1/incidents/${incident.id}/dispatches`,
          json("POST", { depot_id: depotInside, items: [{ item: "water", quantity: 1 }] }),
        )
      ).status,
    ).toBe(403);
  });

  it("sends a plan's lines from several depots in one action, all or none; sends sharing depots in any order never deadlock", async () => {
    const incident = await openIncident();
    const url = `${w.base}/api/v1/incidents/${incident.id}/dispatches/batch`;
    await w.db("depot_stock").where({ depot_id: depotInside, item_code: "tent" }).update({ quantity: 10 });
    const inside = await stockOf(depotInside);
    const outside = await stockOf(depotOutside);
    const tooMuch = await as.get("commander")!(
      url,
      json("POST", {
        dispatches: [
          { depot_id: depotOutside, items: [{ item: "tent", quantity: 5 }] },
          { depot_id: depotInside, items: [{ item: "tent", quantity: 11 }] },
        ],
      }),
    );
    expect(tooMuch.status).toBe(409);
    expect((await tooMuch.json()).errors).toEqual([{ path: ["dispatches", 1, "items", 0, "quantity"], message: expect.stringContaining("holds 10") }]);
    expect([await stockOf(depotInside), await stockOf(depotOutside)]).toEqual([inside, outside]);

    // ten plans at once, each drawing on both depots, half of them naming the depots the other way round
    const plans = Array.from({ length: 10 }, (_, n) => {
      const lines = [
        { depot_id: depotInside, items: [{ item: "tent", quantity: 1 }] },
        { depot_id: depotOutside, items: [{ item: "tent", quantity: 2 }] },
      ];
      return as.get("commander")!(url, json("POST", { dispatches: n % 2 ? lines.reverse() : lines }));
    });
    const sent = await Promise.all(plans);
    expect(sent.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect((await sent[0]!.json()).dispatches).toHaveLength(2);
    expect((await stockOf(depotInside)).tent).toBe(0);
    expect((await stockOf(depotOutside)).tent).toBe(outside.tent - 20);
  });

  it("a cancelled dispatch returns its stock; a delivered one is final", async () => {
    const incident = await openIncident();
    const url = `${w.base}/api/v1/incidents/${incident.id}/dispatches`;
    const before = (await stockOf(depotInside)).water;
    const sent = await (await as.get("commander")!(url, json("POST", { depot_id: depotInside, items: [{ item: "water", quantity: "12 箱" }] }))).json();
    expect((await stockOf(depotInside)).water).toBe(before - 12);
    const cancelled = await as.get("commander")!(`${url}/${sent.id}`, json("PATCH", { status: "cancelled" }, { "If-Match": `"${sent.version}"` }));
    expect(cancelled.status).toBe(200);
    expect((await stockOf(depotInside)).water).toBe(before);
    expect((await as.get("commander")!(`${url}/${sent.id}`, json("PATCH", { status: "delivered" }, { "If-Match": '"2"' }))).status).toBe(409);

    const second = await (await as.get("commander")!(url, json("POST", { depot_id: depotInside, items: [{ item: "water", quantity: 5 }] }))).json();
    expect((await as.get("commander")!(`${url}/${second.id}`, json("PATCH", { status: "delivered" }, { "If-Match": '"1"' }))).status).toBe(200);
    expect((await as.get("commander")!(`${url}/${second.id}`, json("PATCH", { status: "cancelled" }, { "If-Match": '"2"' }))).status).toBe(409);
    expect((await stockOf(depotInside)).water).toBe(before - 5);
  });
});

describe("the live feed", () => {
  it("announces what is done for an incident — a dispatch, a deployment, a note — so open panels read it again", async () => {
    const incident = await openIncident();
    const base = `${w.base}/api/v1/incidents/${incident.id}`;
    const feed = await listenToChanges(w);
    try {
      await feed.listening();
      const sent = await (
        await as.get("commander")!(`${base}/dispatches`, json("POST", { depot_id: depotInside, items: [{ item: "water", quantity: 1 }] }))
      ).json();
      const deployed = await (await as.get("commander")!(`${base}/deployments`, json("POST", { team_id: team }))).json();
      const note = await (await as.get("commander")!(`${base}/notes`, json("POST", { text: "二号桥可通行" }))).json();
      await as.get("commander")!(`${base}/deployments/${deployed.id}/release`, { method: "POST" });
      const seen: string[] = [];
      for (let c = await feed.next(); c; c = await feed.next(1_000)) if (c.layer !== "depots" && c.layer !== "teams") seen.push(`${c.layer} ${c.op} ${c.id}`);
      expect(seen).toEqual([
        `dispatches insert ${sent.id}`,
        `deployments insert ${deployed.id}`,
        `incident_notes insert ${note.id}`,
        `deployments update ${deployed.id}`,
      ]);
    } finally {
      feed.close();
    }
  });
});

describe("deploying teams and the timeline", () => {
  it("deploys a standby team once (racing commanders get one deployment), releases it, and the timeline says who did what", async () => {
    const incident = await openIncident();
    const base = `${w.base}/api/v1/incidents/${incident.id}`;
    const racing = await Promise.all(Array.from({ length: 5 }, () => as.get("commander")!(`${base}/deployments`, json("POST", { team_id: team }))));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await w.db("teams").where({ id: team }).first("status")).status).toBe("deployed");
    const refused = await (await racing.find((r) => r.status === 409)!).json();
    const zh = await (await as.get("commander")!(`${base}/deployments`, json("POST", { team_id: team }, { "Accept-Language": "zh-CN" }))).json();
    expect([refused.errors, zh.errors]).toEqual([
      [{ path: ["team_id"], message: "not on standby (deployed)" }],
      [{ path: ["team_id"], message: "未处于待命状态（已出动）" }],
    ]);
    expect(zh.detail).toMatch(/ 不可调派：当前已出动$/);
    const deployment = await (await racing.find((r) => r.status === 201)!).json();
    await as.get("commander")!(`${base}/notes`, json("POST", { text: "乙村道路中断，改走县道" }));
    const patched = await as.get("commander")!(`${w.base}/api/v1/layers/shelters/features/${shelter}`, {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json", "If-Match": '"1"' },
      body: JSON.stringify({ properties: { occupancy: 120 } }),
    });
    expect(patched.status).toBe(200);
    expect((await as.get("commander")!(`${base}/deployments/${deployment.id}/release`, { method: "POST" })).status).toBe(200);
    expect((await w.db("teams").where({ id: team }).first("status")).status).toBe("standby");

    const { timeline } = await (await w.fetch(`${base}/timeline`)).json();
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(["incident_opened", "team_deployed", "note", "occupancy_reported", "team_released"]);
    expect(new Set(timeline.map((e: { by: string }) => e.by))).toEqual(new Set(["the-commander"]));
    expect(timeline[2].detail.text).toBe("乙村道路中断，改走县道");
    expect(timeline[3].detail).toMatchObject({ shelter_name: "中心小学", occupancy: 120, previous: 0 });

    // the situation report's figures: the villages in the area by people, the shelter that reported, the rest as above
    const report = await (await as.get("viewer")!(`${base}/report`)).json();
    const inside = VILLAGES.filter((v) => inArea(v.at)).sort((a, b) => b.population - a.population);
    expect(report.affected.villages.map((v: { name: string }) => v.name)).toEqual(inside.map((v) => v.name));
    expect(report.affected.population).toBe(inside.reduce((s, v) => s + v.population, 0));
    expect(report.sheltered).toEqual({ people: 120, shelters: [expect.objectContaining({ name: "中心小学", occupancy: 120, capacity: 800 })] });
    expect(report.deployments).toEqual([expect.objectContaining({ team_name: "消防救援大队", released_at: expect.any(String) })]);
    expect(report.timeline).toEqual(timeline);
    expect(report.needs.days).toBe(3);
    // the evacuation the plan asks for the incident: the same plan as the question asked by incident_id
    const plan = await (await as.get("viewer")!(`${w.base}/api/v1/evacuation-plan`, json("POST", { incident_id: incident.id }))).json();
    const placed = plan.assignments.reduce((n: number, a: { people: number }) => n + a.people, 0);
    expect(report.evacuation).toEqual({
      by: plan.by,
      to_move: report.affected.population,
      placed,
      shelters: new Set(plan.assignments.map((a: { shelter_id: number }) => a.shelter_id)).size,
      unplaced: report.affected.population - placed,
    });

    // the same as a PDF a person reads: Chinese text embedded (a subset font), read back by poppler
    const res = await as.get("viewer")!(`${base}/report.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = readPdf(Buffer.from(await res.arrayBuffer()), "incident-report-zh", 2);
    expect(pdf.fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
    const text = pdf.text.replace(/\s+/g, "");
    for (const words of [
      "山洪态势报告",
      "洪涝·Ⅱ级（重大）", // the kind in the web app's words (data/incident_kinds.ts)
      ...inside.map((v) => v.name),
      "中心小学",
      "消防救援大队",
      "乙村道路中断，改走县道",
      "已安置120人",
      `拟转移${placed.toLocaleString("en-US")}人`,
    ])
      expect(text).toContain(words);
    for (const line of report.needs.items as { name_zh: string; need: number; unit_zh: string }[])
      expect(text).toContain(`${line.need.toLocaleString("en-US")}${line.unit_zh}`);
  });
});
