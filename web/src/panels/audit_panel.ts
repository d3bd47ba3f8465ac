import { api, itemCatalogue, layerInfo, showError, type Item, type LayerSummary } from "../api.ts";
import { actionLabel, formatTime, label, onLangChange, roleLabel, t, viaLabel } from "../i18n.ts";
import { valueText } from "../value_labels.ts";
import { AUDITED_FIELDS, AUDITED_TABLES, LANGUAGES } from "./audit_words.ts";
import { el, text } from "./ui.ts";

type Row = Record<string, unknown>;
interface Entry {
  id: number;
  at: string;
  actor: string;
  via: string;
  ip: string | null;
  request: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  ids: string | null;
  before: Row | null;
  after: Row | null;
  detail: Row | null;
}

const ACTIONS = ["insert", "update", "delete", "export", "import"];
/** Changed by every write: the version is in the heading, the time is the entry's. */
const BOOKKEEPING = new Set(["version", "updated_at"]);
/** What names a row added or deleted. */
const IDENTITY = ["name", "username", "item_code"];

/** A value as the trail shows it; `words` gives a code its label (a status, a role, an item, a field's name). */
const asIs = (v: unknown) => (typeof v === "object" ? JSON.stringify(v) : String(v));
function shown(v: unknown, words: (v: unknown) => string = asIs): string {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.map(words).join("、");
  if (typeof v === "boolean") return t(v ? "yes" : "no");
  const geometry = v as { type?: string; coordinates?: number[] };
  if (geometry.type === "Point" && geometry.coordinates) return geometry.coordinates.map((c) => c.toFixed(5)).join(", ");
  const s = words(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/** What an entry changed, compactly: each changed field before → after; the name of a row added or deleted; an export's or import's details. */
function changesOf(e: Entry, words: (field: string) => (v: unknown) => string): [field: string, change: string][] {
  if (e.before && e.after) {
    const fields = Object.keys({ ...e.before, ...e.after }).filter((k) => !BOOKKEEPING.has(k) && JSON.stringify(e.before![k]) !== JSON.stringify(e.after![k]));
    // a row without a name of its own (a depot's stock of one item) is named by its item
    const item: [string, string][] =
      "item_code" in e.after && !fields.includes("item_code") ? [["item_code", shown(e.after.item_code, words("item_code"))]] : [];
    return [...item, ...fields.map((k): [string, string] => [k, `${shown(e.before![k], words(k))} → ${shown(e.after![k], words(k))}`])];
  }
  const row = e.after ?? e.before ?? e.detail ?? {};
  const fields = e.detail ? Object.keys(row).filter((k) => shown(row[k]) !== "—") : IDENTITY.filter((k) => k in row);
  return fields.map((k) => [k, shown(row[k], words(k))]);
}

/** Admin: the audit trail, newest first, filtered by actor, action, entity and date; older pages by the `next` link. */
export async function auditPanel() {
  const section = document.querySelector<HTMLDetailsElement>("#audit")!;
  section.hidden = false;
  const [layers, items] = await Promise.all([layerInfo(), itemCatalogue().catch(() => [] as Item[])]);
  const layerOf = (entity: string): LayerSummary | undefined => layers.find((l) => l.name === entity);
  // entities, fields and codes by their words: the layers' from the registry, the rest from audit_words
  const entityName = (entity: string) => {
    const l = layerOf(entity)?.label ?? AUDITED_TABLES[entity];
    return l ? label(l) : entity;
  };
  const fieldName = (entity: string, field: string) => {
    const f = layerOf(entity)?.schema.properties[field]?.["x-label"] ?? AUDITED_FIELDS[field];
    return f ? label(f) : field;
  };
  /** How a field's values read: a layer's codes by their labels, roles, items, the names of exported fields. */
  const wordsFor =
    (entity: string) =>
    (field: string) =>
    (v: unknown): string => {
      if (field === "roles") return roleLabel(String(v));
      if (field === "item_code") {
        const i = items.find((x) => x.code === v);
        return i ? label({ zh: i.name_zh, en: i.name_en }) : String(v);
      }
      if (field === "fields") return fieldName(entity, String(v));
      if (field === "lang") return LANGUAGES[String(v)] ? label(LANGUAGES[String(v)]!) : String(v);
      if (field === "filters" && v && typeof v === "object") {
        // an export's filters: 状态 = 开放、已满
        return Object.entries(v as Record<string, unknown[]>)
          .map(([k, values]) => `${fieldName(entity, k)} = ${values.map((x) => valueText(layerOf(entity), k, x)).join("、")}`)
          .join("; ");
      }
      return typeof v === "object" ? JSON.stringify(v) : valueText(layerOf(entity), field, v);
    };

  const actor = el("input", { id: "audit-actor", name: "actor", autocomplete: "off" });
  const action = el("select", { id: "audit-action", name: "action" });
  const entity = el("select", { id: "audit-entity", name: "entity" });
  const since = el("input", { id: "audit-since", name: "since", type: "date" });
  const form = el(
    "form",
    { id: "audit-filters" },
    el("label", {}, text("actor"), actor),
    el("label", {}, text("action"), action),
    el("label", {}, text("entity"), entity),
    el("label", {}, text("since"), since),
    text("search", "button", { type: "submit" }),
  );
  const list = el("ol", { id: "audit-list", tabIndex: -1 });
  const older = text("older", "button", { type: "button", id: "audit-older", hidden: true });
  section.querySelector(".body")!.replaceChildren(form, list, older);

  let entries: Entry[] = [];
  let next: string | null = null;

  const options = () => {
    const [chosenAction, chosenEntity] = [action.value, entity.value];
    action.replaceChildren(el("option", { value: "", textContent: t("any") }), ...ACTIONS.map((a) => el("option", { value: a, textContent: actionLabel(a) })));
    entity.replaceChildren(
      el("option", { value: "", textContent: t("any") }),
      ...[...layers.map((l) => l.name), ...Object.keys(AUDITED_TABLES)].map((n) => el("option", { value: n, textContent: entityName(n) })),
    );
    action.value = chosenAction;
    entity.value = chosenEntity;
  };
  const item = (e: Entry) =>
    el(
      "li",
      { tabIndex: -1 },
      el(
        "p",
        { className: "audit-head" },
        el("time", { dateTime: e.at, textContent: formatTime(e.at) }),
        " · ",
        el("strong", { className: "audit-actor", textContent: e.actor }),
        ` · ${viaLabel(e.via)}${e.ip ? ` · ${e.ip}` : ""}`,
      ),
      el(
        "p",
        {},
        el("span", { className: `audit-action ${e.action}`, textContent: actionLabel(e.action) }),
        ` ${entityName(e.entity)}${e.entity_id ? ` #${e.entity_id}` : e.ids ? ` #${e.ids}` : ""}${e.after?.version ? ` · v${e.after.version}` : ""}`,
      ),
      el(
        "ul",
        { className: "audit-changes" },
        ...changesOf(e, wordsFor(e.entity)).map(([field, change]) =>
          el("li", {}, el("span", { className: "field", textContent: fieldName(e.entity, field) }), ` ${change}`),
        ),
      ),
    );
  const render = () => list.replaceChildren(...(entries.length ? entries.map(item) : [text("noEntries", "li", { className: "hint" })]));
  const load = async (url: string, more: boolean) => {
    const page = await api<{ entries: Entry[]; next: string | null }>(url);
    entries = more ? [...entries, ...page.entries] : page.entries;
    next = page.next;
    render();
    older.hidden = next === null;
  };
  const search = () => {
    const q = new URLSearchParams({ limit: "20" });
    if (actor.value.trim()) q.set("actor", actor.value.trim());
    if (action.value) q.set("action", action.value);
    if (entity.value) q.set("entity", entity.value);
    // the start of that day where the reader is
    if (since.value) q.set("since", new Date(`${since.value}T00:00`).toISOString());
    return load(`/api/v1/audit?${q}`, false).catch(showError);
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void search();
  });
  older.addEventListener("click", () => {
    const first = entries.length;
    void load(next!, true).then(() => (list.children[first] as HTMLElement | undefined)?.focus(), showError);
  });
  // read afresh each time the panel is opened
  section.addEventListener("toggle", () => section.open && void search());
  onLangChange(() => {
    options();
    render();
  });
  options();
}
