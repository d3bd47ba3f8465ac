import { createMap } from "./map/create_map.ts";
import { currentLang, setLang } from "./i18n.ts";
import { mapLayers } from "./map/style.ts";
import { showError } from "./api.ts";
import { followChanges } from "./map/live.ts";
import { can, loadSession } from "./session.ts";
import { signInDialog } from "./panels/sign_in_dialog.ts";
import { accountBar } from "./panels/account_bar.ts";
import { bottomSheet, coveredBottom } from "./panels/bottom_sheet.ts";

setLang(currentLang());
const langButton = document.querySelector<HTMLButtonElement>("#lang")!;
// named by what it shows (the other language, in that language), as WCAG 2.5.3 asks
const showLangButton = () => {
  langButton.textContent = currentLang() === "zh" ? "English" : "中文";
  langButton.lang = currentLang() === "zh" ? "en" : "zh-CN";
};
showLangButton();
langButton.addEventListener("click", () => {
  setLang(currentLang() === "zh" ? "en" : "zh");
  showLangButton();
});

const sheet = bottomSheet();

// who is signed in, and whether this server lets anyone read (ANONYMOUS_READ), asked at once
const openSignIn = signInDialog();
const [user, townships] = await Promise.all([
  loadSession().catch((e) => (showError(e), undefined)),
  fetch("/tiles/townships.json").catch((e) => (showError(e), undefined)),
]);
accountBar(user, openSignIn);
if (townships?.status === 401) {
  // no map and no panels until someone signs in (the page then reloads, signed in)
  const notice = document.querySelector<HTMLElement>("#sign-in-required")!;
  notice.hidden = false;
  notice.querySelector("button")!.addEventListener("click", openSignIn);
  for (const part of ["#map", "#panel", "#search", "#print"]) document.querySelector<HTMLElement>(part)!.hidden = true;
  openSignIn();
} else {
  // frame whatever the townships cover (the demo county, or a real county loaded instead) from the
  // start, so the first tiles asked for are the ones shown
  const bounds = await townships
    ?.json()
    .then(({ bounds }: { bounds: [number, number, number, number] }) => (bounds[2] - bounds[0] < 90 ? bounds : undefined))
    .catch((e) => (showError(e), undefined));
  await startMap(bounds).catch(showError);
}

async function startMap(bounds: [number, number, number, number] | undefined) {
  const container = document.querySelector<HTMLElement>("#map")!;
  const map = await createMap(container, bounds, coveredBottom(container));
  sheet.follow(map);
  (window as unknown as { hazmap: unknown }).hazmap = { map };
  map.on("error", (e) => showError(new Error(e.error.message)));

  // the panels' code loads after the map has started drawing; each role gets only the panels it may use
  map.once("load", async () => {
    const [{ layersPanel }, { featurePopups }, { nearestPanel }, { supplyPlanPanel }, { plannerPanel }, { evacuationPanel }] = await Promise.all([
      import("./panels/layers_panel.ts"),
      import("./panels/popup.ts"),
      import("./panels/nearest_panel.ts"),
      import("./panels/supply_plan_panel.ts"),
      import("./panels/planner_panel.ts"),
      import("./panels/evacuation_panel.ts"),
      import("./panels/search_box.ts").then((m) => m.searchBox(map)),
      (can("edit") || can("update_status")) && import("./panels/editor.ts").then((m) => m.editorPanel(map)),
      (can("edit") || can("admin")) && import("./panels/import_panel.ts").then((m) => m.importPanel(map)).catch(showError),
      can("export") && import("./panels/export_panel.ts").then((m) => m.exportPanel(map)).catch(showError),
      can("tokens") && import("./panels/tokens_panel.ts").then((m) => m.tokensPanel()),
      can("admin") && import("./panels/audit_panel.ts").then((m) => m.auditPanel()).catch(showError),
      import("./panels/print_map.ts").then(({ printMap }) =>
        document.querySelector("#print")!.addEventListener("click", () => void printMap(map).catch(showError)),
      ),
    ]);
    (await import("./map/village_risk.ts")).addVillageRisk(map);
    await import("./map/incidents_layer.ts").then((m) => m.addIncidentsLayer(map));
    await layersPanel(map);
    // areas and the base map are backgrounds to click through; their own popups would hide the asked point
    // (incidents open their own popup)
    const popupLayers = [...mapLayers(map)]
      .filter(([l]) => !["townships", "hazard-zones", "built_up", "water_areas", "waterways", "places", "incidents"].includes(l))
      .flatMap(([, ls]) => ls.filter((s) => s.type !== "symbol" || s.layout?.["icon-image"]).map((s) => s.id));
    featurePopups(map, popupLayers);
    await import("./map/incidents_layer.ts").then((m) => m.incidentPopups(map, popupLayers));
    await nearestPanel(map);
    await import("./panels/service_area_panel.ts").then((m) => m.serviceAreaPanel(map));
    await supplyPlanPanel(map);
    await import("./panels/incident_panel.ts").then((m) => m.incidentPanel(map));
    followChanges(map);
    plannerPanel(map);
    await evacuationPanel(map);
    document.body.dataset.ready = "true";
  });
}
