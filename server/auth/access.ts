import type { NextFunction, Request, Response } from "express";
import { Problem } from "../http/problem.ts";
import type { Account } from "./accounts.ts";
import { sensitiveFields, type Layer } from "../layers/layer.ts";
import { can, JURISDICTION_LAYERS, jurisdictionOf, STATUS_FIELDS, type Jurisdiction, type Permission } from "./permissions.ts";
import { notSignedIn, principalOf } from "./principal.ts";

export interface AccessSettings {
  /** Layers, tiles, OGC and questions readable without signing in (the demo; off by default). */
  anonymousRead: boolean;
}

export const forbidden = (needs: string) => new Problem(403, "forbidden", "Forbidden", `your roles do not allow this (it needs ${needs})`);

const NOTHING: ReadonlySet<string> = new Set();

/** Every route declares what it needs: `router.get(path, access.requires("read"), handler)`. */
export class Access {
  constructor(readonly settings: AccessSettings) {}

  /** Refuses (401 when anonymous, 403 when not allowed) unless the request may do one of `permissions`. */
  requires(...permissions: Permission[]) {
    return (_req: Request, res: Response, next: NextFunction) => {
      if (!(permissions.includes("read") && this.settings.anonymousRead)) {
        const account = this.signedIn(res);
        if (!permissions.some((p) => can(account, p))) throw forbidden(permissions.map((p) => p.replace("_", " ")).join(" or "));
      }
      next();
    };
  }

  /**
   * Refuses (403) unless the request comes from a signed-in web session (whose writes carry its CSRF
   * token): for what a leaked API token must never do — make tokens, change accounts.
   */
  requiresSession(what: string) {
    return (_req: Request, res: Response, next: NextFunction) => {
      this.signedIn(res);
      if (principalOf(res)!.via !== "session")
        throw new Problem(403, "session-required", "Forbidden", `${what} from a signed-in web session, never with an API token`);
      next();
    };
  }

  /** The signed-in account behind the request; 401 when anonymous. */
  signedIn(res: Response): Account {
    const account = principalOf(res)?.account;
    if (!account) throw notSignedIn();
    return account;
  }

  /**
   * Where this request may write features of `layer`. A change of only a team's status or a shelter's
   * occupancy (`statusOnly`) is a commander's, anywhere; everything else is a clerk's, inside their
   * townships — except the townships themselves, an admin's: a clerk who could redraw their own would
   * widen their jurisdiction with it.
   */
  editScope(res: Response, layer: string, change?: { geometry?: unknown; properties?: Record<string, unknown> }): Jurisdiction {
    const account = this.signedIn(res);
    if (JURISDICTION_LAYERS.has(layer)) {
      if (!can(account, "admin")) throw forbidden(`admin: ${layer} decide where clerks may edit`);
      return "all";
    }
    const statusFields = STATUS_FIELDS[layer];
    const changed = Object.keys(change?.properties ?? {});
    const statusOnly = change?.geometry === undefined && statusFields !== undefined && changed.length > 0 && changed.every((k) => statusFields.includes(k));
    if (statusOnly && can(account, "update_status")) return "all";
    if (!can(account, "edit"))
      throw forbidden(statusFields && can(account, "update_status") ? `edit; a commander may change only ${statusFields.join(", ")}` : "edit");
    return jurisdictionOf(account);
  }

  /**
   * The fields of `layer` left out of the answer to this request: its contact names and phone numbers
   * unless the account may read them. Filtering by such a field is refused too (403): the matches
   * would give its values away.
   */
  hiddenFields(res: Response, layer: Layer, filteredBy: readonly string[] = []): ReadonlySet<string> {
    if (can(principalOf(res)?.account, "read_sensitive")) return NOTHING;
    const hidden = sensitiveFields(layer);
    const field = filteredBy.find((f) => hidden.has(f));
    if (field) throw forbidden(`read sensitive, to filter by ${field}`);
    return hidden;
  }
}
