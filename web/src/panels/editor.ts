import { Marker, type Map } from "maplibre-gl";
import { api, layerInfo, request, showError, type LayerSummary } from "../api.ts";
import { label, t } from "../i18n.ts";
import { claimNextClick } from "../map/clicks.ts";
import { can } from "../session.ts";
import { el, text } from "./ui.ts";
import { outlineMyTownships } from "./my_townships.ts";
import { showPart } from "./bottom_sheet.ts";
import type { AttributeSchema } from "../../../server/features/schemas.ts";
import type { FieldError } from "../../../server/http/problem.ts";

/** Layers a clerk edits on the map: points placed by a click and moved by dragging. */
const EDITABLE = ["shelters", "depots", "teams", "hazards"];
const READ_ONLY = new Set(["version", "created_at", "updated_at"]);

/**
 * Whether the signed-in account may change features of `layer` here: a clerk, or a commander where the
 * layer has status fields (the server's rule, sent with the layer; it still checks the township).
 */
export const mayEdit = (layer: LayerSummary) => EDITABLE.includes(layer.name) && (can("edit") || (can("update_status") && layer.status_fields.length > 0));

/** The attributes of `layer` the account may change: all for a clerk, only the status fields for a commander. */
const allowed = (layer: LayerSummary, name: string) => can("edit") || layer.status_fields.includes(name);

interface Feature {
  id: number;
  geometry: { type: string; coordinates: [number, number] };
  properties: Record<string, unknown>;
}
interface Problem {
  status: number;
  detail?: string;
  errors?: FieldError[];
}

const body = () => document.querySelector<HTMLElement>("#editor .body")!;
/** Where a form is shown: below the add buttons, which hide while it is open and come back when it closes. */
const formArea = () => {
  let area = body().querySelector<HTMLElement>("#editor-area");
  if (!area) body().append((area = el("div", { id: "editor-area" })));
  return area;
};
const addButtons = () => body().querySelector<HTMLElement>("#editor-add");

/** The field's kind, seen through the nullable wrapper zod's JSON Schema gives optional attributes. */
function kindOf(s: AttributeSchema): { type: string; values?: string[]; format?: string } {
  const inner = s.anyOf?.find((x) => x.type !== "null") ?? s;
  const type = Array.isArray(inner.type) ? inner.type.find((x) => x !== "null")! : (inner.type ?? "string");
  return { type, values: inner.enum, format: inner.format };
}

function input(name: string, s: AttributeSchema, value: unknown): HTMLInputElement | HTMLSelectElement {
  const { type, values, format } = kindOf(s);
  if (values) {
    return el(
      "select",
      { name },
      el("option", { value: "", textContent: "—" }),
      ...values.map((v) => el("option", { value: v, textContent: s["x-value-labels"]?.[v] ? label(s["x-value-labels"][v]!) : v, selected: v === value })),
    );
  }
  const kind = type === "integer" || type === "number" ? "number" : format === "date" ? "date" : "text";
  return el("input", {
    name,
    type: kind,
    step: type === "number" ? "any" : "1",
    value: value === null || value === undefined ? "" : Array.isArray(value) ? value.join(", ") : String(value),
  });
}

function read(form: HTMLFormElement, schema: Record<string, AttributeSchema>, creating: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(schema)) {
    const field = form.elements.namedItem(name) as HTMLInputElement | null;
    if (!field) continue;
    const raw = field.value.trim();
    const { type } = kindOf(s);
    if (raw === "") {
      if (!creating) out[name] = null;
      continue;
    }
    out[name] = type === "integer" || type === "number" ? Number(raw) : type === "array" ? raw.split(/[,，、]\s*/).filter(Boolean) : raw;
  }
  return out;
}

async function send(
  url: string,
  method: string,
  payload: unknown,
  version?: number,
): Promise<{ ok: true; feature: Feature } | { ok: false; problem: Problem }> {
  const res = await request(url, {
    method,
    headers: { "content-type": "application/json", ...(version ? { "If-Match": `"${version}"` } : {}) },
    body: JSON.stringify(payload),
  });
  if (res.ok) return { ok: true, feature: await res.json() };
  return { ok: false, problem: await res.json().catch(() => ({ status: res.status })) };
}

/** The form: every attribute with its label; the API's field errors beside the fields; 412 explained. */
async function showForm(map: Map, layer: string, feature: Feature | undefined, at: [number, number]) {
  const info = (await layerInfo()).find((l) => l.name === layer)!;
  // a write-only attribute (a village's township by name) is offered when adding: an edit changes the stored one
  const schema = Object.fromEntries(
    Object.entries(info.schema.properties).filter(([k, s]) => !READ_ONLY.has(k) && allowed(info, k) && !(feature && s.writeOnly)),
  );
  let version = feature?.properties.version as number | undefined;
  const message = el("p", { id: "editor-message" });
  const form = el("form", { id: "editor-form", noValidate: true });
  for (const [name, s] of Object.entries(schema)) {
    form.append(
      el("label", { htmlFor: `edit-${name}` }, label(s["x-label"]), Object.assign(input(name, s, feature?.properties[name]), { id: `edit-${name}` })),
    );
  }
  const cancel = el("button", { type: "button", id: "editor-cancel", textContent: t("cancel") });
  form.append(el("div", { className: "form-buttons" }, el("button", { type: "submit", textContent: t("save") }), " ", cancel));
  const marker = new Marker({ draggable: can("edit"), color: "#0f3057" }).setLngLat(at).addTo(map);
  const title = el("h3", { textContent: `${label(info.label)}${feature ? ` #${feature.id}` : ""}` });
  formArea().replaceChildren(title, ...(can("edit") ? [el("p", { className: "hint", textContent: t("move") })] : []), form, message);
  const buttons = addButtons();
  if (buttons) buttons.hidden = true;
  cancel.addEventListener("click", () => closeForm(marker));
  // opened from a popup or by a tap on the map: on a phone the sheet rises to the form
  showPart(document.querySelector<HTMLElement>("#editor")!);

  const showProblem = (p: Problem) => {
    form.querySelectorAll(".field-error").forEach((e) => e.remove());
    if (p.status === 412) {
      const reload = el("button", { type: "button", textContent: t("reload") });
      reload.addEventListener("click", () => void editFeature(map, layer, feature!.id).catch(showError));
      message.replaceChildren(el("span", { className: "conflict", textContent: t("conflict") }), " ", reload);
      return;
    }
    for (const e of p.errors ?? []) {
      const name = e.path[0] === "properties" ? String(e.path[1]) : "geometry";
      const field = form.elements.namedItem(name) as HTMLElement | null;
      (field?.parentElement ?? form).append(el("span", { className: "field-error", textContent: e.message }));
    }
    message.replaceChildren(el("span", { className: "conflict", textContent: p.errors?.length ? t("fixFields") : (p.detail ?? String(p.status)) }));
  };
  const save = async (payload: object) => {
    const base = `/api/v1/layers/${layer}/features`;
    const r = feature ? await send(`${base}/${feature.id}`, "PATCH", payload, version) : await send(base, "POST", { type: "Feature", ...payload });
    if (!r.ok) return showProblem(r.problem);
    feature = r.feature;
    version = r.feature.properties.version as number;
    title.textContent = `${label(info.label)} #${feature.id}`;
    // the form now shows what was saved, the server's defaults too (已安置人数 0 of a new shelter): the next
    // save is an edit, where an empty field means "clear it", and a required one cannot be cleared
    for (const [name, s] of Object.entries(schema)) {
      const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      if (field) field.value = (input(name, s, feature.properties[name]) as HTMLInputElement).value;
    }
    form.querySelectorAll(".field-error").forEach((e) => e.remove());
    message.replaceChildren(el("span", { className: "ok", textContent: `${t("saved")} (v${version})` }));
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = marker.getLngLat();
    void save({ properties: read(form, schema, !feature), ...(feature ? {} : { geometry: { type: "Point", coordinates: [p.lng, p.lat] } }) });
  });
  marker.on("dragend", () => {
    if (!feature) return;
    const p = marker.getLngLat();
    void save({ geometry: { type: "Point", coordinates: [p.lng, p.lat] } });
  });
  return marker;
}

let current: Marker | undefined;

/** The form closed (cancelled): its marker gone, the add buttons back. */
function closeForm(marker: Marker) {
  marker.remove();
  if (current === marker) current = undefined;
  formArea().replaceChildren();
  const buttons = addButtons();
  if (buttons) buttons.hidden = false;
  claimNextClick(undefined);
}

export async function editFeature(map: Map, layer: string, id: number) {
  current?.remove();
  const feature = await api<Feature>(`/api/v1/layers/${layer}/features/${id}`);
  const at = feature.geometry.type === "Point" ? feature.geometry.coordinates : (map.getCenter().toArray() as [number, number]);
  current = await showForm(map, layer, feature, at);
}

/** Buttons to add a feature (click the map to place it, then fill the form); a commander is told what they may change. */
export function editorPanel(map: Map) {
  document.querySelector<HTMLElement>("#editor")!.hidden = false;
  if (!can("edit")) {
    body().replaceChildren(text("statusOnly", "p", { id: "editor-message", className: "hint" }));
    return;
  }
  void layerInfo().then((layers) => {
    const buttons = EDITABLE.map((name) => {
      const b = el("button", { type: "button", id: `add-${name}`, textContent: `${t("add")} ${label(layers.find((l) => l.name === name)!.label)}` });
      b.addEventListener("click", () => {
        body().querySelector("#editor-hint")?.replaceChildren(t("placeIt"));
        claimNextClick(async (at) => {
          current?.remove();
          current = await showForm(map, name, undefined, [at.lng, at.lat]);
        });
      });
      return b;
    });
    body().replaceChildren(el("div", { id: "editor-add" }, ...buttons, el("p", { id: "editor-hint", className: "hint" })), formArea());
  });
  outlineMyTownships(map, t("myTownship"));
}
