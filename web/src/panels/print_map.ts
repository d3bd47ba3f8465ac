import { Map as MapLibre, type Map } from "maplibre-gl";
import type { MapPrintBody } from "../../../server/paper/map_print.ts";
import { request } from "../api.ts";
import { t } from "../i18n.ts";
import { sameOrigin } from "../map/create_map.ts";
import { printLegend } from "../map/print_legend.ts";
import { registerIcons } from "../map/icons.ts";
import { el } from "./ui.ts";

/**
 * The map frame of a printed page in millimetres (server/paper/map_print.ts: the paper less 15 mm
 * margins and the title and footer bands), so the map is drawn at the frame's own shape.
 */
const FRAME_MM = { A4: [267, 155], A3: [390, 242] } as const;
const FRAME_MM_PORTRAIT = { A4: [180, 242], A3: [267, 365] } as const;
/** The map is drawn for paper at this resolution; its labels and lines keep their size in millimetres as on a 96 dpi screen. */
const PRINT_DPI = 200;
const SCREEN_DPI = 96;

/** A file handed to the browser to save. */
export function download(blob: Blob, name: string) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * The current map drawn again off screen at print resolution: the same style, layers shown and results
 * (the panels' GeoJSON sources are in the style), framing the same area, at the paper frame's shape.
 */
async function renderForPaper(map: Map, paper: "A4" | "A3", orientation: "portrait" | "landscape") {
  const [wMm, hMm] = (orientation === "landscape" ? FRAME_MM : FRAME_MM_PORTRAIT)[paper];
  const container = el("div", { className: "print-render" });
  Object.assign(container.style, {
    position: "fixed",
    left: "-10000px",
    top: "0",
    width: `${Math.round((wMm / 25.4) * SCREEN_DPI)}px`,
    height: `${Math.round((hMm / 25.4) * SCREEN_DPI)}px`,
  });
  document.body.append(container);
  const style = map.getStyle();
  const base = (style.metadata as { "hazmap:public-url": string })["hazmap:public-url"];
  const paperMap = new MapLibre({
    container,
    style,
    bounds: map.getBounds(),
    bearing: map.getBearing(),
    pixelRatio: PRINT_DPI / SCREEN_DPI,
    interactive: false,
    attributionControl: false,
    fadeDuration: 0,
    canvasContextAttributes: { preserveDrawingBuffer: true },
    transformRequest: sameOrigin(base),
  });
  // the app draws the map's icons itself: the paper's map needs them as much as the screen's
  registerIcons(paperMap);
  try {
    await new Promise<void>((resolve, reject) => {
      paperMap.once("idle", () => resolve());
      paperMap.once("error", (e) => reject(e.error));
    });
    const canvas = paperMap.getCanvas();
    const centre = paperMap.getCenter();
    // ground metres per CSS pixel at the centre (web mercator, 512-px tiles), then per pixel of the image
    const metresPerCssPx = (40_075_016.686 * Math.cos((centre.lat * Math.PI) / 180)) / (512 * 2 ** paperMap.getZoom());
    return { image: canvas.toDataURL("image/png"), metres_per_pixel: metresPerCssPx / (canvas.width / canvas.clientWidth), bearing_deg: paperMap.getBearing() };
  } finally {
    paperMap.remove();
    container.remove();
  }
}

let dialog: HTMLDialogElement | undefined;

/** 打印: a dialog asking title, issuing unit, paper and orientation, then the PDF the server composes. */
export function printMap(map: Map): Promise<void> {
  dialog ??= printDialog(map);
  (dialog.querySelector("#print-title") as HTMLInputElement).value ||= t("title");
  dialog.showModal();
  return Promise.resolve();
}

function printDialog(map: Map): HTMLDialogElement {
  const title = el("input", { id: "print-title", required: true, maxLength: 60 });
  const unit = el("input", { id: "print-unit", maxLength: 60, value: localStorage.getItem("hazmap.print.unit") ?? "" });
  const paper = el("select", { id: "print-paper" }, el("option", { value: "A4", textContent: "A4" }), el("option", { value: "A3", textContent: "A3" }));
  const orientation = el("select", { id: "print-orientation" }, el("option", { value: "landscape" }), el("option", { value: "portrait" }));
  const make = el("button", { id: "print-make", type: "submit" });
  const cancel = el("button", { id: "print-cancel", type: "button" });
  const status = el("p", { id: "print-status", role: "status" });
  const heading = el("h2", { id: "print-heading" });
  const labels = [el("span"), el("span"), el("span"), el("span")];
  const form = el(
    "form",
    { method: "dialog" },
    heading,
    el("label", {}, labels[0]!, title),
    el("label", {}, labels[1]!, unit),
    el("label", {}, labels[2]!, paper),
    el("label", {}, labels[3]!, orientation),
    status,
    el("div", { className: "buttons" }, make, cancel),
  );
  const d = el("dialog", { id: "print-dialog" }, form);
  d.setAttribute("aria-labelledby", "print-heading");
  const texts = () => {
    heading.textContent = t("printMap");
    const words = [t("printTitle"), t("issuingUnit"), t("paperSize"), `${t("landscape")} / ${t("portrait")}`];
    labels.forEach((l, i) => (l.textContent = words[i]!));
    orientation.options[0]!.textContent = t("landscape");
    orientation.options[1]!.textContent = t("portrait");
    make.textContent = t("makePdf");
    cancel.textContent = t("cancel");
  };
  texts();
  cancel.addEventListener("click", () => d.close());
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    make.disabled = true;
    status.textContent = t("printing");
    try {
      localStorage.setItem("hazmap.print.unit", unit.value);
      const p = paper.value as "A4" | "A3";
      const o = orientation.value as "portrait" | "landscape";
      const body: Omit<MapPrintBody, "date"> = {
        title: title.value,
        unit: unit.value,
        paper: p,
        orientation: o,
        legend: await printLegend(map),
        ...(await renderForPaper(map, p, o)),
      };
      const res = await request("/api/v1/print/map.pdf", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).detail ?? `${res.status} ${res.statusText}`);
      download(await res.blob(), `${title.value}.pdf`);
      status.textContent = "";
      d.close();
    } catch (err) {
      status.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      make.disabled = false;
    }
  });
  document.body.append(d);
  return d;
}
