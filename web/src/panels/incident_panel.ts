import type { Map } from "maplibre-gl";
import type { Needs } from "../../../server/incidents/needs.ts";
import type { Dispatch } from "../../../server/incidents/dispatches.ts";
import type { Deployment } from "../../../server/incidents/deployments.ts";
import type { TimelineEntry } from "../../../server/incidents/timeline.ts";
import type { SupplyPlan } from "../../../server/questions/supply_plan.ts";
import { INCIDENT_KINDS } from "../../../data/incident_kinds.ts";
import { api, itemCatalogue, layerInfo, request, showError, type Item } from "../api.ts";
import { formatKm, formatMinutes, formatTime, incidentLevelLabel, label, onLangChange, t, tf, unitLabel } from "../i18n.ts";
import { kindText, LEVEL_COLOURS, onIncidents, openIncidents, reloadIncidents, setIncidentOpener, type IncidentFeature } from "../map/incidents_layer.ts";
import { onChanges } from "../map/live.ts";
import { can } from "../session.ts";
import { incidentAreaPicker } from "./incident_area_picker.ts";
import { download } from "./print_map.ts";
import { fitTo } from "./result_rows.ts";
import { showPart } from "./bottom_sheet.ts";
import { el, text } from "./ui.ts";

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** A field error of a problem answer: where (e.g. dispatches.0.items.1.quantity) and what. */
interface FieldError {
  path: (string | number)[];
  message: string;
}

/**
 * The incident panel (突发事件): the open incidents, and for the one chosen its needs for the coming days
 * by the bureau's norms against what was sent and what is in reach, the stock sent and the teams
 * deployed, the timeline and the situation report (态势报告). Commanders (`command`) open incidents
 * (drawn, a circle or a hazard's zone), send the supply plan's lines in one action, deploy and release
 * teams, mark dispatches delivered or cancel them, write notes and close the incident; everyone else reads.
 */
export async function incidentPanel(map: Map) {
  const section = document.querySelector<HTMLDetailsElement>("#incidents")!;
  const body = section.querySelector(".body")!;
  const commands = can("command");
  const [items, hazards] = await Promise.all([
    itemCatalogue().catch((e) => (showError(e), [] as Item[])),
    layerInfo()
      .then((ls) => ls.find((l) => l.name === "hazards"))
      .catch(() => undefined),
  ]);
  const itemOf = (code: string) => items.find((i) => i.code === code);
  const itemName = (code: string) => {
    const i = itemOf(code);
    return i ? label({ zh: i.name_zh, en: i.name_en }) : code;
  };
  const amount = (n: number, code: string) => {
    const i = itemOf(code);
    return `${n.toLocaleString()} ${i ? unitLabel(i) : ""}`.trim();
  };

  // the open incidents, newest first: a row each, chosen by a tap
  const list = el("ul", { id: "incident-list", className: "result-list" });
  const drawList = () => {
    const open = openIncidents();
    list.replaceChildren(
      ...(open.length
        ? open.map((f) => {
            const b = el("button", { type: "button", className: "result" });
            const swatch = el("span", { className: "level-swatch" });
            swatch.style.background = LEVEL_COLOURS[f.properties.level]!;
            b.append(swatch, `${incidentLevelLabel(f.properties.level)} · ${f.properties.name}`);
            b.dataset.id = String(f.id);
            if (f.id === selected) b.setAttribute("aria-current", "true");
            b.addEventListener("click", () => void select(f.id));
            return el("li", {}, b);
          })
        : [el("li", { className: "hint", textContent: t("noOpenIncidents") })]),
    );
  };

  // opening one (commanders)
  const form = el("form", { id: "incident-form", hidden: true });
  const newButton = text("newIncident", "button", { type: "button", id: "incident-new" });
  if (commands) {
    const picker = incidentAreaPicker(map);
    const name = el("input", { id: "incident-name", required: true, maxLength: 200 });
    const kind = el("select", { id: "incident-kind" }, ...INCIDENT_KINDS.map((k) => el("option", { value: k })));
    const level = el("select", { id: "incident-level" }, ...[1, 2, 3, 4].map((n) => el("option", { value: String(n) })));
    level.value = "3";
    const create = text("openIncident", "button", { type: "submit", id: "incident-create" });
    const cancel = text("cancel", "button", { type: "button", id: "incident-cancel" });
    form.append(
      el("label", {}, text("incidentName"), name),
      el("label", {}, text("incidentKind"), kind),
      el("label", {}, text("incidentLevel"), level),
      picker.element,
      el("div", { className: "buttons" }, create, cancel),
    );
    const words = () => {
      for (const o of kind.options) o.textContent = kindText(hazards, o.value);
      for (const o of level.options) o.textContent = incidentLevelLabel(Number(o.value));
    };
    words();
    onLangChange(words);
    const show = (on: boolean) => {
      form.hidden = !on;
      newButton.hidden = on;
      picker.setActive(on);
    };
    newButton.addEventListener("click", () => show(true));
    cancel.addEventListener("click", () => show(false));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const area = picker.area();
      if (!area) return showError(new Error(picker.missing()));
      create.disabled = true;
      try {
        const made = await api<IncidentFeature>("/api/v1/incidents", json("POST", { name: name.value, kind: kind.value, level: Number(level.value), area }));
        show(false);
        name.value = "";
        await reloadIncidents(map);
        await select(made.id);
      } catch (err) {
        showError(err);
      } finally {
        create.disabled = false;
      }
    });
  }

  // the chosen incident
  let selected: number | undefined;
  let incident: IncidentFeature | undefined;
  let needs: Needs | undefined;
  const detail = el("div", { id: "incident-detail", hidden: true });
  detail.setAttribute("aria-live", "polite");
  const title = el("h3", { id: "incident-title" });
  const facts = el("p", { id: "incident-facts", className: "summary" });
  const days = el("input", { id: "needs-days", type: "number", min: "1", max: "90", step: "1", value: "3", style: "width: 4em" });
  const needsInfo = el("p", { id: "needs-info", className: "hint" });
  const needsTable = el("table", { id: "needs-table", className: "needs" });
  const report = text("printReport", "button", { type: "button", id: "incident-report" });
  const close = text("closeIncident", "button", { type: "button", id: "incident-close", hidden: !commands });
  const planButton = text("planFromNeeds", "button", { type: "button", id: "incident-plan", hidden: !commands });
  const plan = el("div", { id: "incident-plan-lines" });
  const dispatches = el("ul", { id: "incident-dispatches", className: "incident-rows" });
  const team = el("select", { id: "incident-team" });
  const deploy = text("deployTeam", "button", { type: "button", id: "incident-deploy" });
  const deployments = el("ul", { id: "incident-deployments", className: "incident-rows" });
  const note = el("textarea", { id: "incident-note", rows: 2, maxLength: 4000 });
  const addNote = text("addNote", "button", { type: "button", id: "incident-add-note" });
  const timeline = el("ol", { id: "incident-timeline", className: "incident-rows" });
  detail.append(
    title,
    facts,
    el("div", { className: "buttons" }, report, close),
    el("h4", {}, text("needs")),
    el("label", {}, text("needsDays"), " ", days),
    needsInfo,
    needsTable,
    planButton,
    plan,
    el("h4", {}, text("dispatchList")),
    dispatches,
    el("h4", {}, text("teamsDeployed")),
    ...(commands ? [el("div", { className: "deploy" }, el("label", {}, text("standbyTeam"), " ", team), deploy)] : []),
    deployments,
    el("h4", {}, text("timeline")),
    ...(commands ? [el("label", { className: "note" }, text("note"), note), addNote] : []),
    timeline,
  );
  body.append(list, ...(commands ? [newButton, form] : []), detail);

  const drawNeeds = () => {
    if (!needs) return;
    const n = needs;
    const reach =
      n.by === "road" && "minutes" in n.reach
        ? tf("reachByRoad", { minutes: n.reach.minutes })
        : tf("reachStraight", { km: formatKm("metres" in n.reach ? n.reach.metres : 0) });
    needsInfo.textContent = `${tf("incidentAffected", { villages: n.villages, people: n.population.toLocaleString(), households: n.households.toLocaleString() })} ${reach}${
      n.by_reason ? `（${t("notByRoad")}）` : ""
    }`;
    const head = ["supplyItem", "need", "dispatched", "inReach", "shortfall"] as const;
    needsTable.replaceChildren(
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", textContent: t(h) })))),
      el(
        "tbody",
        {},
        ...n.items.map((i) =>
          el(
            "tr",
            { className: i.shortfall > 0 ? "short" : "" },
            el("th", { scope: "row", textContent: itemName(i.item) }),
            ...[i.need, i.dispatched, i.in_reach, i.shortfall].map((v) => el("td", { textContent: amount(v, i.item) })),
          ),
        ),
      ),
    );
  };

  const dispatchWords = (d: Dispatch) => `${d.depot_name}：${d.items.map((i) => `${itemName(i.item)} ${amount(i.quantity, i.item)}`).join("、")}`;
  const drawDispatches = (list: Dispatch[]) =>
    dispatches.replaceChildren(
      ...(list.length
        ? list.map((d) => {
            const li = el("li", { className: `dispatch ${d.status}` }, el("span", { textContent: `${dispatchWords(d)} · ${t(`status_${d.status}`)}` }));
            li.dataset.id = String(d.id);
            if (commands && d.status === "sent") {
              for (const status of ["delivered", "cancelled"] as const) {
                const b = text(status === "delivered" ? "markDelivered" : "cancelDispatch", "button", { type: "button", className: `dispatch-${status}` });
                b.addEventListener("click", () =>
                  act(() => api(`/api/v1/incidents/${selected}/dispatches/${d.id}`, json("PATCH", { status }, { "If-Match": `"${d.version}"` }))),
                );
                li.append(b);
              }
            }
            return li;
          })
        : [el("li", { className: "hint", textContent: t("none") })]),
    );
  const drawDeployments = (list: Deployment[]) =>
    deployments.replaceChildren(
      ...(list.length
        ? list.map((d) => {
            const li = el("li", {}, el("span", { textContent: `${d.team_name} · ${d.released_at ? t("released") : t("deployed")}` }));
            if (commands && !d.released_at) {
              const b = text("releaseTeam", "button", { type: "button", className: "release" });
              b.addEventListener("click", () => act(() => api(`/api/v1/incidents/${selected}/deployments/${d.id}/release`, { method: "POST" })));
              li.append(b);
            }
            return li;
          })
        : [el("li", { className: "hint", textContent: t("none") })]),
    );
  const entryWords = (e: TimelineEntry) => {
    const d = e.detail as Record<string, unknown>;
    const sent = () =>
      `${d.depot_name}：${((d.items ?? []) as { item: string; quantity: number }[]).map((i) => `${itemName(i.item)} ${amount(i.quantity, i.item)}`).join("、")}`;
    const what: Record<TimelineEntry["kind"], () => string> = {
      incident_opened: () => `${d.name}`,
      incident_changed: () => `${d.name} · ${incidentLevelLabel(Number(d.level))}`,
      incident_closed: () => `${d.name}`,
      dispatch_sent: sent,
      dispatch_delivered: sent,
      dispatch_cancelled: sent,
      team_deployed: () => `${d.team_name}`,
      team_released: () => `${d.team_name}`,
      note: () => `${d.text}`,
      occupancy_reported: () => `${d.shelter_name} ${d.previous ?? "—"} → ${d.occupancy}`,
    };
    return `${formatTime(e.at)} · ${e.by} · ${t(`timeline_${e.kind}`)}：${what[e.kind]()}`;
  };
  const drawTimeline = (list: TimelineEntry[]) =>
    timeline.replaceChildren(...list.map((e) => el("li", { className: `timeline-${e.kind}`, textContent: entryWords(e) })));

  const standbyTeams = async (f: IncidentFeature) => {
    if (!commands) return;
    // nearest first from the incident's point, straight: a quick answer for a list
    const near = await api<{ features: { id: number; properties: { name: string; distance_m: number } }[] }>(
      `/api/v1/nearest?layer=teams&status=standby&by=straight&limit=20&incident_id=${f.id}`,
    );
    team.replaceChildren(
      ...near.features.map((t) => el("option", { value: String(t.id), textContent: `${t.properties.name} · ${formatKm(t.properties.distance_m)}` })),
    );
    deploy.disabled = !near.features.length;
  };

  /** Read the chosen incident and all about it again (after a write here, or a change anywhere). */
  async function refresh() {
    if (selected === undefined) return;
    const id = selected;
    const [f, n, d, dep, tl] = await Promise.all([
      api<IncidentFeature>(`/api/v1/incidents/${id}`),
      api<Needs>(`/api/v1/incidents/${id}/needs?days=${Number(days.value) || 3}`),
      api<{ dispatches: Dispatch[] }>(`/api/v1/incidents/${id}/dispatches`),
      api<{ deployments: Deployment[] }>(`/api/v1/incidents/${id}/deployments`),
      api<{ timeline: TimelineEntry[] }>(`/api/v1/incidents/${id}/timeline`),
    ]);
    if (id !== selected) return;
    incident = f;
    needs = n;
    const closed = f.properties.ended_at !== null;
    title.textContent = f.properties.name;
    title.style.borderColor = LEVEL_COLOURS[f.properties.level]!;
    facts.textContent = [
      incidentLevelLabel(f.properties.level),
      kindText(hazards, f.properties.kind),
      `${t("incidentStarted")} ${formatTime(f.properties.started_at)}`,
      ...(closed ? [`${t("incidentEnded")} ${formatTime(f.properties.ended_at!)}`] : []),
    ].join(" · ");
    // nothing more is sent to a closed incident
    for (const b of [close, planButton, deploy]) b.hidden = !commands || closed;
    drawNeeds();
    planButton.disabled = false;
    drawDispatches(d.dispatches);
    drawDeployments(dep.deployments);
    drawTimeline(tl.timeline);
    if (!closed) await standbyTeams(f);
  }

  async function select(id: number) {
    selected = id;
    // the plan is asked for the needs of this incident: not before they are read
    needs = undefined;
    planButton.disabled = true;
    plan.replaceChildren();
    section.open = true;
    detail.hidden = false;
    drawList();
    try {
      await refresh();
      if (incident) {
        const ring = (incident.geometry as GeoJSON.MultiPolygon).coordinates.flat(2) as [number, number][];
        fitTo(map, ring);
      }
    } catch (e) {
      showError(e);
    }
  }

  /** A write, then everything read again; a refusal shown (the write left nothing half done). */
  async function act(write: () => Promise<unknown>) {
    try {
      await write();
    } catch (e) {
      showError(e);
    }
    await refresh().catch(showError);
  }

  // send from the supply plan: what is still to send (need − sent), planned from the nearest depots
  let orders: { depot_id: number; depot: string; items: { item: string; quantity: number }[] }[] = [];
  planButton.addEventListener("click", async () => {
    if (!incident || !needs) return;
    if (!needs.items.some((i) => i.need > i.dispatched)) return void plan.replaceChildren(el("p", { className: "summary", textContent: t("allSent") }));
    plan.replaceChildren(el("p", { textContent: t("loading") }));
    try {
      // asked for the incident: from its point, for what is still to send by the norms (need − sent)
      const answer = await api<SupplyPlan>("/api/v1/supply-plan", json("POST", { incident_id: incident.id, days: needs.days }));
      const wanted = answer.demand?.items ?? [];
      const byDepot = new globalThis.Map<number, (typeof orders)[number]>();
      for (const p of answer.picks) {
        const order = byDepot.get(p.depot_id) ?? { depot_id: p.depot_id, depot: p.name, items: [] };
        order.items.push({ item: p.item, quantity: p.quantity });
        byDepot.set(p.depot_id, order);
      }
      orders = [...byDepot.values()];
      const send = text("sendAll", "button", { type: "button", id: "incident-send", disabled: !orders.length });
      send.addEventListener("click", () => void sendAll(send));
      plan.replaceChildren(
        el("p", {
          className: "hint",
          textContent: `${t("stillToSend")}：${wanted.map((w) => `${itemName(w.item)} ${amount(w.quantity, w.item)}`).join("、")}`,
        }),
        el(
          "ol",
          { className: "result-list plan-picks" },
          ...answer.picks.map((p) =>
            el("li", {
              textContent: `${p.name} · ${itemName(p.item)} ${amount(p.quantity, p.item)} · ${
                p.travel_time_s === undefined ? formatKm(p.distance_m) : `${formatMinutes(p.travel_time_s)}${t("roadSuffix")}`
              }`,
            }),
          ),
        ),
        ...(answer.shortfall.length
          ? [
              el("p", {
                className: "warning",
                textContent: `${t("noDepotHas")}：${answer.shortfall.map((s) => `${itemName(s.item)} ${amount(s.quantity, s.item)}`).join("、")}`,
              }),
            ]
          : []),
        send,
      );
    } catch (e) {
      plan.replaceChildren();
      showError(e);
    }
  });

  /** The plan's lines as dispatches, all in one action: all of them leave their depots, or none does. */
  async function sendAll(button: HTMLButtonElement) {
    button.disabled = true;
    const res = await request(
      `/api/v1/incidents/${selected}/dispatches/batch`,
      json("POST", { dispatches: orders.map((o) => ({ depot_id: o.depot_id, items: o.items })) }),
    );
    if (res.ok) {
      plan.replaceChildren(el("p", { className: "sent", id: "incident-sent", textContent: tf("sentFrom", { n: orders.length }) }));
    } else {
      const problem = (await res.json().catch(() => ({}))) as { detail?: string; errors?: FieldError[] };
      const short = (problem.errors ?? []).flatMap(({ path }) => {
        // dispatches.N.items.M.quantity: the Nth depot's Mth item
        const order = orders[Number(path[1])];
        const line = order?.items[Number(path[3])];
        return res.status === 409 && order && line ? [`${order.depot} ${itemName(line.item)}（${tf("asked", { n: amount(line.quantity, line.item) })}）`] : [];
      });
      const refusal = el("p", {
        id: "incident-refused",
        className: "warning",
        textContent: short.length ? `${t("notEnoughStock")}：${short.join("、")}。${t("nothingSent")}` : (problem.detail ?? `${res.status}`),
      });
      refusal.setAttribute("role", "alert");
      plan.replaceChildren(refusal);
    }
    await refresh().catch(showError);
  }

  report.addEventListener("click", async () => {
    if (!incident) return;
    report.disabled = true;
    try {
      const res = await request(`/api/v1/incidents/${incident.id}/report.pdf`);
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).detail ?? `${res.status} ${res.statusText}`);
      download(await res.blob(), `${incident.properties.name}态势报告.pdf`);
    } catch (e) {
      showError(e);
    } finally {
      report.disabled = false;
    }
  });
  close.addEventListener("click", () => {
    if (!incident || !confirm(tf("confirmClose", { name: incident.properties.name }))) return;
    const version = incident.properties.version;
    void act(() => api(`/api/v1/incidents/${selected}`, json("PATCH", { ended_at: new Date().toISOString() }, { "If-Match": `"${version}"` })));
  });
  deploy.addEventListener("click", () => {
    if (!team.value) return;
    void act(async () => {
      const res = await request(`/api/v1/incidents/${selected}/deployments`, json("POST", { team_id: Number(team.value) }));
      // a team taken meanwhile (409): said by its name
      if (res.status === 409) throw new Error(tf("teamNotAvailable", { name: team.selectedOptions[0]?.textContent?.split(" · ")[0] ?? "" }));
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).detail ?? `${res.status}`);
    });
  });
  addNote.addEventListener("click", () => {
    if (!note.value.trim()) return;
    void act(async () => {
      await api(`/api/v1/incidents/${selected}/notes`, json("POST", { text: note.value }));
      note.value = "";
    });
  });
  days.addEventListener("change", () => void refresh().catch(showError));

  // opened from its popup: the panel shows it (on a phone, the sheet rises to it by its tab)
  setIncidentOpener((id) => void select(id).then(() => showPart(section)));
  onIncidents(drawList);
  // someone else sent stock, deployed a team, wrote a note, closed the incident…: read it again
  onChanges((layers) => {
    if (selected !== undefined && FOLLOWED.some((l) => layers.has(l))) void refresh().catch(showError);
  });
  onLangChange(() => {
    drawList();
    if (selected !== undefined) void refresh().catch(showError);
  });
  drawList();
}

/** What the live feed announces that an open incident's panel shows: the incident, what was done for it, what it draws on. */
const FOLLOWED = ["incidents", "dispatches", "deployments", "incident_notes", "depots", "teams", "shelters"];
