/** The API client: JSON in, JSON out; a problem+json answer becomes an Error with its readable detail. */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    throw new Error(problem.detail ?? `${res.status} ${res.statusText}`);
  }
  return res.json() as Promise<T>;
}

export interface LayerInfo {
  name: string;
  label: { zh: string; en: string };
  count: number;
  schema: { properties: Record<string, { "x-label": { zh: string; en: string }; "x-value-labels"?: Record<string, { zh: string; en: string }> }> };
}

let layers: Promise<LayerInfo[]> | undefined;
export const layerInfo = () => (layers ??= api<{ layers: LayerInfo[] }>("/api/v1/layers").then((r) => r.layers));

export interface Item { code: string; name_zh: string; name_en: string; unit_zh: string; unit_en: string }

let items: Promise<Item[]> | undefined;
/** The supply item catalogue, fetched once. */
export const itemCatalogue = () => (items ??= api<{ items: Item[] }>("/api/v1/items").then((r) => r.items));

export function showError(e: unknown) {
  const el = document.querySelector<HTMLElement>("#error")!;
  el.textContent = e instanceof Error ? e.message : String(e);
  el.hidden = false;
}
