import { describe, expect, it } from "vitest";
import { useDemoWorld } from "../support/demo_world.ts";
import { withToken } from "../support/world.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";
import { countyEvacuation } from "../../server/questions/county_evacuation.ts";
import { readPdf } from "../support/pdf.ts";

/** Text as pdftotext gives it with spaces and breaks taken out, so a number or a name wrapped in a cell still matches. */
const squeeze = (s: string) => s.replace(/\s+/g, "");

describe("a township's evacuation book", () => {
  const demo = useDemoWorld();

  it("lists every village of the township with its people, and each shelter with the people it takes, as the county-wide plan says", async () => {
    const { world } = demo;
    const township = await world.db("townships").orderBy("admin_code").first("admin_code", "name");
    const res = await world.fetch(`${world.base}/api/v1/townships/${township.admin_code}/evacuation-book.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = readPdf(Buffer.from(await res.arrayBuffer()), "evacuation-book-zh", 2);
    // one embedded subset CJK font (ABCDEF+Name, emb yes, sub yes, ToUnicode yes)
    expect(pdf.fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/);
    const text = squeeze(pdf.text);
    expect(text).toContain(`${township.name}避险转移手册`);

    const plan = await countyEvacuation(world.db);
    expect(plan.by).toBe("road");
    const villages = await world
      .db("villages")
      .where({ township_code: township.admin_code })
      .where("population", ">", 0)
      .orderBy("id")
      .select("id", "name", "population");
    expect(villages.length).toBeGreaterThan(5);
    // a map page, then the villages: a page for every few villages at most
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    expect(pdf.pages).toBeLessThanOrEqual(2 + villages.length);
    const shelterNames = new Map((await world.db("shelters").select("id", "name")).map((s) => [Number(s.id), s.name as string]));
    for (const v of villages) {
      expect(text).toContain(squeeze(`${v.name} 人口 ${v.population.toLocaleString("en-US")} 人`));
      const mine = plan.assignments.filter((a) => a.village_id === Number(v.id));
      const left = plan.unassigned.find((u) => u.village_id === Number(v.id))?.people ?? 0;
      // the plan accounts for every person of the village, from the villages table itself
      expect(mine.reduce((s, a) => s + a.people, 0) + left).toBe(v.population);
      for (const a of mine) {
        expect(text).toContain(squeeze(shelterNames.get(a.shelter_id)!));
        expect(text).toContain(squeeze(`${shelterNames.get(a.shelter_id)} ${a.people.toLocaleString("en-US")}`));
        expect(text).toContain(squeeze(`${(a.road_distance_m! / 1000).toFixed(1)} 公里 / ${Math.max(1, Math.round(a.travel_time_s! / 60))} 分钟`));
      }
      if (left) expect(text).toContain(squeeze(`未能安置 ${left.toLocaleString("en-US")} 人`));
    }
    expect(text).toContain("经");
  });

  it("is still a book for a township known only by code and name: no map, no villages, said so", async () => {
    const { world } = demo;
    const code = (await world.db("townships").first("admin_code")).admin_code as string;
    const created = await world.fetch(`${world.base}/api/v1/layers/townships/features`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "Feature", geometry: null, properties: { name: "新设镇", admin_code: `${code.slice(0, 6)}998000` } }),
    });
    expect(created.status).toBe(201);
    const res = await world.fetch(`${world.base}/api/v1/townships/${code.slice(0, 6)}998000/evacuation-book.pdf`);
    expect(res.status).toBe(200);
    const text = squeeze(readPdf(Buffer.from(await res.arrayBuffer())).text);
    for (const words of ["新设镇避险转移手册", "0个村（社区）", "该乡镇没有边界", "本乡镇没有登记人口的村"]) expect(text).toContain(words);
  });

  it("is for planners and commanders; a missing township is 404, a malformed code 400, as problem+json", async () => {
    const { world } = demo;
    const code = (await world.db("townships").first("admin_code")).admin_code;
    const as = async (role: string) => {
      const account = await createAccount(world.db, { username: `book-${role}`, password: "a long enough password", roles: [role], townships: [] });
      return withToken((await createToken(world.db, account.id, "book")).token);
    };
    for (const role of ["planner", "commander"]) {
      const res = await (await as(role))(`${world.base}/api/v1/townships/${code}/evacuation-book.pdf`);
      expect(res.status, role).toBe(200);
      await res.arrayBuffer();
    }
    for (const role of ["viewer", "analyst", "clerk"]) {
      const res = await (await as(role))(`${world.base}/api/v1/townships/${code}/evacuation-book.pdf`);
      expect(res.status, role).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    const anonymous = await fetch(`${world.base}/api/v1/townships/${code}/evacuation-book.pdf`);
    expect(anonymous.status).toBe(401);
    const missing = await world.fetch(`${world.base}/api/v1/townships/${code.slice(0, 6)}999000/evacuation-book.pdf`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const bad = await world.fetch(`${world.base}/api/v1/townships/abc/evacuation-book.pdf`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ path: ["admin_code"] }] });
  });
});
