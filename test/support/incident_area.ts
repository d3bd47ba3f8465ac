// The incident tests' drawn area and the villages round it: three inside, a fourth outside, one of them
// without a household count.
import { booleanPointInPolygon } from "@turf/turf";
import type { Db } from "../../server/db.ts";
import type { LonLat } from "./truth.ts";

export const AREA: GeoJSON.Polygon = {
  type: "Polygon",
  coordinates: [
    [
      [120.6, 23.8],
      [120.7, 23.8],
      [120.7, 23.9],
      [120.6, 23.9],
      [120.6, 23.8],
    ],
  ],
};

export const VILLAGES = [
  { name: "甲村", at: [120.61, 23.81] as LonLat, population: 1000, households: 310 },
  { name: "乙村", at: [120.65, 23.85] as LonLat, population: 537, households: null },
  { name: "丙村", at: [120.69, 23.89] as LonLat, population: 80, households: 40 },
  { name: "丁村", at: [120.75, 23.85] as LonLat, population: 5000, households: 1500 },
];

/** Whether a point lies in AREA, as turf (not the product) sees it. */
export const inArea = (at: LonLat) => booleanPointInPolygon(at, AREA);

export async function insertVillages(db: Db) {
  for (const v of VILLAGES)
    await db.raw("INSERT INTO villages (name, geom, population, households) VALUES (?, ST_SetSRID(ST_MakePoint(?, ?), 4326), ?, ?)", [
      v.name,
      ...v.at,
      v.population,
      v.households,
    ]);
}
