import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { hazmapStyle, type StyleMetadata } from "../styles/hazmap_style.ts";
import { GREY, type Cell, PaperDoc } from "../paper/paper_doc.ts";
import { drawVectorMap, type VectorMap } from "../paper/vector_map.ts";
import { labelOf } from "../paper/labels.ts";
import { situationReport } from "./report.ts";
import type { TimelineEntry } from "./timeline.ts";
import { GENERAL_INCIDENT_KIND_WORDS } from "../../data/incident_kinds.ts";

const LEVELS = ["", "Ⅰ级（特别重大）", "Ⅱ级（重大）", "Ⅲ级（较大）", "Ⅳ级（一般）"];
const STATUS: Record<string, string> = { sent: "在途", delivered: "已送达", cancelled: "已取消" };
const PER: Record<string, string> = { person_day: "人·日", person: "人", household: "户" };

const reportMap = new Statement(sqlFile(new URL("./report_map.sql", import.meta.url)), "incident_report_map");

/** Beijing time, to the minute: what a report is read in. */
const when = (at: string | null) =>
  at === null
    ? "—"
    : new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short", hour12: false }).format(new Date(at));

const n = (x: number) => x.toLocaleString("en-US");

/** A timeline entry in words. */
function happened(e: TimelineEntry): string {
  const d = e.detail as Record<string, unknown>;
  const items = () =>
    ((d.items as { name_zh: string; quantity: number; unit_zh: string }[] | null) ?? []).map((i) => `${i.name_zh} ${n(i.quantity)} ${i.unit_zh}`).join("、");
  switch (e.kind) {
    case "incident_opened":
      return `启动事件 ${d.name}（${LEVELS[d.level as number] ?? ""}）`;
    case "incident_changed":
      return `修改事件：${d.name}，${LEVELS[d.level as number] ?? ""}`;
    case "incident_closed":
      return "事件结束";
    case "dispatch_sent":
      return `从${d.depot_name}调拨 ${items()}`;
    case "dispatch_delivered":
      return `${d.depot_name}的调拨已送达：${items()}`;
    case "dispatch_cancelled":
      return `取消${d.depot_name}的调拨，物资退回`;
    case "team_deployed":
      return `派出${d.team_name}`;
    case "team_released":
      return `${d.team_name}撤回待命`;
    case "note":
      return String(d.text);
    case "occupancy_reported":
      return `${d.shelter_name}报告已安置 ${n(d.occupancy as number)} 人（此前 ${n((d.previous as number) ?? 0)} 人，容量 ${n(d.capacity as number)} 人）`;
  }
}

/**
 * The situation report (态势报告) as a PDF: the figures of situationReport, in Chinese with the text
 * embedded (a subset CJK font, so pdftotext reads it back): the area's map, the people affected and
 * sheltered, needs for three days against what was sent and the shortfall, stock sent, teams, timeline.
 */
export async function situationReportPdf(db: Db, incidentId: number, unit = ""): Promise<Uint8Array> {
  const r = await situationReport(db, incidentId);
  const i = r.incident.properties;
  // the general kinds in the web app's words; the others are the hazards' kinds, labelled by the registry
  const kind = GENERAL_INCIDENT_KIND_WORDS[i.kind]?.zh ?? labelOf("hazards", "kind", i.kind);
  const title = `${i.name}态势报告`;
  const p = await PaperDoc.create(title);
  p.text(title, p.left, p.y - 18, 18);
  p.y -= 26;
  p.paragraph(`${kind} · ${LEVELS[i.level]} · 开始于 ${when(i.started_at)}${i.ended_at ? ` · 结束于 ${when(i.ended_at)}` : " · 处置中"}`, 10, GREY);
  p.paragraph(`${unit ? `${unit} · ` : ""}报告时间 ${when(r.generated_at)}`, 9, GREY);
  p.paragraph(
    `受影响 ${r.affected.villages.length} 个村（社区）、${n(r.affected.population)} 人 · 拟转移 ${n(r.evacuation.placed)} 人到 ${r.evacuation.shelters} 个避难场所${r.evacuation.unplaced ? `（${n(r.evacuation.unplaced)} 人尚无处安置）` : ""} · 已安置 ${n(r.sheltered.people)} 人 · 派出队伍 ${r.deployments.filter((d) => !d.released_at).length} 支 · 调拨 ${r.dispatches.filter((d) => d.status !== "cancelled").length} 批`,
    11,
  );

  const [row] = await reportMap.run<Record<"boundary" | "box" | "roads" | "villages" | "shelters", string>>(db, {
    incident: incidentId,
    shelter_ids: r.sheltered.shelters.map((s) => s.id),
  });
  const reported = new Set(r.sheltered.shelters.map((s) => s.id));
  const map: VectorMap = {
    boundary: JSON.parse(row!.boundary),
    box: JSON.parse(row!.box),
    roads: JSON.parse(row!.roads),
    villages: JSON.parse(row!.villages),
    shelters: (JSON.parse(row!.shelters) as VectorMap["shelters"]).map((s) => ({ ...s, receives: reported.has(s.id) })),
    flows: [],
    words: { area: "事件区域", receiving: "避难场所（已报告安置）" },
  };
  drawVectorMap(p, map, (hazmapStyle("").metadata as StyleMetadata)["hazmap:legend"], (c) => labelOf("roads", "road_class", c));

  p.newPage();
  const table = (heading: string, headers: string[], rows: Cell[][], none: string) => {
    p.heading(heading);
    if (rows.length) p.table(headers, rows);
    else p.paragraph(none, 10, GREY);
    p.y -= 6;
  };
  table(
    "受影响村（社区）",
    ["村（社区）", "乡镇", "人口（人）", "户数"],
    r.affected.villages.map((v) => [v.name, v.township ?? "—", v.population, v.households]),
    "区域内没有登记的村（社区）。",
  );
  table(
    "安置情况（事件期间报告）",
    ["避难场所", "已安置（人）", "容量（人）", "报告时间"],
    r.sheltered.shelters.map((s) => [s.name, s.occupancy, s.capacity, when(s.reported_at)]),
    "尚无避难场所报告安置人数。",
  );
  const reach = "minutes" in r.needs.reach ? `公路 ${r.needs.reach.minutes} 分钟内` : `直线 ${n(r.needs.reach.metres / 1000)} 公里内`;
  table(
    `物资需求（${r.needs.days} 天，${n(r.needs.population)} 人、${n(r.needs.households)} 户；可调为${reach}有库存的储备库）`,
    ["物资", "定额", "需求", "已调拨", "可调", "缺口"],
    r.needs.items.map((x) => [
      x.name_zh,
      `${x.per_quantity} ${x.unit_zh}/${PER[x.per] ?? x.per}`,
      `${n(x.need)} ${x.unit_zh}`,
      `${n(x.dispatched)} ${x.unit_zh}`,
      `${n(x.in_reach)} ${x.unit_zh}`,
      `${n(x.shortfall)} ${x.unit_zh}`,
    ]),
    "没有需求定额。",
  );
  table(
    "物资调拨",
    ["储备库", "物资", "状态", "发出时间", "发出人"],
    r.dispatches.map((d) => [
      d.depot_name,
      d.items.map((x) => `${x.name_zh} ${n(x.quantity)} ${x.unit_zh}`).join("、"),
      STATUS[d.status] ?? d.status,
      when(d.created_at),
      d.sent_by,
    ]),
    "尚未调拨物资。",
  );
  table(
    "救援队伍",
    ["队伍", "派出时间", "撤回时间", "派出人"],
    r.deployments.map((d) => [d.team_name, when(d.deployed_at), d.released_at ? when(d.released_at) : "在场", d.deployed_by]),
    "尚未派出队伍。",
  );
  table(
    "时间线",
    ["时间", "人员", "事项"],
    r.timeline.map((e) => [when(e.at), e.by, happened(e)]),
    "—",
  );
  p.signatures(["报告人", "审核人", "签发人"]);
  return p.bytes();
}
