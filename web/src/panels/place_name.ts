import { tf } from "../i18n.ts";
import type { Place } from "../../../server/questions/place.ts";

/** 石场村附近（竹山镇）: a point named by its nearest village and the township holding it. */
export function placeName(p: Place | undefined): string {
  if (!p?.village) return p?.township?.name ?? "";
  return p.township ? tf("nearVillageIn", { village: p.village.name, township: p.township.name }) : tf("nearVillage", { village: p.village.name });
}
