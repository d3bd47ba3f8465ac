import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { createAccount } from "../../server/auth/accounts.ts";
import { createToken } from "../../server/auth/tokens.ts";

/** The API's refusals in the reader's language (Accept-Language), through the real HTTP server. */
let w: World;
let clerkToken: string;
const TOWNSHIP = { name: "青石镇", admin_code: "510199202000" };
beforeAll(async () => {
  w = await startWorld();
  await w.db.raw("INSERT INTO townships (name, admin_code, geom) VALUES (?, ?, ST_Multi(ST_MakeEnvelope(104, 31, 104.1, 31.1, 4326)))", [
    TOWNSHIP.name,
    TOWNSHIP.admin_code,
  ]);
  await createAccount(w.db, { username: "li.na", password: "correct horse 电池", roles: ["commander"] });
  const clerk = await createAccount(w.db, { username: "clerk.qingshi", password: "clerk password 1", roles: ["clerk"], townships: [TOWNSHIP.admin_code] });
  clerkToken = (await createToken(w.db, Number(clerk.id), "test")).token;
});
afterAll(() => w.close());

type Lang = "zh-CN" | "en" | undefined;
async function ask(path: string, lang: Lang, init: RequestInit = {}, token = w.token) {
  const headers = new Headers(init.headers);
  if (lang) headers.set("Accept-Language", lang);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const res = await fetch(`${w.base}${path}`, { ...init, headers });
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  return { status: res.status, language: res.headers.get("content-language"), vary: res.headers.get("vary"), body: await res.json() };
}

const HAN = /\p{Script=Han}/u;
/** English words that would mean a message was left untranslated (codes, paths and numbers may stay). */
const ENGLISH = /\b(must|invalid|expected|received|required|not|does|is|be|too|unrecognized|wrong|outside)\b/i;
const chinese = (s: string) => HAN.test(s) && !ENGLISH.test(s);

const badShelter = JSON.stringify({
  type: "Feature",
  geometry: { type: "Point", coordinates: [200, 31] },
  properties: { capacity: "many", status: "ajar", colour: "red", name: "x".repeat(201), occupancy: -1, last_seen: 3 },
});
const post = (body: string) => ({ method: "POST", headers: { "content-type": "application/json" }, body });

describe("the API speaks the reader's language", () => {
  it("validation: the same fields refused, each message in Chinese for zh-CN and in English by default", async () => {
    const [zh, en, none] = await Promise.all([
      ask("/api/v1/layers/shelters/features", "zh-CN", post(badShelter)),
      ask("/api/v1/layers/shelters/features", "en", post(badShelter)),
      ask("/api/v1/layers/shelters/features", undefined, post(badShelter)),
    ]);
    expect([zh.status, en.status, none.status]).toEqual([400, 400, 400]);
    expect(none.body).toEqual(en.body);
    expect(zh.body.errors.map((e: { path: unknown }) => e.path)).toEqual(en.body.errors.map((e: { path: unknown }) => e.path));
    expect(en.body.errors.length).toBeGreaterThanOrEqual(6);
    expect(zh.body.title).toBe("请求有误");
    expect(en.body.title).toBe("Invalid request");
    for (const e of zh.body.errors) expect(chinese(e.message), e.message).toBe(true);
    for (const e of en.body.errors) expect(HAN.test(e.message), e.message).toBe(false);
    expect(zh.body.errors).toContainEqual({ path: ["properties", "name"], message: "不得超过 200 个字符" });
    expect(zh.body.errors).toContainEqual({ path: ["geometry", "coordinates", 0], message: "经度必须在 -180 到 180 之间" });
    expect(zh.body.errors).toContainEqual({ path: ["properties", "colour"], message: "不是此图层的属性" });
    expect(en.body.errors).toContainEqual({ path: ["properties", "colour"], message: "not an attribute of this layer" });
    // the detail names each field with its message, in the same language
    expect(zh.body.detail).toContain("properties.name: 不得超过 200 个字符");
    expect(chinese(zh.body.detail.replace(/properties\.\w+|geometry\.coordinates\.\d/g, ""))).toBe(true);
    expect([zh.language, en.language, none.language]).toEqual(["zh-CN", "en", "en"]);
    expect(zh.vary).toMatch(/Accept-Language/);
  });

  it("query strings too: zod's own messages and the server's rules", async () => {
    const zh = await ask("/api/v1/nearest?layer=boats&lon=east&lat=31&limit=0", "zh-CN");
    const en = await ask("/api/v1/nearest?layer=boats&lon=east&lat=31&limit=0", "en");
    expect(zh.status).toBe(400);
    expect(zh.body.errors.length).toBe(en.body.errors.length);
    for (const e of zh.body.errors) expect(chinese(e.message), e.message).toBe(true);
    for (const e of en.body.errors) expect(HAN.test(e.message)).toBe(false);
  });

  it("sign-in refused: 用户名或密码错误 in Chinese, the English words otherwise", async () => {
    const body = JSON.stringify({ username: "li.na", password: "wrong" });
    const zh = await ask("/api/v1/auth/login", "zh-CN", post(body), "");
    const en = await ask("/api/v1/auth/login", "en", post(body), "");
    expect([zh.status, en.status]).toEqual([401, 401]);
    expect(zh.body).toMatchObject({ title: "登录失败", detail: "用户名或密码错误", type: "/problems/sign-in-failed" });
    expect(en.body).toMatchObject({ title: "Sign-in failed", detail: "wrong user name or password", type: "/problems/sign-in-failed" });
  });

  it("a clerk's refusal outside the township names it, in Chinese for a Chinese reader", async () => {
    const outside = JSON.stringify({
      type: "Feature",
      geometry: { type: "Point", coordinates: [104.5, 31.5] },
      properties: { name: "越界避难所", capacity: 10 },
    });
    const zh = await ask("/api/v1/layers/shelters/features", "zh-CN", post(outside), clerkToken);
    const en = await ask("/api/v1/layers/shelters/features", "en", post(outside), clerkToken);
    expect([zh.status, en.status]).toEqual([403, 403]);
    expect(zh.body.title).toBe("无权操作");
    expect(zh.body.detail).toMatch(/^此操作会把应急避难场所 \d+ 移到您负责的乡镇（青石镇 510199202000）之外$/);
    expect(en.body.detail).toMatch(/^this would place shelters \d+ outside your townships \(青石镇 510199202000\)$/);
  });

  it("not found: the layer by its Chinese name", async () => {
    const zh = await ask("/api/v1/layers/shelters/features/987654", "zh-CN");
    const en = await ask("/api/v1/layers/shelters/features/987654", "en");
    expect(zh.body).toMatchObject({ status: 404, title: "未找到", detail: "应急避难场所 987654 不存在" });
    expect(en.body).toMatchObject({ status: 404, title: "Not found", detail: "shelters 987654 does not exist" });
    const layer = await ask("/api/v1/layers/boats/features", "zh-CN");
    expect(layer.body.detail).toBe("没有名为 boats 的图层；GET /api/v1/layers 列出全部图层");
  });

  it("an import's rejected rows: every row's message in the reader's language", async () => {
    const csv = "名称,容纳人数,状态,经度,纬度\n甲,很多,开放,104.05,31.05\n乙,10,半开,104.05,31.05\n丙,10,开放,,\n";
    const send = (lang: Lang) =>
      ask("/api/v1/layers/shelters/import?format=csv&dry_run=true", lang, { method: "POST", body: csv, headers: { "content-type": "text/csv" } });
    const [zh, en] = [await send("zh-CN"), await send("en")];
    expect([zh.status, en.status]).toEqual([422, 422]);
    expect(zh.body.title).toBe("导入被拒绝");
    expect(zh.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual(
      en.body.errors.map((e: { row: number; field: string }) => [e.row, e.field]),
    );
    expect(zh.body.errors.map((e: { row: number }) => e.row)).toEqual([2, 3, 4]);
    for (const e of zh.body.errors) expect(chinese(e.message), e.message).toBe(true);
    expect(zh.body.detail).toMatch(/^3 行被拒绝，未写入任何数据；第一处：第 2 行，capacity：/);
    expect(en.body.detail).toMatch(/^3 row\(s\) rejected, nothing was written; first: row 2, capacity: /);
  });

  it("chooses by preference weight, and falls back to English for a language it does not speak", async () => {
    const weighted = await ask("/api/v1/layers/shelters/features/987654", "en;q=0.5, zh-CN;q=0.9" as Lang);
    expect(weighted.body.detail).toBe("应急避难场所 987654 不存在");
    const french = await ask("/api/v1/layers/shelters/features/987654", "fr-FR, de;q=0.8" as Lang);
    expect(french.body.detail).toBe("shelters 987654 does not exist");
    const traditional = await ask("/api/v1/layers/shelters/features/987654", "zh-TW" as Lang);
    expect(traditional.language).toBe("zh-CN");
  });
});

describe("who am I, asked by nobody", () => {
  it("is an answer, not an error: 200 with user null", async () => {
    const res = await fetch(`${w.base}/api/v1/auth/me`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: null, via: null, csrf_token: null });
  });
});
