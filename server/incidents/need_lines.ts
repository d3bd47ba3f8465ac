import type { Db } from "../db.ts";
import { sqlFile } from "../sql/sql_file.ts";
import { Statement } from "../sql/statement.ts";
import { PERSONS_PER_HOUSEHOLD } from "../../data/needs_norms.ts";

/** A norm's need for an incident and what was sent against it, in the item's unit. */
export interface NeedSent {
  item: string;
  name_zh: string;
  name_en: string;
  unit_zh: string;
  unit_en: string;
  /** the norm: `per_quantity` of the item per `per` */
  per_quantity: number;
  per: string;
  need: number;
  dispatched: number;
}

export interface NeedLines {
  population: number;
  households: number;
  /** villages whose point lies in the area (0 when `people` was given) */
  villages: number;
  lines: NeedSent[];
}

/** Days of supply when not said: the first three days, as county plans count them. */
export const FIRST_DAYS = 3;

const needsStatement = new Statement(sqlFile(new URL("./needs.sql", import.meta.url)), "incident_needs");

/**
 * What an incident's people need for `days` by the norms — need = norm × person-days, persons or
 * households, rounded up — and what was sent to it (not cancelled). The people are those of the villages
 * in the area, or `people` given (households then people ÷ PERSONS_PER_HOUSEHOLD, rounded up).
 */
export async function needLines(db: Db, incidentId: number, days: number, people?: number): Promise<NeedLines> {
  const norms = await needsStatement.run<Omit<NeedSent, "need" | "item"> & { item: string | null; villages: number; population: number; households: number }>(
    db,
    { incident: incidentId, persons_per_household: PERSONS_PER_HOUSEHOLD },
  );
  const first = norms[0]!;
  const population = people ?? first.population;
  const households = people === undefined ? first.households : Math.ceil(people / PERSONS_PER_HOUSEHOLD);
  const base = { person_day: population * days, person: population, household: households } as Record<string, number>;
  const lines = norms.flatMap((n): NeedSent[] =>
    n.item === null
      ? []
      : [
          {
            item: n.item,
            name_zh: n.name_zh,
            name_en: n.name_en,
            unit_zh: n.unit_zh,
            unit_en: n.unit_en,
            per_quantity: n.per_quantity,
            per: n.per,
            // a norm times a count is rounded up: 0.23 case × 10 person-days is 3 cases, not 2.3
            need: Math.ceil(n.per_quantity * base[n.per]! - 1e-9),
            dispatched: n.dispatched,
          },
        ],
  );
  return { population, households, villages: people === undefined ? first.villages : 0, lines };
}
