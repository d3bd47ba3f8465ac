import type { LayerSummary } from "../../server/features/layer_summary.ts";
import type { Item } from "../../data/items.ts";
import { currentLang } from "./i18n.ts";

export type { Item, LayerSummary };

let csrfToken: string | undefined;

/** The signed-in session's CSRF token (session.ts sets it from GET /auth/me). */
export const setCsrfToken = (token: string | undefined) => (csrfToken = token);
/** The header a session's writes carry, for requests not made by `request` (an upload with progress). */
export const csrfHeaders = (): Record<string, string> => (csrfToken ? { "X-CSRF-Token": csrfToken } : {});

/**
 * fetch for the API. Writes carry the session's X-CSRF-Token: the server refuses a session's writes
 * without it (another site can make the browser send the cookie, never this header). Nothing is kept in
 * the browser's cache: an answer depends on who asks (contact fields only for some roles), but a
 * feature's ETag is only its version, so a 304 would hand one account's answer to the next one signed
 * in here (a clerk's form without the contact fields would then erase them). The server answers
 * (refusals, validation messages) in the language of the page.
 */
export function request(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  if (csrfToken && method !== "GET" && method !== "HEAD") headers.set("X-CSRF-Token", csrfToken);
  if (!headers.has("Accept-Language")) headers.set("Accept-Language", currentLang() === "zh" ? "zh-CN" : "en");
  return fetch(path, { ...init, headers, cache: "no-store" });
}

/** The API client: JSON in, JSON out (none for 204); a problem+json answer becomes an Error with its readable detail. */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await request(path, init);
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    throw new Error(problem.detail ?? `${res.status} ${res.statusText}`);
  }
  return (res.status === 204 ? undefined : res.json()) as Promise<T>;
}

let layers: Promise<LayerSummary[]> | undefined;
export const layerInfo = () => (layers ??= api<{ layers: LayerSummary[] }>("/api/v1/layers").then((r) => r.layers));

let items: Promise<Item[]> | undefined;
/** The supply item catalogue, fetched once. */
export const itemCatalogue = () => (items ??= api<{ items: Item[] }>("/api/v1/items").then((r) => r.items));

/** An error for everyone to see (a refusal's detail included), brought into view. */
export function showError(e: unknown) {
  const el = document.querySelector<HTMLElement>("#error")!;
  el.textContent = e instanceof Error ? e.message : String(e);
  el.hidden = false;
  el.scrollIntoView({ block: "nearest" });
}
