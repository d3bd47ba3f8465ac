import { api, request, showError, type LayerSummary } from "../api.ts";
import { t, type TextKey } from "../i18n.ts";
import { can } from "../session.ts";
import { el } from "./ui.ts";
import type { PopupFeature } from "./popup.ts";

/** What each button sets a road's status to. */
const ACTIONS: [status: string, text: TextKey][] = [
  ["closed", "closeRoad"],
  ["damaged", "markDamaged"],
  ["open", "reopenRoad"],
];

/**
 * A road popup's buttons for whoever may set its status (a commander, or a clerk): close it, mark it
 * damaged, reopen it. Each PATCH carries the version shown (If-Match), so a change made meanwhile by
 * someone else is reported (412), not overwritten; the map redraws from the change stream.
 */
export function roadStatusButtons(layer: LayerSummary, road: PopupFeature, show: (road: PopupFeature) => void): HTMLElement {
  const box = el("div", { className: "road-status" });
  if (!(can("update_status") || can("edit")) || !layer.status_fields.includes("status")) return box;
  const url = `/api/v1/layers/roads/features/${road.id}`;
  const message = el("p", { className: "hint" });
  const set = async (status: string) => {
    const res = await request(url, {
      method: "PATCH",
      headers: { "content-type": "application/json", "If-Match": `"${road.properties.version}"` },
      body: JSON.stringify({ properties: { status } }),
    });
    if (res.ok) return show(await res.json());
    if (res.status !== 412) {
      const problem = await res.json().catch(() => ({}));
      return showError(new Error(problem.detail ?? `${res.status} ${res.statusText}`));
    }
    const reload = el("button", { type: "button", textContent: t("reload") });
    reload.addEventListener("click", () => void api<PopupFeature>(url).then(show).catch(showError));
    message.replaceChildren(el("span", { className: "conflict", textContent: t("conflict") }), " ", reload);
  };
  box.append(
    ...ACTIONS.filter(([status]) => status !== (road.properties.status ?? "open")).map(([status, text]) => {
      const b = el("button", { type: "button", className: `road-${status}`, textContent: t(text) });
      b.addEventListener("click", () => void set(status).catch(showError));
      return b;
    }),
    message,
  );
  return box;
}
