import { describe, expect, it } from "vitest";
import * as OpenCC from "opencc-js/cn2t";
import { LAYERS } from "../layers/index.ts";
import { allFields } from "../layers/layer.ts";
import { cellValue } from "./cell_value.ts";
import { columnTargets } from "./column_target.ts";

// The other direction, Simplified → Traditional, as a clerk in Taipei or Hong Kong writes.
const taiwan = OpenCC.Converter({ from: "cn", to: "twp" });
const hongKong = OpenCC.Converter({ from: "cn", to: "hk" });

describe("Traditional Chinese maps as Simplified does", () => {
  it.each(LAYERS.filter((l) => !l.readOnly).map((l) => [l.name, l] as const))(
    "%s: every Chinese label, in Taiwan and Hong Kong writing, names its attribute",
    (_name, layer) => {
      const targetOf = columnTargets(layer);
      let changed = 0;
      for (const [name, field] of Object.entries(allFields(layer))) {
        for (const traditional of [taiwan(field.label.zh), hongKong(field.label.zh)]) {
          if (traditional !== field.label.zh) changed++;
          expect(targetOf(traditional), `${traditional} (${field.label.zh})`).toEqual({ field: name });
        }
      }
      expect(changed).toBeGreaterThan(0); // the conversion did write something differently
    },
  );

  it("the headers of a Taiwanese shelter sheet", () => {
    const targetOf = columnTargets(LAYERS.find((l) => l.name === "shelters")!);
    const headers = ["名稱", "經度", "緯度", "容納人數", "預計收容人數", "地址", "電話", "聯絡電話", "狀態", "設施"];
    expect(headers.map(targetOf)).toEqual([
      { field: "name" },
      { coordinate: "lon" },
      { coordinate: "lat" },
      { field: "capacity" },
      { field: "capacity" },
      { field: "address" },
      { field: "phone" },
      { field: "phone" },
      { field: "status" },
      { field: "facilities" },
    ]);
  });

  it.each(LAYERS.filter((l) => !l.readOnly).map((l) => [l.name, l] as const))("%s: every enum label in Traditional reads as its code", (_name, layer) => {
    for (const field of Object.values(allFields(layer))) {
      if (field.kind !== "enum") continue;
      for (const [code, label] of Object.entries(field.values)) {
        expect(cellValue(field, taiwan(label.zh))).toBe(code);
        expect(cellValue(field, hongKong(label.zh))).toBe(code);
      }
    }
  });

  it("無 is 无 (no), and a value that is no label stays as written for the schema to name", () => {
    expect(cellValue({ kind: "boolean", label: { zh: "", en: "" } }, "無")).toBe(false);
    const status = allFields(LAYERS.find((l) => l.name === "shelters")!).status!;
    expect(cellValue(status, "開放")).toBe("open");
    expect(cellValue(status, "營業中")).toBe("營業中");
  });
});
