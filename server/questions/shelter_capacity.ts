import { z } from "zod";
import type { Db } from "../db.ts";
import { notFound, Problem } from "../http/problem.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { metres } from "./params.ts";
import { township } from "./coverage_gaps.ts";
import { minCostMaxFlow } from "./min_cost_flow.ts";
import { transportOf } from "./evacuation_plan.ts";

export const ShelterCapacityQuery = z.strictObject({
  radius_m: metres,
  township: township.optional(),
});
export type ShelterCapacityQuery = z.output<typeof ShelterCapacityQuery>;

const capacity = new Statement(sqlFile(new URL("./shelter_capacity.sql", import.meta.url)));

/**
 * The most villages one allocation is solved for without `township`: a province (~20,000) and then some.
 * The solver runs in the server process; the whole country at once would hold it for minutes.
 */
export const MAX_ALLOCATION_VILLAGES = 50_000;

/** GB 21734 / 建标 guidance: at least 1.5 m² of effective area per sheltered person. */
const AREA_PER_PERSON_M2 = 1.5;

export interface TownshipCapacity {
  /** null: the villages with no (known) township and the shelters in no township's polygon. */
  township: string | null;
  name: string | null;
  villages: number;
  population: number;
  sheltered: number;
  unsheltered: number;
  unsheltered_reasons: { no_shelter_in_reach: number; no_place_left: number };
  /** The township's own usable shelters (inside its polygon) and their free places. */
  shelters: number;
  places: number;
  /** Of its places, how many the allocation fills, and how many of those with people of other townships. */
  places_used: number;
  places_serving_others: number;
  /** Own usable shelters whose known effective area is below 1.5 m² per place: a warning, not a cap. */
  shelters_below_area_standard: number;
  below_area_standard_ids: number[];
}

export interface ShelterCapacity {
  radius_m: number;
  townships: TownshipCapacity[];
  total: { villages: number; population: number; sheltered: number; unsheltered: number; places: number };
  /** What the allocation was solved over: with `township`, it and the townships competing for its shelters. */
  area: { townships: (string | null)[]; villages: number; population: number; sheltered: number };
}

interface Area {
  townships: { township: string; name: string }[];
  villages: { id: number; population: number; township: string | null }[];
  shelters: { id: number; capacity: number; free_places: number; effective_area_m2: number | null; township: string | null }[];
  pairs: [village_id: number, shelter_id: number, distance_m: number][];
}

/**
 * One allocation of people to free places over the whole area asked about (shelter_capacity.sql says
 * which area): each village's people go to usable shelters within radius_m, no shelter over its free
 * places, as many people as possible and, among those plans, the fewest person-metres — the evacuation
 * plan's min-cost max-flow. So no place is counted twice. Townships least sheltered first.
 */
export async function shelterCapacity(db: Db, q: ShelterCapacityQuery): Promise<ShelterCapacity> {
  if (q.township && !(await db("townships").where({ admin_code: q.township }).first("id"))) {
    throw notFound(`township ${q.township} does not exist`);
  }
  if (!q.township) {
    const { n } = (await db("villages").first(db.raw("count(*)::int AS n"))) as { n: number };
    if (n > MAX_ALLOCATION_VILLAGES) {
      const message = `the whole area holds ${n} villages, more than the ${MAX_ALLOCATION_VILLAGES} one allocation is solved for: ask for one township`;
      throw new Problem(422, "area-too-large", "Area too large", message, [{ path: ["township"], message }]);
    }
  }
  const [row] = await capacity.run<Record<keyof Area, string>>(db, { radius_m: q.radius_m, township: q.township ?? null });
  const area: Area = {
    townships: JSON.parse(row!.townships),
    villages: JSON.parse(row!.villages),
    shelters: JSON.parse(row!.shelters),
    pairs: JSON.parse(row!.pairs),
  };
  const all = allocate(area);
  const solved = all.filter((t) => t.villages > 0);
  const townships = all.filter((t) => (q.township ? t.township === q.township : t.township !== null || t.villages + t.shelters > 0));
  const total = { villages: 0, population: 0, sheltered: 0, unsheltered: 0, places: 0 };
  for (const t of townships) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += t[k];
  return {
    radius_m: q.radius_m,
    townships,
    total,
    area: {
      townships: solved.map((t) => t.township).sort(),
      villages: sum(solved.map((t) => t.villages)),
      population: sum(solved.map((t) => t.population)),
      sheltered: sum(solved.map((t) => t.sheltered)),
    },
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The allocation, summed per township (and one row, township null, for what belongs to none). */
function allocate({ townships, villages, shelters, pairs }: Area): TownshipCapacity[] {
  const pairList = pairs.map(([village_id, shelter_id, distance_m]) => ({ village_id, shelter_id, distance_m }));
  const flows = minCostMaxFlow(transportOf({ villages, shelters: shelters.map((s) => ({ id: s.id, free_capacity: s.free_places })), pairs: pairList }));

  const rows = new Map<string | null, TownshipCapacity>();
  const rowOf = (code: string | null) => {
    let r = rows.get(code);
    if (!r) {
      r = {
        township: code,
        name: null,
        villages: 0,
        population: 0,
        sheltered: 0,
        unsheltered: 0,
        unsheltered_reasons: { no_shelter_in_reach: 0, no_place_left: 0 },
        shelters: 0,
        places: 0,
        places_used: 0,
        places_serving_others: 0,
        shelters_below_area_standard: 0,
        below_area_standard_ids: [],
      };
      rows.set(code, r);
    }
    return r;
  };
  for (const t of townships) rowOf(t.township).name = t.name;

  const villageTownship = new Map(villages.map((v) => [v.id, v.township]));
  const shelterTownship = new Map(shelters.map((s) => [s.id, s.township]));
  const sent = new Map<number, number>();
  const inReach = new Set<number>();
  pairList.forEach((p, k) => {
    inReach.add(p.village_id);
    const people = flows[k]!;
    if (people === 0) return;
    sent.set(p.village_id, (sent.get(p.village_id) ?? 0) + people);
    const from = villageTownship.get(p.village_id)!;
    const owner = rowOf(shelterTownship.get(p.shelter_id)!);
    owner.places_used += people;
    if (owner.township !== from) owner.places_serving_others += people;
  });
  for (const v of villages) {
    const r = rowOf(v.township);
    const sheltered = sent.get(v.id) ?? 0;
    r.villages++;
    r.population += v.population;
    r.sheltered += sheltered;
    r.unsheltered += v.population - sheltered;
    r.unsheltered_reasons[inReach.has(v.id) ? "no_place_left" : "no_shelter_in_reach"] += v.population - sheltered;
  }
  for (const s of shelters) {
    const r = rowOf(s.township);
    r.shelters++;
    r.places += s.free_places;
    if (s.effective_area_m2 !== null && s.effective_area_m2 < AREA_PER_PERSON_M2 * s.capacity) {
      r.shelters_below_area_standard++;
      r.below_area_standard_ids.push(s.id);
    }
  }
  const share = (r: TownshipCapacity) => (r.population > 0 ? r.sheltered / r.population : Infinity);
  return [...rows.values()].sort(
    (a, b) => Number(a.township === null) - Number(b.township === null) || share(a) - share(b) || (a.township ?? "").localeCompare(b.township ?? ""),
  );
}
