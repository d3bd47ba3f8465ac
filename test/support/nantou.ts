// The real Nantou County (南投縣, Taiwan) data set — 13 townships, 262 villages with household-register
// population, 387 designated shelters with planned capacity — loaded through the product's own HTTP
// API, one feature per request, the way a client would. The files live beside the clone in
// shared/data/real/taiwan-nantou-county/ (see its README.md); they are never copied into the repo.
import type { World } from "./world.ts";
import { readFile } from "node:fs/promises";

export const NANTOU_DIR = new URL("../../../shared/data/real/taiwan-nantou-county/", import.meta.url);

/**
 * RFC 4180 CSV: comma separated, fields optionally in double quotes (which may hold commas, newlines
 * and doubled quotes ""), CRLF or LF line ends, an optional UTF-8 BOM. Returns the rows as records
 * keyed by the header; a row whose field count differs from the header's is an error.
 */
export function parseCsv(text: string): Record<string, string>[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== "") throw new Error(`CSV: a quote inside an unquoted field on line ${rows.length + 1}`);
      quoted = true;
      i++;
      continue;
    }
    if (c === ",") {
      endField();
      i++;
      continue;
    }
    if (c === "\r" && text[i + 1] === "\n") {
      endRow();
      i += 2;
      continue;
    }
    if (c === "\n") {
      endRow();
      i++;
      continue;
    }
    field += c;
    i++;
  }
  if (quoted) throw new Error("CSV: unterminated quoted field at end of file");
  if (field !== "" || row.length > 0) endRow();
  const [header, ...body] = rows;
  if (!header) throw new Error("CSV: no header row");
  return body.map((r, k) => {
    if (r.length !== header.length) throw new Error(`CSV: line ${k + 2} has ${r.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, r[j]!]));
  });
}

async function readCsv(file: string): Promise<Record<string, string>[]> {
  return parseCsv(await readFile(new URL(file, NANTOU_DIR), "utf8"));
}

function int(row: Record<string, string>, key: string, where: string): number {
  const v = row[key];
  if (v === undefined || !/^-?[0-9]+$/.test(v)) throw new Error(`${where}: ${key} is not an integer: ${JSON.stringify(v)}`);
  return Number(v);
}

function num(row: Record<string, string>, key: string, where: string): number {
  const v = row[key];
  const n = v === undefined || v.trim() === "" ? NaN : Number(v);
  if (!Number.isFinite(n)) throw new Error(`${where}: ${key} is not a number: ${JSON.stringify(v)}`);
  return n;
}

function text(row: Record<string, string>, key: string, where: string): string {
  const v = row[key];
  if (v === undefined || v.trim() === "") throw new Error(`${where}: ${key} is empty`);
  return v;
}

/** 室内/室外 flags (是 yes / 否 no) → our shelter_type; neither flag set leaves it unknown. */
export function shelterType(indoor: string, outdoor: string, where: string): "indoor" | "outdoor" | "mixed" | undefined {
  const yes = (v: string, k: string) => {
    if (v !== "是" && v !== "否") throw new Error(`${where}: ${k} must be 是 or 否, not ${JSON.stringify(v)}`);
    return v === "是";
  };
  const i = yes(indoor, "indoor");
  const o = yes(outdoor, "outdoor");
  return i && o ? "mixed" : i ? "indoor" : o ? "outdoor" : undefined;
}

interface Feature {
  type: "Feature";
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

export interface NantouData {
  townships: { where: string; feature: Feature }[];
  villages: { where: string; feature: Feature }[];
  shelters: { where: string; feature: Feature }[];
}

/** The three files as the features we POST, each with where it came from (for error messages). */
export async function readNantou(): Promise<NantouData> {
  const towns = JSON.parse(await readFile(new URL("townships.geojson", NANTOU_DIR), "utf8")) as {
    features: { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
  };
  const townships = towns.features.map((f, k) => {
    const where = `townships.geojson feature ${k + 1}`;
    const code = String(f.properties.town_code ?? "");
    if (!/^[0-9]{8}$/.test(code)) throw new Error(`${where}: town_code is not 8 digits: ${code}`);
    return {
      where,
      feature: {
        type: "Feature" as const,
        geometry: f.geometry,
        properties: { name: String(f.properties.town_name), admin_code: code, code },
      },
    };
  });

  const villages = (await readCsv("villages_points.csv")).map((r, k) => {
    const where = `villages_points.csv line ${k + 2}`;
    const villcode = text(r, "villcode", where);
    if (!/^[0-9]{11}$/.test(villcode)) throw new Error(`${where}: villcode is not 11 digits: ${villcode}`);
    const townCode = text(r, "town_code", where);
    if (!villcode.startsWith(townCode)) throw new Error(`${where}: villcode ${villcode} is not in town ${townCode}`);
    return {
      where,
      feature: {
        type: "Feature" as const,
        geometry: { type: "Point", coordinates: [num(r, "lon", where), num(r, "lat", where)] },
        properties: {
          name: text(r, "village_name", where),
          population: int(r, "population", where),
          households: int(r, "households", where),
          vulnerable: int(r, "age_65_plus", where) + int(r, "age_0_14", where),
          township_code: townCode,
          admin_code: villcode,
          code: villcode,
        },
      },
    };
  });

  // Every row, including the ones whose coordinates fail the README's QC (coord_qc != 'ok').
  const shelters = (await readCsv("shelters.csv")).map((r, k) => {
    const where = `shelters.csv line ${k + 2}`;
    const type = shelterType(text(r, "indoor", where), text(r, "outdoor", where), where);
    return {
      where,
      feature: {
        type: "Feature" as const,
        geometry: { type: "Point", coordinates: [num(r, "lon", where), num(r, "lat", where)] },
        properties: {
          name: text(r, "name", where),
          capacity: int(r, "capacity", where),
          code: text(r, "source_seq", where),
          ...(type ? { shelter_type: type } : {}),
        },
      },
    };
  });
  return { townships, villages, shelters };
}

/** POST each feature to /api/v1/layers/:layer/features, a few at a time; any refusal is an error. */
async function post(w: Pick<World, "base" | "fetch">, layer: string, rows: { where: string; feature: Feature }[], parallel = 8): Promise<number> {
  let next = 0;
  let created = 0;
  const worker = async () => {
    while (next < rows.length) {
      const { where, feature } = rows[next++]!;
      const res = await w.fetch(`${w.base}/api/v1/layers/${layer}/features`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(feature),
      });
      if (res.status !== 201) {
        throw new Error(`loading ${layer} from ${where} (code ${String(feature.properties.code)}): HTTP ${res.status} ${await res.text()}`);
      }
      await res.arrayBuffer();
      created++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, rows.length) }, worker));
  return created;
}

/** Load Nantou through the API of the app in `w` (townships first: villages refer to them). */
export async function loadNantou(w: Pick<World, "base" | "fetch">): Promise<{ villages: number; shelters: number; townships: number }> {
  const data = await readNantou();
  const townships = await post(w, "townships", data.townships);
  const [villages, shelters] = await Promise.all([post(w, "villages", data.villages), post(w, "shelters", data.shelters)]);
  return { villages, shelters, townships };
}
