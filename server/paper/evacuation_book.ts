import type { Db } from "../db.ts";
import { notFound } from "../http/problem.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { countyEvacuation, pairKey, type CountyEvacuation } from "../questions/county_evacuation.ts";
import { hazmapStyle } from "../styles/hazmap_style.ts";
import type { StyleMetadata } from "../styles/hazmap_style.ts";
import { fieldLabel, labelOf } from "./labels.ts";
import { drawVectorMap, type VectorMap } from "./vector_map.ts";
import { GREY, issuedOn, PaperDoc, type Cell } from "./paper_doc.ts";

const townshipMap = new Statement(sqlFile(new URL("./township_map.sql", import.meta.url)));

const km = (m: number | undefined) => (m === undefined ? null : `${(m / 1000).toFixed(1)}`);
const minutes = (s: number | undefined) => (s === undefined ? null : `${Math.max(1, Math.round(s / 60))}`);

const UNASSIGNED: Record<CountyEvacuation["unassigned"][number]["reason"], string> = {
  no_shelter_in_reach: "范围内无可用避难场所",
  no_capacity_left: "附近避难场所已满",
  beyond_reach: "距道路过远，无法按道路安排",
  no_roads: "附近没有道路",
};

/**
 * A township's evacuation book (避险转移手册): page 1 its map drawn as vectors (boundary, roads by class,
 * villages, the shelters its people go to, with names), then for each village its people and the
 * shelters that take them — how many each, the distance and (by road) time and the roads travelled, the
 * shelter's address and facilities — from the county-wide allocation (county_evacuation.ts), and last
 * the shelters themselves. 404 when the township does not exist.
 */
export async function evacuationBook(db: Db, adminCode: string, unit = ""): Promise<Uint8Array> {
  const township = await db("townships").where({ admin_code: adminCode }).first("name", "admin_code");
  if (!township) throw notFound(`township ${adminCode} does not exist`);
  const plan = await countyEvacuation(db);
  const villages = plan.villages.filter((v) => v.township === adminCode);
  const ids = new Set(villages.map((v) => v.id));
  const assignments = plan.assignments.filter((a) => ids.has(a.village_id));
  const shelterIds = [...new Set(assignments.map((a) => a.shelter_id))];
  const shelterRows = shelterIds.length
    ? await db("shelters").whereIn("id", shelterIds).select("id", "name", "address", "facilities", "capacity", "occupancy")
    : [];
  const shelters = new Map(shelterRows.map((s) => [Number(s.id), s as { id: number; name: string; address: string | null; facilities: string[] | null }]));
  const people = villages.reduce((s, v) => s + v.population, 0);
  const placed = assignments.reduce((s, a) => s + a.people, 0);
  const title = `${township.name}避险转移手册`;

  const p = await PaperDoc.create(title);
  p.text(title, p.left, p.y - 18, 18);
  p.y -= 26;
  p.paragraph(
    `区划代码 ${adminCode} · ${villages.length} 个村（社区） · 人口 ${people.toLocaleString("en-US")} 人 · 拟安置 ${placed.toLocaleString("en-US")} 人` +
      (people > placed ? ` · 未能安置 ${(people - placed).toLocaleString("en-US")} 人` : ""),
    10,
    GREY,
  );
  p.paragraph(
    `${unit ? `${unit} · ` : ""}编制日期 ${issuedOn()} · 按全县统一分配（同一避难场所的位置不重复计算）${plan.by === "road" ? "，按道路用时（60 分钟内）" : "，按直线距离（20 公里内）"}`,
    9,
    GREY,
  );

  // page 1: the map
  const [row] = await townshipMap.run<Record<"boundary" | "box" | "roads" | "villages" | "shelters", string | null>>(db, {
    admin_code: adminCode,
    shelter_ids: shelterIds,
  });
  if (row?.boundary) {
    const legend = (hazmapStyle("").metadata as StyleMetadata)["hazmap:legend"];
    const map: VectorMap = {
      boundary: JSON.parse(row.boundary),
      box: JSON.parse(row.box!),
      roads: JSON.parse(row.roads!),
      villages: JSON.parse(row.villages!),
      shelters: (JSON.parse(row.shelters!) as VectorMap["shelters"]).map((s) => ({ ...s, receives: shelters.has(s.id) })),
      flows: assignments.map((a) => ({ village_id: a.village_id, shelter_id: a.shelter_id, people: a.people })),
      words: { area: "乡镇边界", receiving: "避难场所（本乡镇人员前往）" },
    };
    drawVectorMap(p, map, legend, (road) => labelOf("roads", "road_class", road));
  } else p.paragraph("（该乡镇没有边界，地图从略。）", 10, GREY);

  // then each village
  p.newPage();
  p.heading("各村（社区）转移安置");
  const byVillage = new Map<number, typeof assignments>();
  for (const a of assignments) byVillage.set(a.village_id, [...(byVillage.get(a.village_id) ?? []), a]);
  const left = new Map(plan.unassigned.map((u) => [u.village_id, u]));
  const byRoad = plan.by === "road";
  for (const v of villages) {
    const rows: Cell[][] = (byVillage.get(v.id) ?? []).map((a) => {
      const s = shelters.get(a.shelter_id)!;
      const route = plan.routes.get(pairKey(a))?.map((r) => r.name) ?? [];
      return [
        s.name,
        a.people,
        byRoad ? `${km(a.road_distance_m)} 公里 / ${minutes(a.travel_time_s)} 分钟` : `${km(a.distance_m)} 公里（直线）`,
        byRoad ? (route.length ? `经 ${route.join(" → ")}` : "就近步行") : "—",
        s.address ?? "—",
        (s.facilities ?? []).map((f) => labelOf("shelters", "facilities", f)).join("、") || "—",
      ];
    });
    p.room(60);
    p.paragraph(`${v.name}　人口 ${v.population.toLocaleString("en-US")} 人`, 12);
    if (rows.length)
      p.table(
        ["避难场所", "拟安置人数", byRoad ? "道路里程 / 用时" : "距离", "转移路线", fieldLabel("shelters", "address"), fieldLabel("shelters", "facilities")],
        rows,
        { weights: [2.2, 1.4, 1.9, 3, 2, 2] },
      );
    const u = left.get(v.id);
    if (u) p.paragraph(`未能安置 ${u.people.toLocaleString("en-US")} 人：${UNASSIGNED[u.reason]}`, 10);
    p.y -= 4;
  }
  if (villages.length === 0) p.paragraph("本乡镇没有登记人口的村（社区）。", 10, GREY);
  p.signatures(["编制人", "审核人", "乡镇负责人"]);
  return p.bytes();
}
