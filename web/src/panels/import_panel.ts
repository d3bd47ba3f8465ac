import type { Map } from "maplibre-gl";
import type { Format, ImportReport } from "../../../server/import/import_features.ts";
import type { Preview } from "../../../server/import/preview_file.ts";
import { layerInfo, showError } from "../api.ts";
import { label, onLangChange, t, tf } from "../i18n.ts";
import { can } from "../session.ts";
import { el, text } from "./ui.ts";
import { upload, type Answer } from "./upload.ts";

/** A file's format by its name's ending, as the import names it. */
const FORMAT_OF: [RegExp, Format][] = [
  [/\.(csv|tsv|txt)$/i, "csv"],
  [/\.xlsx$/i, "xlsx"],
  [/\.zip$/i, "shapefile"],
  [/\.gpkg$/i, "geopackage"],
  [/\.(geo)?json$/i, "geojson"],
];
/** A CSV's head is enough for a preview: its header and first rows. */
const CSV_HEAD_BYTES = 256 * 1024;
const ENCODINGS = [
  { value: "utf-8", text: "UTF-8" },
  { value: "gbk", text: "GBK / GB18030" },
  { value: "big5", text: "Big5" },
];
/** What the encodings the server reports as read are called here. */
const ENCODING_NAMES: Record<string, string> = { "utf-8": "UTF-8", gb18030: "GBK / GB18030", cp950: "Big5", big5hkscs: "Big5-HKSCS" };
/** The road files' dialects (server/import/road_attributes.ts) as Chinese readers know them. */
const DIALECT_NAMES: Record<string, { zh: string; en: string }> = {
  "Taiwan MOTC": { zh: "台湾交通部", en: "Taiwan MOTC" },
  OpenStreetMap: { zh: "OpenStreetMap", en: "OpenStreetMap" },
};
const CRS_CHOICES = [
  { value: "wgs84", key: "crsWgs84" },
  { value: "cgcs2000", key: "crsCgcs2000" },
  { value: "gcj02", key: "crsGcj02" },
  { value: "bd09", key: "crsBd09" },
  { value: "epsg", key: "crsEpsg" },
] as const;

/** A problem+json answer, an import's refusal carrying its report. */
type Problem = { detail?: string; errors?: { path?: (string | number)[]; message: string }[] };
type Refusal = Problem & Partial<ImportReport>;

const size = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Scroll the side panel (only it, not the page) so that `part` starts at its top. */
function reveal(part: HTMLElement) {
  const panel = part.closest<HTMLElement>("#panel");
  if (panel) panel.scrollTop += part.getBoundingClientRect().top - panel.getBoundingClientRect().top;
}

/**
 * Clerk (and admin, for townships): bring a sheet, Shapefile or GeoPackage into a layer. The file is
 * previewed (its columns → the layer's fields, encoding and coordinate system as found, for the clerk to
 * change), dry-run (every rejected row beside its reason, which the clerk may skip), then imported, all
 * or nothing; the map then shows what came in. Dropping a file anywhere on the page opens the panel.
 */
export async function importPanel(map: Map) {
  const section = document.querySelector<HTMLDetailsElement>("#import")!;
  // who may import what: clerks every layer but the townships, which decide their jurisdiction (an admin's)
  const layers = (await layerInfo()).filter((l) => !l.read_only && (l.name === "townships" ? can("admin") : can("edit")));
  if (layers.length === 0) return;
  section.hidden = false;
  const body = section.querySelector(".body")!;

  const layer = el("select", { id: "import-layer" }, ...layers.map((l) => el("option", { value: l.name })));
  const input = el("input", { id: "import-file", type: "file", accept: ".csv,.tsv,.txt,.xlsx,.zip,.gpkg,.geojson,.json", className: "visually-hidden" });
  const drop = el(
    "div",
    { id: "import-drop", className: "drop-zone" },
    text("importDrop"),
    " ",
    el("label", { htmlFor: "import-file", className: "button" }, text("chooseFile")),
    input,
  );
  const fileLine = el("p", { id: "import-file-name", className: "hint" });
  const encoding = el("select", { id: "import-encoding" });
  const encodingLabel = el("label", { hidden: true }, text("encoding"), encoding);
  const fileLayer = el("select", { id: "import-file-layer" });
  const fileLayerLabel = el("label", { hidden: true }, text("fileLayer"), fileLayer);
  const crs = el("select", { id: "import-crs" });
  const epsg = el("input", { id: "import-epsg", inputMode: "numeric", placeholder: "4547", size: 6, hidden: true });
  const crsLabel = el("label", {}, text("crs"), el("span", { className: "crs-choice" }, crs, epsg));
  const crsNote = el("p", { id: "import-crs-note", className: "hint" });
  const mappingTable = el("table", { id: "import-mapping", className: "import-table" });
  const locationNote = el("p", { className: "warning", hidden: true }, text("needLocation"));
  const dryRun = el("button", { id: "import-dry-run", type: "button" }, text("dryRun"));
  const commit = el("button", { id: "import-commit", type: "button", disabled: true }, text("commitImport"));
  const progress = el("progress", { id: "import-progress", max: 1, hidden: true });
  const progressText = el("p", { id: "import-progress-text", className: "hint" });
  const result = el("div", { id: "import-result" });
  for (const live of [progressText, result]) live.setAttribute("aria-live", "polite");
  progress.setAttribute("aria-labelledby", "import-progress-text");
  epsg.setAttribute("aria-label", t("crsEpsg"));
  const settings = el(
    "div",
    { hidden: true },
    encodingLabel,
    fileLayerLabel,
    crsLabel,
    crsNote,
    el("h3", {}, text("mapping")),
    mappingTable,
    locationNote,
    el("div", { className: "buttons" }, dryRun, commit),
  );
  body.append(el("label", {}, text("layer"), layer), drop, fileLine, settings, progress, progressText, result);

  let file: File | undefined;
  let format: Format | undefined;
  let preview: Preview | undefined;
  /** What each column is taken as, as the clerk leaves the selects (columns a road dialect reads are not the clerk's). */
  let mapping: Record<string, string | null> = {};
  const skip = new Set<number>();
  let busy = false;
  /** Previews asked for: only the last one's answer is shown. */
  let previews = 0;

  const crsValue = () => (crs.value === "file" ? undefined : crs.value === "epsg" ? `EPSG:${epsg.value.trim()}` : crs.value);
  /** How the file is to be read; for an import also the clerk's system and mapping (a preview finds its own). */
  const query = (extra: Record<string, string>, importing: boolean) => {
    const q = new URLSearchParams({ format: format!, ...extra });
    if (encoding.value) q.set("encoding", encoding.value);
    if (fileLayer.value) q.set("file_layer", fileLayer.value);
    const c = crsValue();
    if (importing && c) q.set("crs", c);
    if (importing && Object.keys(mapping).length > 0) q.set("mapping", JSON.stringify(mapping));
    return q;
  };
  /** A change after a dry run: the import waits for another. */
  const changed = () => {
    commit.disabled = true;
  };

  const showProblem = (problem: Problem) => {
    const fields = (problem.errors ?? []).map((e) => el("li", {}, `${(e.path ?? []).join(".")}: ${e.message}`));
    result.replaceChildren(el("div", { className: "warning", role: "alert" }, problem.detail ?? "", ...(fields.length ? [el("ul", {}, ...fields)] : [])));
  };

  /** POST the file (or a CSV's head) with progress shown; the answer. */
  const send = async <T>(path: string, blob: Blob, writing: boolean): Promise<Answer<T>> => {
    busy = true;
    dryRun.disabled = true;
    commit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    const started = performance.now();
    try {
      return await upload<T>(
        `/api/v1/layers/${layer.value}/${path}`,
        blob,
        (sent, total) => {
          progress.value = total > 0 ? sent / total : 0;
          progressText.textContent = tf("uploading", { p: Math.round((100 * sent) / Math.max(total, 1)), done: size(sent), total: size(total) });
        },
        () => {
          // all of it is up: the server reads, checks and writes it, and says nothing until it answers
          progress.removeAttribute("value");
          progressText.textContent = tf("serverWorking", { write: writing ? t("andWriting") : "" });
        },
      );
    } finally {
      busy = false;
      dryRun.disabled = false;
      progress.hidden = true;
      progressText.textContent = "";
      progressText.dataset.ms = String(Math.round(performance.now() - started));
    }
  };

  const renderEncoding = () => {
    const found = preview?.encoding;
    encodingLabel.hidden = !found;
    if (!found) return;
    const chosen = encoding.value;
    const name = ENCODING_NAMES[found.name] ?? found.name;
    encoding.replaceChildren(
      el("option", { value: "", textContent: tf(found.detected ? "encodingAuto" : "encodingOwn", { name }) }),
      ...ENCODINGS.map((e) => el("option", { value: e.value, textContent: e.text })),
    );
    encoding.value = chosen;
  };

  const renderCrs = () => {
    const found = preview?.crs;
    const chosen = crs.value;
    crs.replaceChildren(
      ...(found?.from === "file" && found.name ? [el("option", { value: "file", textContent: tf("crsFile", { name: found.name }) })] : []),
      ...CRS_CHOICES.map((c) => el("option", { value: c.value, textContent: t(c.key) })),
    );
    if (chosen) crs.value = chosen;
    epsg.hidden = crs.value !== "epsg";
    crsNote.textContent = !found
      ? ""
      : found.problem
        ? `${t("crsMissing")}（${found.problem}）`
        : found.from === "coordinates"
          ? found.name === "wgs84"
            ? t("crsDegrees")
            : found.name
              ? tf("crsGuessed", { name: found.name })
              : ""
          : "";
  };

  /** The CRS the preview found, chosen: the file's own, GeoJSON's, or what the numbers suggest; a missing one left for the clerk. */
  const chooseFoundCrs = () => {
    const found = preview!.crs;
    crs.value = "";
    renderCrs();
    if (found.from === "file" && found.name) crs.value = "file";
    else if (found.name?.startsWith("EPSG:")) {
      crs.value = "epsg";
      epsg.value = found.name.slice(5);
    } else if (found.name) crs.value = found.name;
    else {
      crs.value = "epsg";
      epsg.value = "";
    }
    epsg.hidden = crs.value !== "epsg";
  };

  const targetLabel = (name: string | null) => {
    if (name === null) return t("notImported");
    const target = preview?.targets.find((x) => x.name === name);
    return target ? `${label(target.label)}${target.required ? " *" : ""}` : name;
  };

  const renderMapping = () => {
    if (!preview) return;
    const head = el("tr", {}, el("th", {}, t("column")), el("th", {}, t("sample")), el("th", {}, t("takeAs")));
    const rows = preview.columns.map((c) => {
      const samples = c.samples.map(String).join("、");
      if (c.by_dialect)
        return el(
          "tr",
          { className: "by-dialect" },
          el("td", {}, c.name),
          el("td", { className: "sample" }, samples),
          el(
            "td",
            {},
            tf("byDialect", { dialect: label(DIALECT_NAMES[preview!.dialect ?? ""] ?? { zh: preview!.dialect ?? "", en: preview!.dialect ?? "" }) }),
          ),
        );
      const select = el(
        "select",
        { className: "import-target", name: c.name, title: c.name },
        el("option", { value: "", textContent: targetLabel(null) }),
        ...preview!.targets.map((x) => el("option", { value: x.name, textContent: targetLabel(x.name) })),
      );
      select.value = mapping[c.name] ?? "";
      select.dataset.column = c.name;
      select.setAttribute("aria-label", `${c.name} → ${t("takeAs")}`);
      select.addEventListener("change", () => {
        // one column per field: the column that had it gives it up, as the server would refuse two
        if (select.value) for (const [other, v] of Object.entries(mapping)) if (other !== c.name && v === select.value) mapping[other] = null;
        mapping[c.name] = select.value || null;
        renderMapping();
        changed();
      });
      return el("tr", {}, el("td", {}, c.name), el("td", { className: "sample" }, samples), el("td", {}, select));
    });
    mappingTable.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
    const taken = new Set(Object.values(mapping));
    locationNote.hidden = preview.geometry === "file" || taken.has("wkt") || (taken.has("lon") && taken.has("lat"));
  };

  const reset = () => {
    preview = undefined;
    mapping = {};
    skip.clear();
    settings.hidden = true;
    mappingTable.replaceChildren();
    result.replaceChildren();
    commit.disabled = true;
  };

  /** Ask the server how the file reads; a refusal (a .zip with no .shp, an unknown encoding) shown in the panel. */
  const runPreview = async () => {
    if (!file || !format) return;
    const asked = ++previews;
    const head = format === "csv" ? file.slice(0, CSV_HEAD_BYTES) : file;
    const answer = await send<Preview & Problem>(`import/preview?${query({}, false)}`, head, false);
    if (asked !== previews) return; // another file, layer or encoding was chosen meanwhile
    if (answer.status !== 200) {
      settings.hidden = true;
      showProblem(answer.body);
      return;
    }
    preview = answer.body;
    mapping = Object.fromEntries(preview.columns.filter((c) => !c.by_dialect).map((c) => [c.name, c.suggested]));
    renderEncoding();
    const names = preview.file_layers?.names ?? [];
    fileLayerLabel.hidden = names.length < 2;
    if (names.length > 1) {
      fileLayer.replaceChildren(...names.map((n) => el("option", { value: n, textContent: n })));
      fileLayer.value = preview.file_layers!.read;
    }
    chooseFoundCrs();
    renderMapping();
    settings.hidden = false;
    result.replaceChildren();
  };

  const takeFile = async (f: File) => {
    reset();
    encoding.value = "";
    fileLayer.replaceChildren();
    file = f;
    format = FORMAT_OF.find(([pattern]) => pattern.test(f.name))?.[1];
    fileLine.textContent = `${f.name} · ${size(f.size)}`;
    reveal(section); // a file dropped on the map: the panel comes into view
    if (!format) {
      result.replaceChildren(el("p", { className: "warning", role: "alert" }, t("importUnknownFormat")));
      return;
    }
    await runPreview();
  };

  const reportLines = (r: Partial<ImportReport>, done: boolean) => {
    const counts = { rows: r.rows ?? 0, inserted: r.inserted ?? 0, updated: r.updated ?? 0, unchanged: r.unchanged ?? 0 };
    return [
      tf(done ? "importedSummary" : "dryRunSummary", counts),
      r.skipped ? tf("skippedRows", { n: r.skipped }) : "",
      r.left_out ? tf("leftOutRows", { n: r.left_out }) : "",
    ].join(" ");
  };

  const fieldLabel = (field: string) =>
    field === "geometry" ? t("location") : field in mapping || preview?.targets.some((x) => x.name === field) ? targetLabel(field).replace(/ \*$/, "") : field;

  const showRejected = (r: Refusal) => {
    const errors = r.errors as ImportReport["errors"];
    const rowsOut = new Set(errors.map((e) => e.row));
    const table = el(
      "table",
      { id: "import-errors", className: "import-table" },
      el("thead", {}, el("tr", {}, el("th", {}, t("skipRow")), el("th", {}, t("row")), el("th", {}, t("field")), el("th", {}, t("reason")))),
      el(
        "tbody",
        {},
        ...errors.map((e, i) => {
          const first = i === 0 || errors[i - 1]!.row !== e.row;
          const box = el("input", { type: "checkbox", className: "skip-row", checked: skip.has(e.row) });
          box.dataset.row = String(e.row);
          box.setAttribute("aria-label", `${t("skipRow")} ${t("row")} ${e.row}`);
          box.addEventListener("change", () => {
            if (box.checked) skip.add(e.row);
            else skip.delete(e.row);
            changed();
          });
          return el(
            "tr",
            { className: first ? "first" : "" },
            el("td", {}, ...(first ? [box] : [])),
            el("td", {}, first ? String(e.row) : ""),
            el("td", {}, fieldLabel(e.field)),
            el("td", { className: "reason" }, e.message),
          );
        }),
      ),
    );
    const more = r.warnings?.find((w) => /^\d+ more errors/.test(w));
    result.replaceChildren(
      el("p", { className: "warning", role: "alert" }, tf("rejectedRows", { n: rowsOut.size })),
      table,
      ...(more ? [el("p", { className: "hint" }, tf("moreRejected", { n: Number.parseInt(more, 10) }))] : []),
    );
  };

  /** A dry run (`commit` false) or the import: the report, the rejected rows, or the refusal shown. */
  const runImport = async (write: boolean) => {
    if (!file || !preview) return;
    result.replaceChildren();
    const q = query(write ? {} : { dry_run: "true" }, true);
    if (skip.size > 0) q.set("skip_rows", [...skip].sort((a, b) => a - b).join(","));
    const answer = await send<ImportReport & Refusal>(`import?${q}`, file, write);
    const r = answer.body;
    if (answer.status === 422 && Array.isArray(r.errors) && r.errors.some((e) => "row" in e)) {
      showRejected(r);
      reveal(result);
      return;
    }
    if (answer.status !== 200) {
      showProblem(r);
      return;
    }
    if (!write) {
      result.replaceChildren(el("p", { className: "ok" }, reportLines(r, false), " ", t("readyToImport")));
      commit.disabled = false;
      return;
    }
    result.replaceChildren(el("p", { className: "ok", id: "import-done" }, reportLines(r, true)));
    commit.disabled = true;
    // show what came in: its layer drawn, the map on it
    const toggle = document.querySelector<HTMLInputElement>(`#toggle-${layer.value}`);
    if (toggle && !toggle.checked) toggle.click();
    if (r.bbox) map.fitBounds(r.bbox, { padding: 40, maxZoom: 15, duration: 0 });
  };

  input.addEventListener("change", () => input.files?.[0] && void takeFile(input.files[0]).catch(showError));
  // a file dropped anywhere on the page comes here (and not to the browser, which would open it)
  const hover = (on: boolean) => drop.classList.toggle("dragging", on);
  document.addEventListener("dragover", (e) => {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    hover(true);
  });
  document.addEventListener("dragleave", () => hover(false));
  document.addEventListener("drop", (e) => {
    const f = e.dataTransfer?.files[0];
    if (!f) return;
    e.preventDefault();
    hover(false);
    section.open = true;
    if (!busy) void takeFile(f).catch(showError);
  });
  layer.addEventListener("change", () => file && !busy && void runPreview().catch(showError));
  for (const select of [encoding, fileLayer]) select.addEventListener("change", () => !busy && void runPreview().catch(showError));
  crs.addEventListener("change", () => {
    epsg.hidden = crs.value !== "epsg";
    changed();
  });
  epsg.addEventListener("input", changed);
  dryRun.addEventListener("click", () => void runImport(false).catch(showError));
  commit.addEventListener("click", () => void runImport(true).catch(showError));

  const texts = () => {
    for (const o of layer.options) o.textContent = label(layers.find((l) => l.name === o.value)!.label);
    renderEncoding();
    renderCrs();
    renderMapping();
  };
  onLangChange(texts);
  texts();
}
