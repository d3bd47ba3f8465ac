// Nantou (南投縣) as a clerk has it: townships with Taiwan's own 8-digit MOI codes, one of them (仁愛鄉)
// known only from a sheet of code and name, without its boundary; the 262 villages imported from the
// published villages_points.csv with their 11-digit codes, naming their township by 8-digit code, by
// its Traditional name as written in the file, or by its Simplified name. Every village must land in its
// township (the file's own town_code is the truth), and the per-township questions must count them.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../support/world.ts";
import { NANTOU_DIR, parseCsv } from "../support/nantou.ts";

/** The 13 township names in Simplified characters, written out by hand (not by the product's converter). */
const SIMPLIFIED: Record<string, string> = {
  南投市: "南投市",
  埔里鎮: "埔里镇",
  草屯鎮: "草屯镇",
  竹山鎮: "竹山镇",
  集集鎮: "集集镇",
  名間鄉: "名间乡",
  鹿谷鄉: "鹿谷乡",
  中寮鄉: "中寮乡",
  魚池鄉: "鱼池乡",
  國姓鄉: "国姓乡",
  水里鄉: "水里乡",
  信義鄉: "信义乡",
  仁愛鄉: "仁爱乡",
};
/** The township whose boundary the clerk does not have: it comes from a sheet of code and name. */
const UNMAPPED = "10008130";

let w: World;
let villages: Record<string, string>[];
let towns: { type: "Feature"; geometry: unknown; properties: Record<string, unknown> }[];

beforeAll(async () => {
  w = await startWorld();
  villages = parseCsv(await readFile(new URL("villages_points.csv", NANTOU_DIR), "utf8"));
  towns = JSON.parse(await readFile(new URL("townships.geojson", NANTOU_DIR), "utf8")).features;
}, 120_000);
afterAll(() => w?.close());

const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** A CSV of the villages with the given header → value of each row. */
const csv = (columns: Record<string, (r: Record<string, string>) => string>) =>
  [
    Object.keys(columns).join(","),
    ...villages.map((r) =>
      Object.values(columns)
        .map((f) => quote(f(r)))
        .join(","),
    ),
  ].join("\n") + "\n";

async function importFile(layer: string, format: "csv" | "geojson", body: string) {
  const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/import?format=${format}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/octet-stream" },
  });
  return { status: res.status, body: await res.json() };
}

/** Each village's township_code, by its 11-digit village code. */
async function townshipOfVillage(): Promise<Map<string, string | null>> {
  const rows: { admin_code: string; township_code: string | null }[] = await w.db("villages").select("admin_code", "township_code");
  return new Map(rows.map((r) => [r.admin_code, r.township_code]));
}
const truth = () => new Map(villages.map((r) => [r.villcode!, r.town_code!]));

// the clerk's village sheet: the published columns, with the ones our template names differently renamed
const base = {
  code: (r: Record<string, string>) => r.villcode!,
  区划代码: (r: Record<string, string>) => r.villcode!,
  名称: (r: Record<string, string>) => r.village_name!,
  人口: (r: Record<string, string>) => r.population!,
  户数: (r: Record<string, string>) => r.households!,
  lon: (r: Record<string, string>) => r.lon!,
  lat: (r: Record<string, string>) => r.lat!,
};

describe("Nantou's townships and villages with their own codes and names", () => {
  it("loads 12 townships with boundaries and 8-digit codes, and 仁愛鄉 from a sheet of code and name", async () => {
    expect(towns).toHaveLength(13);
    const mapped = towns
      .filter((f) => f.properties.town_code !== UNMAPPED)
      .map((f) => ({
        type: "Feature",
        geometry: f.geometry,
        properties: { code: f.properties.town_code, name: f.properties.town_name, admin_code: f.properties.town_code },
      }));
    const r = await importFile("townships", "geojson", JSON.stringify({ type: "FeatureCollection", features: mapped }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ inserted: 12, errors: [] });
    const sheet = await importFile(
      "townships",
      "csv",
      `code,鄉鎮名稱,區劃代碼\n${UNMAPPED},仁愛鄉,${UNMAPPED}\n`.replace("鄉鎮名稱", "名称").replace("區劃代碼", "区划代码"),
    );
    expect(sheet.status, JSON.stringify(sheet.body)).toBe(200);
    expect(sheet.body).toMatchObject({ inserted: 1, errors: [] });

    const { layers } = await (await w.fetch(`${w.base}/api/v1/layers`)).json();
    expect(layers.find((l: { name: string }) => l.name === "townships")).toMatchObject({ count: 13, without_geometry: 1 });
  });

  it("imports the 262 villages naming their township as the file writes it (Traditional): every one lands in its township", async () => {
    const r = await importFile("villages", "csv", csv({ ...base, 鄉鎮: (v) => v.town_name! }));
    expect(r.status, JSON.stringify(r.body).slice(0, 2000)).toBe(200);
    expect(r.body).toMatchObject({ inserted: 262, errors: [] });
    expect(await townshipOfVillage()).toEqual(truth());
  });

  it("re-imports them naming their township in Simplified characters, after the codes were lost: every one lands again", async () => {
    await w.db("villages").update({ township_code: null });
    const r = await importFile("villages", "csv", csv({ ...base, 乡镇: (v) => SIMPLIFIED[v.town_name!]! }));
    expect(r.status, JSON.stringify(r.body).slice(0, 2000)).toBe(200);
    expect(r.body).toMatchObject({ updated: 262, errors: [] });
    expect(await townshipOfVillage()).toEqual(truth());
  });

  it("re-imports them with the file's own town_code and town_name columns: nothing changes", async () => {
    const r = await importFile("villages", "csv", csv({ ...base, town_code: (v) => v.town_code!, town_name: (v) => v.town_name! }));
    expect(r.status, JSON.stringify(r.body).slice(0, 2000)).toBe(200);
    expect(r.body).toMatchObject({ updated: 0, unchanged: 262, errors: [] });
  });

  it("refuses a sheet where a row names the county instead of a township, naming the row and the column; nothing is written", async () => {
    const row = villages.findIndex((v) => v.villcode === "10008050001"); // 集集鎮 集集里
    const r = await importFile(
      "villages",
      "csv",
      csv({ ...base, 人口: (v) => String(Number(v.population) + 1), 鄉鎮: (v) => (v === villages[row] ? "南投縣" : v.town_name!) }),
    );
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ row: row + 2, field: "township_name", message: expect.stringMatching(/no township is named 南投縣/) }]);
    const populations = await w.db("villages").sum<{ p: string }[]>("population as p");
    expect(Number(populations[0]!.p)).toBe(489_509);
  });

  it("counts every village and person per township, the one without a boundary too", async () => {
    for (const t of towns) {
      const code = String(t.properties.town_code);
      const res = await w.fetch(`${w.base}/api/v1/coverage-gaps?layer=shelters&radius_m=1000&township=${code}`);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.summary, code).toMatchObject({ villages: t.properties.village_count, population: t.properties.population });
    }
    const res = await w.fetch(`${w.base}/api/v1/shelter-capacity?radius_m=3000`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    const unmapped = towns.find((t) => t.properties.town_code === UNMAPPED)!;
    expect(body.townships).toHaveLength(13);
    expect(body.townships.find((t: { township: string }) => t.township === UNMAPPED)).toMatchObject({
      name: "仁愛鄉",
      population: unmapped.properties.population,
    });
  });
});
