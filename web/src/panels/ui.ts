import { t, type TextKey } from "../i18n.ts";

/** Small DOM helpers shared by the panels. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props) as HTMLElementTagNameMap[K];
  node.append(...children);
  return node;
}

/** An element showing a text of i18n.ts, switched with the language (data-i18n). */
export function text<K extends keyof HTMLElementTagNameMap>(key: TextKey, tag: K = "span" as K, props: Record<string, unknown> = {}): HTMLElementTagNameMap[K] {
  const node = el(tag, { ...props, textContent: t(key) });
  node.dataset.i18n = key;
  return node;
}

/** A table whose columns sort when their header is clicked (numbers numerically). */
export function sortableTable(headers: string[], rows: (string | number)[][], format: (v: string | number, col: number) => string) {
  const table = el("table", { className: "sortable" });
  const body = el("tbody");
  let sortCol = -1;
  let asc = true;
  const draw = () => body.replaceChildren(...rows.map((r) => el("tr", {}, ...r.map((v, i) => el("td", {}, format(v, i))))));
  table.append(
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        ...headers.map((h, i) => {
          const th = el("th", { tabIndex: 0, textContent: h });
          const sort = () => {
            asc = sortCol === i ? !asc : true;
            sortCol = i;
            rows.sort((a, b) => (a[i]! < b[i]! ? -1 : a[i]! > b[i]! ? 1 : 0) * (asc ? 1 : -1));
            draw();
          };
          th.addEventListener("click", sort);
          th.addEventListener("keydown", (e) => e.key === "Enter" && sort());
          return th;
        }),
      ),
    ),
    body,
  );
  draw();
  return table;
}
