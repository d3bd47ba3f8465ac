// The truth for GET /api/v1/shelter-capacity, computed without the product's code: village–shelter pairs
// within the radius by GeographicLib geodesics, a shelter's township by turf point-in-polygon, and the
// most people that can be sheltered by a maximum flow written in the tests (max_flow.ts, Dinic's algorithm).
import { expect } from "vitest";
import { booleanPointInPolygon } from "@turf/turf";
import type { MultiPolygon } from "geojson";
import type { Snapshot } from "./snapshot.ts";
import { geodesicDistance, within } from "./truth.ts";
import { maxFlow } from "./max_flow.ts";
import type { ShelterCapacity } from "../../server/questions/shelter_capacity.ts";

/** The answer as the server declares it (a type only: no server code runs in the truth). */
export type CapacityAnswer = ShelterCapacity;

export interface Truth {
  /** Usable shelters (open, with free places) and the township whose polygon covers each (lowest id). */
  usable: { id: number; free: number; township: string | null }[];
  /** Villages and their township (null: none known). */
  villages: { id: number; population: number; township: string | null }[];
  /** Pairs within the radius, villages with people only. */
  pairs: { village: number; shelter: number }[];
  /** The most people the whole area can shelter. */
  maxSheltered: number;
  /** Per township (null: none): its villages, population, people with no usable shelter in reach. */
  townships: Map<string | null, { villages: number; population: number; noShelterInReach: number }>;
  /** Per township, the people of its villages that have some shelter in reach. */
  reachablePopulation: Map<string | null, number>;
  /** Usable shelters per owning township, free places, and those short of 1.5 m² of area per place. */
  owned: Map<string | null, { shelters: number; places: number; belowAreaStandard: number[]; reachedByOthers: number }>;
  /** Maximum flow over the villages of the given townships only, as if no one else existed. */
  maxShelteredOver(townships: (string | null)[]): number;
}

export function capacityTruth(s: Snapshot, polygons: { id: number; admin_code: string; geom: MultiPolygon }[], radius: number): Truth {
  const known = new Set(s.townships.map((t) => t.admin_code));
  const townshipOf = (v: Snapshot["villages"][number]) => (v.township_code !== null && known.has(v.township_code) ? v.township_code : null);
  const byId = [...polygons].sort((a, b) => a.id - b.id);
  const usableShelters = s.shelters.filter((x) => x.status === "open" && x.capacity > x.occupancy);
  const usable = usableShelters.map((x) => ({
    id: x.id,
    free: x.capacity - x.occupancy,
    township: byId.find((p) => booleanPointInPolygon(x.at, p.geom))?.admin_code ?? null,
  }));
  const pairs: Truth["pairs"] = [];
  for (const v of s.villages) {
    if (v.population === 0) continue;
    for (const x of usableShelters) if (within(geodesicDistance(v.at, x.at), radius)) pairs.push({ village: v.id, shelter: x.id });
  }
  const inReach = new Set(pairs.map((p) => p.village));
  const townships: Truth["townships"] = new Map();
  const reachablePopulation: Truth["reachablePopulation"] = new Map();
  for (const t of [...s.townships.map((t) => t.admin_code), null]) townships.set(t, { villages: 0, population: 0, noShelterInReach: 0 });
  for (const v of s.villages) {
    const t = townships.get(townshipOf(v))!;
    t.villages++;
    t.population += v.population;
    if (!inReach.has(v.id)) t.noShelterInReach += v.population;
    else reachablePopulation.set(townshipOf(v), (reachablePopulation.get(townshipOf(v)) ?? 0) + v.population);
  }
  const villageTownship = new Map(s.villages.map((v) => [v.id, townshipOf(v)]));
  const owned: Truth["owned"] = new Map();
  usable.forEach((x, k) => {
    const o = owned.get(x.township) ?? { shelters: 0, places: 0, belowAreaStandard: [], reachedByOthers: 0 };
    o.shelters++;
    o.places += x.free;
    const area = usableShelters[k]!.effective_area_m2;
    if (area !== null && area < 1.5 * usableShelters[k]!.capacity) o.belowAreaStandard.push(x.id);
    if (pairs.some((p) => p.shelter === x.id && villageTownship.get(p.village) !== x.township)) o.reachedByOthers += x.free;
    owned.set(x.township, o);
  });
  const villages = s.villages.map((v) => ({ id: v.id, population: v.population, township: townshipOf(v) }));
  // S → village (population) → shelter in reach → T (free places)
  const maxShelteredOver = (which: (string | null)[]) => {
    const vi = new Map(villages.filter((v) => which.includes(v.township)).map((v, i) => [v.id, i]));
    const si = new Map(usable.map((x, j) => [x.id, vi.size + j]));
    const S = vi.size + si.size;
    return maxFlow(
      S + 2,
      [
        ...villages.filter((v) => vi.has(v.id)).map((v) => ({ from: S, to: vi.get(v.id)!, cap: v.population })),
        ...pairs.filter((p) => vi.has(p.village)).map((p) => ({ from: vi.get(p.village)!, to: si.get(p.shelter)!, cap: Infinity })),
        ...usable.map((x) => ({ from: si.get(x.id)!, to: S + 1, cap: x.free })),
      ],
      S,
      S + 1,
    );
  };
  return { usable, villages, pairs, maxSheltered: maxShelteredOver([...townships.keys()]), townships, reachablePopulation, owned, maxShelteredOver };
}

/**
 * The answer against the truth: the total sheltered is the maximum flow; townships add up to the total;
 * sheltered ≤ places; every place counted once (total places = the free places of all usable shelters);
 * the reasons; and the per-township figures are one allocation: a flow exists that shelters exactly
 * each township's `sheltered` and fills exactly each township's `places_used`, no shelter over its free
 * places (a maximum flow through those bounds carries it all).
 */
export function expectCapacity(got: CapacityAnswer, truth: Truth) {
  const rows = got.townships;
  expect(got.total.sheltered).toBe(truth.maxSheltered);
  for (const k of ["villages", "population", "sheltered", "unsheltered", "places"] as const) {
    expect(got.total[k], `total ${k}`).toBe(rows.reduce((a, r) => a + r[k], 0));
  }
  expect(got.total.sheltered).toBeLessThanOrEqual(got.total.places);
  expect(got.total.places).toBe(truth.usable.reduce((a, x) => a + x.free, 0));
  expect(got.total.population).toBe([...truth.townships.values()].reduce((a, t) => a + t.population, 0));

  const shares = rows.filter((r) => r.township !== null && r.population > 0).map((r) => r.sheltered / r.population);
  expect(shares, "least sheltered first").toEqual([...shares].sort((a, b) => a - b));
  for (const [code, t] of truth.townships) {
    const r = rows.find((x) => x.township === code);
    if (code === null && t.villages === 0 && !truth.owned.has(null)) {
      expect(r).toBeUndefined();
      continue;
    }
    const o = truth.owned.get(code) ?? { shelters: 0, places: 0, belowAreaStandard: [], reachedByOthers: 0 };
    const where = `township ${code}`;
    expect(r, where).toBeDefined();
    expect(r!, where).toMatchObject({
      villages: t.villages,
      population: t.population,
      shelters: o.shelters,
      places: o.places,
      shelters_below_area_standard: o.belowAreaStandard.length,
      below_area_standard_ids: [...o.belowAreaStandard].sort((a, b) => a - b),
    });
    expect(r!.sheltered + r!.unsheltered, where).toBe(t.population);
    expect(r!.unsheltered_reasons.no_shelter_in_reach, where).toBe(t.noShelterInReach);
    expect(r!.unsheltered_reasons.no_place_left, where).toBe(r!.unsheltered - t.noShelterInReach);
    expect(r!.sheltered, where).toBeLessThanOrEqual(truth.reachablePopulation.get(code) ?? 0);
    expect(r!.places_used, where).toBeLessThanOrEqual(r!.places);
    expect(r!.places_serving_others, where).toBeLessThanOrEqual(Math.min(r!.places_used, o.reachedByOthers));
  }
  expect(rows.reduce((a, r) => a + r.places_used, 0)).toBe(got.total.sheltered);

  // one allocation: S → township t (sheltered_t) → its villages (population) → shelters in reach (free
  // places) → owning township u (places_used_u) → T carries everything
  const node = new Map<string, number>();
  const id = (key: string) => node.get(key) ?? (node.set(key, node.size), node.size - 1);
  const S = id("S");
  const T = id("T");
  const owner = new Map(truth.usable.map((x) => [x.id, x.township]));
  const edges = [
    ...rows.map((r) => ({ from: S, to: id(`t${r.township}`), cap: r.sheltered })),
    ...truth.villages.map((v) => ({ from: id(`t${v.township}`), to: id(`v${v.id}`), cap: v.population })),
    ...truth.pairs.map((p) => ({ from: id(`v${p.village}`), to: id(`s${p.shelter}`), cap: Infinity })),
    ...truth.usable.map((x) => ({ from: id(`s${x.id}`), to: id(`u${owner.get(x.id)}`), cap: x.free })),
    ...rows.map((r) => ({ from: id(`u${r.township}`), to: T, cap: r.places_used })),
  ];
  expect(maxFlow(node.size, edges, S, T), "the townships' figures are one allocation").toBe(got.total.sheltered);
}
