import { z } from "zod";
import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { currentActor, writeTransaction } from "../write_transaction.ts";
import { assertIncident } from "./incidents.ts";

/** Shelters this near an incident's area (metres) report for it: where its people are taken. */
export const SHELTER_REACH_M = 30_000;

export const NewNote = z.strictObject({ text: z.string().trim().min(1).max(4000) });

export interface TimelineEntry {
  at: string;
  by: string;
  kind:
    | "incident_opened"
    | "incident_changed"
    | "incident_closed"
    | "dispatch_sent"
    | "dispatch_delivered"
    | "dispatch_cancelled"
    | "team_deployed"
    | "team_released"
    | "note"
    | "occupancy_reported";
  detail: Record<string, unknown>;
}

const timelineStatement = new Statement(sqlFile(new URL("./timeline.sql", import.meta.url)), "incident_timeline");

export async function timeline(db: Db, incidentId: number): Promise<TimelineEntry[]> {
  await assertIncident(db, incidentId, { open: false });
  return timelineStatement.run<TimelineEntry>(db, { incident: incidentId, shelter_reach_m: SHELTER_REACH_M });
}

/** A commander's note on the timeline (the audit trail records who and when). */
export async function addNote(db: Db, incidentId: number, text: string): Promise<{ id: number; text: string }> {
  return writeTransaction(db, async (trx) => {
    await assertIncident(trx, incidentId, { open: false });
    const [row] = await trx("incident_notes")
      .insert({ incident_id: incidentId, text, written_by: currentActor()?.username ?? null })
      .returning(["id", "text"]);
    return { id: Number(row.id), text: row.text };
  });
}
