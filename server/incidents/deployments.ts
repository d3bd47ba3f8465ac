import { z } from "zod";
import type { Knex } from "knex";
import type { Db } from "../db.ts";
import { conflict, notFound, Problem } from "../http/problem.ts";
import { currentActor, writeTransaction } from "../write_transaction.ts";
import { assertIncident } from "./incidents.ts";

export const NewDeployment = z.strictObject({ team_id: z.number().int().positive() });

export interface Deployment {
  id: number;
  incident_id: number;
  team_id: number;
  team_name: string;
  deployed_by: string | null;
  deployed_at: string;
  released_at: string | null;
}

const DEPLOYMENT = `SELECT d.id::int, d.incident_id::int, d.team_id::int, t.name AS team_name, d.deployed_by, d.deployed_at, d.released_at
  FROM deployments d JOIN teams t ON t.id = d.team_id`;

export async function listDeployments(db: Knex, incidentId: number): Promise<Deployment[]> {
  await assertIncident(db, incidentId, { open: false });
  return (await db.raw(`${DEPLOYMENT} WHERE d.incident_id = ? ORDER BY d.id`, [incidentId])).rows;
}

/** Deploy a standby team to an incident: the team becomes `deployed` (409 when it is not on standby). */
export async function deployTeam(db: Db, incidentId: number, teamId: number): Promise<Deployment> {
  return writeTransaction(db, async (trx) => {
    await assertIncident(trx, incidentId, { open: true });
    const taken = await trx("teams").where({ id: teamId, status: "standby" }).update({ status: "deployed" }).returning("id");
    if (taken.length === 0) {
      const team = await trx("teams").where({ id: teamId }).first("name", "status");
      if (!team)
        throw new Problem(422, "unknown-team", "Unprocessable request", `team ${teamId} does not exist`, [{ path: ["team_id"], message: "names no team" }]);
      throw conflict(`${team.name} is not available: it is ${team.status}`, [{ path: ["team_id"], message: `not on standby (${team.status})` }]);
    }
    const [row] = await trx("deployments")
      .insert({ incident_id: incidentId, team_id: teamId, deployed_by: currentActor()?.username ?? null })
      .returning("id");
    return (await trx.raw(`${DEPLOYMENT} WHERE d.id = ?`, [row.id])).rows[0];
  });
}

/** Release a deployed team: back on standby. */
export async function releaseTeam(db: Db, incidentId: number, deploymentId: number): Promise<Deployment> {
  return writeTransaction(db, async (trx) => {
    const released = await trx("deployments")
      .where({ id: deploymentId, incident_id: incidentId })
      .whereNull("released_at")
      .update({ released_at: trx.fn.now() })
      .returning("team_id");
    if (released.length === 0) {
      const exists = await trx("deployments").where({ id: deploymentId, incident_id: incidentId }).first("id");
      if (!exists) throw notFound(`incident ${incidentId} has no deployment ${deploymentId}`);
      throw conflict(`deployment ${deploymentId} was already released`);
    }
    await trx("teams").where({ id: released[0].team_id }).update({ status: "standby" });
    return (await trx.raw(`${DEPLOYMENT} WHERE d.id = ?`, [deploymentId])).rows[0];
  });
}
