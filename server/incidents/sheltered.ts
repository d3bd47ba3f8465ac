import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { SHELTER_REACH_M } from "./timeline.ts";

export interface Sheltered {
  /** people sheltered for the incident: the sum of the occupancy the shelters reported */
  people: number;
  shelters: { id: number; name: string; occupancy: number; capacity: number; reported_at: string }[];
}

const shelteredStatement = new Statement(sqlFile(new URL("./sheltered.sql", import.meta.url)), "incident_sheltered");

/**
 * The people sheltered for an incident: the occupancy last reported, while it was open, by the shelters
 * near its area (those its timeline lists). The needs and the situation report both say this figure.
 */
export async function sheltered(db: Db, incidentId: number): Promise<Sheltered> {
  const shelters = await shelteredStatement.run<Sheltered["shelters"][number]>(db, { incident: incidentId, shelter_reach_m: SHELTER_REACH_M });
  return { people: shelters.reduce((s, r) => s + r.occupancy, 0), shelters };
}
