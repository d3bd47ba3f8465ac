// What the e2e evacuation tests set beside the page: the hazard they plan for, and the API's plan.
import type { World } from "./world.ts";

/** The most pressing point hazard reaching 1 km or more (by risk level, then id): its zone holds villages to move. */
export async function evacuationHazard(w: World): Promise<number> {
  const { rows } = await w.db.raw(
    "SELECT id::int FROM hazards WHERE influence_radius_m >= 1000 AND GeometryType(geom) = 'POINT' ORDER BY risk_level, id LIMIT 1",
  );
  return rows[0].id;
}

/** The API's evacuation plan for an area (`{ hazard_id }`, a polygon …), as the page asks for it. */
export async function evacuationPlan(w: World, area: unknown) {
  const res = await w.fetch(`${w.base}/api/v1/evacuation-plan`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ area }),
  });
  return res.json();
}
