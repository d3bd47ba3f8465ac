import type { GeoJSONSource, Map } from "maplibre-gl";
import { api, itemCatalogue, showError, type Item } from "../api.ts";
import { formatKm, formatMinutes, formatQuantity, label, onLangChange, t, unitLabel } from "../i18n.ts";
import { askedPoint, onAskedPoint } from "../map/asked_point.ts";
import { el } from "./ui.ts";
import { featureRow, fitTo } from "./result_rows.ts";
import { planActions, type PlanRequest } from "./plan_sheet.ts";
import type { supplyPlan } from "../../../server/questions/supply_plan.ts";

type Plan = Awaited<ReturnType<typeof supplyPlan>>;

/** Commander: what to draw from which depots, nearest first, for a list of needs at the incident point. */
export async function supplyPlanPanel(map: Map) {
  const body = document.querySelector("#supply .body")!;
  map.addSource("supply-lines", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
  map.addLayer({
    id: "supply-lines",
    type: "line",
    source: "supply-lines",
    layout: { "line-cap": "round" },
    paint: { "line-color": "#6a1b9a", "line-opacity": 0.75, "line-width": ["interpolate", ["linear"], ["get", "quantity"], 1, 2, 1000, 7] },
  });
  const items = await itemCatalogue().catch((e) => (showError(e), [] as Item[]));
  const nameOf = (code: string) => {
    const i = items.find((x) => x.code === code);
    return i ? label({ zh: i.name_zh, en: i.name_en }) : code;
  };
  const unitOf = (code: string) => {
    const i = items.find((x) => x.code === code);
    return i ? unitLabel(i) : "";
  };

  const rows = el("div", { id: "supply-rows" });
  const addRow = (code = "tent", quantity = "100") => {
    const item = el(
      "select",
      { className: "supply-item", ariaLabel: t("supplyItem") },
      ...items.map((i) => el("option", { value: i.code, textContent: nameOf(i.code) })),
    );
    item.value = code;
    const amount = el("input", {
      className: "supply-quantity",
      ariaLabel: t("supplyQuantity"),
      type: "number",
      min: "1",
      step: "1",
      value: quantity,
      style: "width: 6em",
    });
    const unit = el("span", { className: "supply-unit", textContent: unitOf(code) }); // the quantity is in the item's unit
    item.addEventListener("change", () => (unit.textContent = unitOf(item.value)));
    const remove = el("button", { type: "button", textContent: "×", title: "remove" });
    const row = el("div", { className: "supply-row" }, item, " ", amount, " ", unit, " ", remove);
    remove.addEventListener("click", () => row.remove());
    rows.append(row);
  };
  addRow();
  const add = el("button", { id: "supply-add", type: "button" });
  const plan = el("button", { id: "supply-plan", type: "button" });
  const result = el("div", { id: "supply-result" });
  let asked: PlanRequest | undefined;
  const actions = planActions("supply-plan", () => asked);
  actions.hidden = true;
  body.append(rows, el("div", {}, add, " ", plan), result, actions);
  add.addEventListener("click", () => addRow("water", "500"));

  let last: Plan | undefined;
  const render = () => {
    add.textContent = t("addItem");
    plan.textContent = t("planSupplies");
    for (const o of rows.querySelectorAll<HTMLOptionElement>("option")) o.textContent = nameOf(o.value);
    for (const r of rows.querySelectorAll(".supply-row"))
      r.querySelector(".supply-unit")!.textContent = unitOf(r.querySelector<HTMLSelectElement>(".supply-item")!.value);
    if (!last) return;
    result.replaceChildren(
      el(
        "ol",
        { id: "supply-picks", className: "result-list" },
        ...last.picks.map((p) =>
          el(
            "li",
            {},
            featureRow(
              map,
              { layer: "depots", id: p.depot_id, at: [p.lon, p.lat] },
              `${p.name} · ${nameOf(p.item)} ${formatQuantity(p.quantity, p)} · ${
                p.travel_time_s === undefined ? formatKm(p.distance_m) : `${formatMinutes(p.travel_time_s)} · ${formatKm(p.road_distance_m!)}${t("roadSuffix")}`
              }`,
            ),
          ),
        ),
      ),
      ...(last.shortfall.length
        ? [
            el("p", {
              id: "supply-shortfall",
              className: "summary",
              textContent: `${t("shortfall")}: ${last.shortfall.map((s) => `${nameOf(s.item)} ${formatQuantity(s.quantity, s)}`).join("、")}`,
            }),
          ]
        : [el("p", { id: "supply-shortfall", textContent: t("noShortfall") })]),
    );
  };

  async function run() {
    const at = askedPoint();
    if (!at) return void (result.textContent = t("clickHint"));
    const needs = [...rows.querySelectorAll(".supply-row")].map((r) => ({
      item: r.querySelector<HTMLSelectElement>(".supply-item")!.value,
      quantity: Number(r.querySelector<HTMLInputElement>(".supply-quantity")!.value),
    }));
    try {
      const request = { path: "/api/v1/supply-plan", body: { lon: at[0], lat: at[1], items: needs } };
      last = await api<Plan>(request.path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request.body) });
      asked = request;
      actions.hidden = false;
      render();
      fitTo(map, [at, ...last.picks.map((p) => [p.lon, p.lat] as [number, number])]);
      (map.getSource("supply-lines") as GeoJSONSource).setData({
        type: "FeatureCollection",
        features: last.picks.map((p) => ({
          type: "Feature" as const,
          properties: { quantity: p.quantity },
          geometry: { type: "LineString" as const, coordinates: [[p.lon, p.lat], at] },
        })),
      });
    } catch (e) {
      showError(e);
    }
  }
  plan.addEventListener("click", () => void run());
  onAskedPoint(() => last && void run()); // a plan follows the incident point once made
  onLangChange(render);
  render();
}
