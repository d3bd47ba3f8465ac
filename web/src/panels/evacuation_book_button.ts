import { api, request, showError } from "../api.ts";
import { onLangChange, t } from "../i18n.ts";
import { can } from "../session.ts";
import { download } from "./print_map.ts";
import { el } from "./ui.ts";

interface Townships {
  features: { properties: { name: string; admin_code: string | null } }[];
}

/** The path of a township's evacuation book (GET, a PDF). */
export const evacuationBookPath = (adminCode: string) => `/api/v1/townships/${encodeURIComponent(adminCode)}/evacuation-book.pdf`;

/** Fetch a township's evacuation book and hand it to the browser to save. */
export async function downloadEvacuationBook(adminCode: string, name: string) {
  const res = await request(evacuationBookPath(adminCode));
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).detail ?? `${res.status} ${res.statusText}`);
  download(await res.blob(), `${name}避险转移手册.pdf`);
}

/**
 * In a village's (or a township's) popup, for planners and commanders: its township's evacuation book.
 * Nothing for other layers, other people, or a village in no township.
 */
export function popupBookButton(layer: string, properties: Record<string, unknown>): HTMLElement[] {
  const code = layer === "villages" ? properties.township_code : layer === "townships" ? properties.admin_code : null;
  if (typeof code !== "string" || !can("evacuation_books")) return [];
  const name = layer === "townships" ? String(properties.name ?? code) : code;
  const button = el("button", { type: "button", className: "evacuation-book", textContent: t("townshipBook") });
  button.addEventListener("click", () => {
    button.disabled = true;
    downloadEvacuationBook(code, name)
      .catch(showError)
      .finally(() => (button.disabled = false));
  });
  return [button];
}

/** For planners and commanders: choose a township, download its evacuation book. Nothing for others. */
export function evacuationBookControl(): HTMLElement[] {
  if (!can("evacuation_books")) return [];
  const select = el("select", { id: "book-township" });
  const button = el("button", { id: "evacuation-book", type: "button" });
  const caption = el("span");
  const texts = () => {
    caption.textContent = t("township");
    button.textContent = t("evacuationBook");
  };
  texts();
  onLangChange(texts);
  api<Townships>("/api/v1/layers/townships/features?limit=10000")
    .then((r) =>
      select.append(
        ...r.features
          .filter((f) => f.properties.admin_code)
          .sort((a, b) => a.properties.admin_code!.localeCompare(b.properties.admin_code!))
          .map((f) => el("option", { value: f.properties.admin_code!, textContent: f.properties.name })),
      ),
    )
    .catch(showError);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await downloadEvacuationBook(select.value, select.selectedOptions[0]?.textContent ?? select.value);
    } catch (e) {
      showError(e);
    } finally {
      button.disabled = false;
    }
  });
  return [el("label", { className: "book" }, caption, select), button];
}
