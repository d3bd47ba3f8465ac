import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { getIncident, type IncidentFeature } from "./incidents.ts";
import { incidentNeeds, type Needs } from "./needs.ts";
import { listDispatches, type Dispatch } from "./dispatches.ts";
import { listDeployments, type Deployment } from "./deployments.ts";
import { timeline, type TimelineEntry } from "./timeline.ts";
import { sheltered, type Sheltered } from "./sheltered.ts";
import { FIRST_DAYS } from "./need_lines.ts";
import { incidentSubjects } from "./subject.ts";
import { EvacuationPlanBody, evacuationPlan } from "../questions/evacuation_plan.ts";

export interface SituationReport {
  generated_at: string;
  incident: IncidentFeature;
  affected: { villages: { id: number; name: string; township: string | null; population: number; households: number | null }[]; population: number };
  /** the needs' figure (needs.sheltered), with the shelters that reported it */
  sheltered: Sheltered;
  /**
   * The evacuation the plan asks (POST /evacuation-plan {incident_id}, as it answers now): the people of the
   * area to move, how many the free places of shelters outside it take (拟转移) and in how many shelters,
   * and how many it cannot place. What was done is `sheltered`: nothing else records people moved.
   */
  evacuation: { by: string; to_move: number; placed: number; shelters: number; unplaced: number };
  needs: Needs;
  dispatches: Dispatch[];
  deployments: Deployment[];
  timeline: TimelineEntry[];
}

const peopleStatement = new Statement(sqlFile(new URL("./report.sql", import.meta.url)), "incident_report_people");

/** The situation report (态势报告) as figures: what the PDF prints, for a higher-level system too. */
export async function situationReport(db: Db, incidentId: number): Promise<SituationReport> {
  const incident = await getIncident(db, incidentId);
  const [[people], housed, needs, dispatches, deployments, entries, plan] = await Promise.all([
    peopleStatement.run<{ villages: SituationReport["affected"]["villages"] }>(db, { incident: incidentId }),
    sheltered(db, incidentId),
    incidentNeeds(db, incidentId, { days: FIRST_DAYS }),
    listDispatches(db, incidentId),
    listDeployments(db, incidentId),
    timeline(db, incidentId),
    evacuationPlan(db, EvacuationPlanBody.parse({ incident_id: incidentId }), incidentSubjects(db)),
  ]);
  return {
    generated_at: new Date().toISOString(),
    incident,
    affected: { villages: people!.villages, population: people!.villages.reduce((s, v) => s + v.population, 0) },
    sheltered: housed,
    evacuation: {
      by: String(plan.by),
      to_move: plan.affected.population,
      placed: plan.assignments.reduce((n, a) => n + a.people, 0),
      shelters: plan.shelters.filter((x) => x.assigned > 0).length,
      unplaced: plan.unassigned.reduce((n, u) => n + u.people, 0),
    },
    needs,
    dispatches,
    deployments,
    timeline: entries,
  };
}
