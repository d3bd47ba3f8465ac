import { inputFields, type Layer } from "../layers/layer.ts";
import { toSimplified } from "../text/to_simplified.ts";

/** Where each column of a sheet goes: a layer attribute, a coordinate, a WKT geometry, or nowhere. */
export type Target = { field: string } | { coordinate: "lon" | "lat" } | { wkt: true } | { system: true };

const LON = ["lon", "lng", "long", "longitude", "x", "经度", "东经"];
const LAT = ["lat", "latitude", "y", "纬度", "北纬"];
const WKT = ["wkt", "geometry", "geom", "几何", "the_geom"];

/** Words clerks write for an attribute besides its code name and zh/en labels. */
const SYNONYMS: Record<string, string[]> = {
  name: ["名字", "名称", "单位名称", "场所名称", "title"],
  code: ["编码", "代码", "编号", "id_code", "external_code"],
  capacity: ["可容纳人数", "容纳人数", "容量", "预计收容人数"],
  population: ["人口数", "人口", "总人口", "户籍人口"],
  households: ["户数", "总户数"],
  address: ["详细地址", "地址", "位置"],
  phone: ["电话", "联系电话", "手机", "tel", "telephone"],
  manager: ["负责人", "管理员", "管理人"],
  contact: ["联系人"],
  admin_code: ["统计用区划代码", "行政区划代码", "区划代码"],
  township_code: ["乡镇代码", "乡镇编码", "town_code"],
  township_name: ["乡镇", "乡镇名称", "所属乡镇", "乡镇(街道)", "所属乡镇(街道)", "乡镇街道", "乡镇市区", "town_name", "town", "township"],
};

/** Header text as compared: trimmed, lower case, in Simplified Chinese (名稱 → 名称), without spaces, underscores or a unit in brackets. */
export function normalizeHeader(h: string): string {
  return toSimplified(
    h
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase()
      .replace(/[(（][^)）]*[)）]$/, "")
      .replace(/[\s_-]+/g, ""),
  );
}

function dictionary(layer: Layer): Map<string, Target> {
  const words = new Map<string, Target>();
  const add = (word: string, t: Target) => words.has(normalizeHeader(word)) || words.set(normalizeHeader(word), t);
  const fields = inputFields(layer);
  for (const [name, f] of Object.entries(fields)) for (const w of [name, f.label.zh, f.label.en]) add(w, { field: name });
  for (const [name, words] of Object.entries(SYNONYMS)) if (fields[name]) for (const w of words) add(w, { field: name });
  for (const w of LON) add(w, { coordinate: "lon" });
  for (const w of LAT) add(w, { coordinate: "lat" });
  for (const w of WKT) add(w, { wkt: true });
  // what our own exports carry besides the attributes: the server owns these, so they are skipped quietly
  for (const w of ["id", "version", "created_at", "updated_at"]) add(w, { system: true });
  return words;
}

const targets = new Map<Layer, (header: string) => Target | undefined>();

/** What a header names in the layer, or undefined for a column the layer has no place for; a function per layer, as a file repeats the same few headers on every row. */
export function columnTargets(layer: Layer): (header: string) => Target | undefined {
  let targetOf = targets.get(layer);
  if (!targetOf) {
    const words = dictionary(layer);
    const known = new Map<string, Target | null>(); // each header as written → its target (null: none)
    targetOf = (header) => {
      let target = known.get(header);
      if (target === undefined) {
        target = words.get(normalizeHeader(header)) ?? null;
        if (known.size < 10_000) known.set(header, target); // GeoJSON keys are open-ended: bound the memory
      }
      return target ?? undefined;
    };
    targets.set(layer, targetOf);
  }
  return targetOf;
}
