import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { getIncident, type IncidentFeature } from "./incidents.ts";
import { incidentNeeds, type Needs } from "./needs.ts";
import { listDispatches, type Dispatch } from "./dispatches.ts";
import { listDeployments, type Deployment } from "./deployments.ts";
import { SHELTER_REACH_M, timeline, type TimelineEntry } from "./timeline.ts";

/** Days of supply the report's needs are for: the first three days, as county plans count them. */
export const REPORT_DAYS = 3;

export interface SituationReport {
  generated_at: string;
  incident: IncidentFeature;
  affected: { villages: { id: number; name: string; township: string | null; population: number; households: number | null }[]; population: number };
  sheltered: { people: number; shelters: { id: number; name: string; occupancy: number; capacity: number; reported_at: string }[] };
  needs: Needs;
  dispatches: Dispatch[];
  deployments: Deployment[];
  timeline: TimelineEntry[];
}

const peopleStatement = new Statement(sqlFile(new URL("./report.sql", import.meta.url)), "incident_report_people");

/** The situation report (态势报告) as figures: what the PDF prints, for a higher-level system too. */
export async function situationReport(db: Db, incidentId: number): Promise<SituationReport> {
  const incident = await getIncident(db, incidentId);
  const [[people], needs, dispatches, deployments, entries] = await Promise.all([
    peopleStatement.run<{ villages: SituationReport["affected"]["villages"]; shelters: SituationReport["sheltered"]["shelters"] }>(db, {
      incident: incidentId,
      shelter_reach_m: SHELTER_REACH_M,
    }),
    incidentNeeds(db, incidentId, { days: REPORT_DAYS }),
    listDispatches(db, incidentId),
    listDeployments(db, incidentId),
    timeline(db, incidentId),
  ]);
  return {
    generated_at: new Date().toISOString(),
    incident,
    affected: { villages: people!.villages, population: people!.villages.reduce((s, v) => s + v.population, 0) },
    sheltered: { people: people!.shelters.reduce((s, v) => s + v.occupancy, 0), shelters: people!.shelters },
    needs,
    dispatches,
    deployments,
    timeline: entries,
  };
}
