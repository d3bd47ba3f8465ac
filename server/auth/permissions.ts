import type { Account } from "./accounts.ts";

/** The roles an account may hold (several each); the users table's CHECK (migration 007) allows exactly these. */
export const ROLES = ["viewer", "commander", "planner", "analyst", "clerk", "admin"] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a request may need. `read`: layers, features, tiles, OGC, questions. `read_sensitive`: contact
 * names and phone numbers. `update_status`: a team's status, a shelter's occupancy, a road's status (open, damaged, closed). `edit`: features,
 * stock and imports, inside the account's townships. `export`: files of a layer. `tokens`: API tokens
 * of one's own. `admin`: users, roles, jurisdictions (township boundaries and codes too), everyone's
 * tokens, the audit trail and security events. `command`: incidents — open, change and close them, send
 * stock, deploy teams, write the timeline. `set_norms`: the needs norms (quantity per person-day …).
 * `evacuation_books`: a township's printed evacuation book.
 */
export type Permission = "read" | "read_sensitive" | "update_status" | "edit" | "export" | "tokens" | "admin" | "command" | "set_norms" | "evacuation_books";

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["read"],
  commander: ["read", "read_sensitive", "update_status", "command", "evacuation_books"],
  planner: ["read", "set_norms", "evacuation_books"],
  analyst: ["read", "export", "tokens"],
  clerk: ["read", "read_sensitive", "edit"],
  admin: ["read", "read_sensitive", "tokens", "admin", "set_norms"],
};

export const can = (account: Account | undefined, permission: Permission): boolean =>
  account?.roles.some((r) => GRANTS[r as Role]?.includes(permission)) === true;

/** A clerk's townships as the admin codes they may edit inside, or "all" for a county-level clerk (`*`). */
export type Jurisdiction = readonly string[] | "all";
export const ALL_TOWNSHIPS = "*";

export const jurisdictionOf = (account: Account): Jurisdiction => (account.townships.includes(ALL_TOWNSHIPS) ? "all" : account.townships);

/** Layers whose features decide where clerks may write: changing them is an admin's act, never a clerk's. */
export const JURISDICTION_LAYERS: ReadonlySet<string> = new Set(["townships"]);

/** What a commander may change without `edit`: the fields that move during an incident. */
export const STATUS_FIELDS: Readonly<Record<string, readonly string[]>> = {
  teams: ["status"],
  shelters: ["occupancy"],
  roads: ["status"],
};
