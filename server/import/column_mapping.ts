import { z } from "zod";
import { inputFields, type Layer } from "../layers/layer.ts";
import { badRequest } from "../http/problem.ts";
import { columnTargets, type Target } from "./column_target.ts";

/**
 * What a column is taken as, in a word: an attribute's name, `lon`, `lat`, `wkt`, or null (not read).
 * The preview answers the suggested mapping in these words, and `mapping=` of an import gives them back.
 */
export type TargetWord = string | null;

/** A clerk's mapping: column as the file heads it → what it is taken as. Columns it does not name keep their suggestion. */
export type Mapping = Readonly<Record<string, TargetWord>>;

const COORDINATES = ["lon", "lat"] as const;

export const targetWord = (target: Target | undefined): TargetWord =>
  !target || "system" in target ? null : "field" in target ? target.field : "coordinate" in target ? target.coordinate : "wkt";

/** A word of a mapping as the target it names, or undefined when the layer has no such attribute. */
function targetOfWord(layer: Layer, word: string | null): Target | null | undefined {
  if (word === null) return null;
  if ((COORDINATES as readonly string[]).includes(word)) return { coordinate: word as (typeof COORDINATES)[number] };
  if (word === "wkt") return { wkt: true };
  return Object.hasOwn(inputFields(layer), word) ? { field: word } : undefined;
}

/** At most this many columns: more than any sheet a clerk keeps (Excel's own limit is 16,384). */
const MAX_COLUMNS = 1000;
const MappingJson = z.record(z.string().max(255), z.string().max(100).nullable());

/**
 * The `mapping=` parameter (JSON) checked against the layer: each value an attribute of the layer (or
 * lon, lat, wkt, null), no attribute taken from two columns; a 400 naming `mapping` and the column.
 */
export function parseMapping(layer: Layer, json: string): Mapping {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw badRequest([{ path: ["mapping"], message: `must be JSON, an object of column → field (${(e as Error).message})` }]);
  }
  const parsed = MappingJson.safeParse(value);
  if (!parsed.success)
    throw badRequest(
      parsed.error.issues.map((i) => ({
        path: ["mapping", ...i.path.map(String)],
        message: `${i.message}: each value is a field name, lon, lat, wkt or null`,
      })),
    );
  const mapping = parsed.data;
  if (Object.keys(mapping).length > MAX_COLUMNS) throw badRequest([{ path: ["mapping"], message: `must name at most ${MAX_COLUMNS} columns` }]);
  const errors: { path: string[]; message: string }[] = [];
  const takenBy = new Map<string, string>();
  for (const [column, word] of Object.entries(mapping)) {
    if (targetOfWord(layer, word) === undefined) {
      errors.push({
        path: ["mapping", column],
        message: `${JSON.stringify(word)} is not a field of ${layer.name} (${Object.keys(inputFields(layer)).join(", ")}), lon, lat, wkt or null`,
      });
    } else if (word !== null) {
      const other = takenBy.get(word);
      if (other !== undefined) errors.push({ path: ["mapping", column], message: `${word} is already taken from the column ${JSON.stringify(other)}` });
      else takenBy.set(word, column);
    }
  }
  if (errors.length > 0) throw badRequest(errors);
  return mapping;
}

/**
 * Where each column goes: as the mapping says, else as its header suggests (columnTargets) unless the
 * mapping gave that target to another column (a clerk moving 人口 off 户籍人口 onto 常住人口).
 */
export function mappedTargets(layer: Layer, mapping: Mapping | undefined): (header: string) => Target | undefined {
  const suggested = columnTargets(layer);
  if (!mapping || Object.keys(mapping).length === 0) return suggested;
  const given = new Set(Object.values(mapping).filter((w) => w !== null));
  return (header) => {
    if (Object.hasOwn(mapping, header)) return targetOfWord(layer, mapping[header]!) ?? undefined;
    const target = suggested(header);
    const word = targetWord(target);
    return word !== null && given.has(word) ? undefined : target;
  };
}
