import { createMap } from "./map/create_map.ts";
import { currentLang, setLang } from "./i18n.ts";
import { MAP_LAYERS } from "./map/style.ts";
import { showError } from "./api.ts";
import { followChanges } from "./map/live.ts";

setLang(currentLang());
const langButton = document.querySelector<HTMLButtonElement>("#lang")!;
const showLangButton = () => (langButton.textContent = currentLang() === "zh" ? "English" : "中文");
showLangButton();
langButton.addEventListener("click", () => {
  setLang(currentLang() === "zh" ? "en" : "zh");
  showLangButton();
});

// frame whatever the townships cover (the demo county, or a real county loaded instead) from the
// start, so the first tiles asked for are the ones shown
const bounds = await fetch("/tiles/townships.json")
  .then((r) => r.json())
  .then(({ bounds }: { bounds: [number, number, number, number] }) => (bounds[2] - bounds[0] < 90 ? bounds : undefined))
  .catch((e) => (showError(e), undefined));
const map = createMap(document.querySelector("#map")!, bounds);
(window as unknown as { hazmap: unknown }).hazmap = { map };
map.on("error", (e) => showError(new Error(e.error.message)));

// the panels' code loads after the map has started drawing
map.once("load", async () => {
  const [{ layersPanel }, { featurePopups }, { nearestPanel }, { supplyPlanPanel }, { plannerPanel }, { evacuationPanel }, { exportPanel }] = await Promise.all([
    import("./panels/layers_panel.ts"),
    import("./panels/popup.ts"),
    import("./panels/nearest_panel.ts"),
    import("./panels/supply_plan_panel.ts"),
    import("./panels/planner_panel.ts"),
    import("./panels/evacuation_panel.ts"),
    import("./panels/export_panel.ts"),
    import("./panels/search_box.ts").then((m) => m.searchBox(map)),
    import("./panels/editor.ts").then((m) => m.editorPanel(map)),
    import("./panels/print_map.ts").then(({ printMap }) => document.querySelector("#print")!.addEventListener("click", () => void printMap(map).catch(showError))),
  ]);
  await layersPanel(map);
  // areas are backgrounds to click through; their own popups would hide the incident point
  featurePopups(map, Object.entries(MAP_LAYERS).filter(([l]) => l !== "townships" && l !== "hazard-zones").flatMap(([, ls]) => ls.filter((s) => s.type !== "symbol").map((s) => s.id)));
  await nearestPanel(map);
  await supplyPlanPanel(map);
  followChanges(map);
  plannerPanel(map);
  await evacuationPanel(map);
  await exportPanel(map).catch(showError);
  document.body.dataset.ready = "true";
});
