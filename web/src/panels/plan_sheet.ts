import { request, showError } from "../api.ts";
import { currentLang, onLangChange, t } from "../i18n.ts";
import { el } from "./ui.ts";

/** How a plan is asked for again as a sheet: the same path and body, `format` and `lang` added. */
export interface PlanRequest {
  path: string;
  body?: unknown;
}

/**
 * A plan's actions: download it as CSV or XLSX (Chinese headers in 中文), or print it as an order
 * (调度单, a PDF), in a `.plan-actions` box. `ask` gives the request of the plan shown, or undefined.
 */
export function planActions(plan: string, ask: () => PlanRequest | undefined): HTMLElement {
  const box = el("div", { className: "plan-actions" });
  box.dataset.plan = plan;
  const buttons = (["csv", "xlsx", "pdf"] as const).map((format) => {
    const b = el("button", { type: "button", className: `download-${format}` });
    b.dataset.format = format;
    b.addEventListener("click", () => void download(plan, format, ask()).catch(showError));
    return b;
  });
  const texts = () => {
    for (const b of buttons) b.textContent = b.dataset.format === "pdf" ? t("printOrder") : `${t("download")} ${b.dataset.format!.toUpperCase()}`;
  };
  texts();
  onLangChange(texts);
  box.append(...buttons);
  return box;
}

async function download(plan: string, format: "csv" | "xlsx" | "pdf", r: PlanRequest | undefined) {
  if (!r) return;
  const url = new URL(r.path, location.origin);
  url.searchParams.set("format", format);
  url.searchParams.set("lang", currentLang());
  const res = await request(
    `${url.pathname}${url.search}`,
    r.body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(r.body) },
  );
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).detail ?? `${res.status} ${res.statusText}`);
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `${plan}.${format}`;
  const link = el("a", { href: URL.createObjectURL(await res.blob()), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
